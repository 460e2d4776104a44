/**
 * Quarantine of released addresses (issue 19), with a clock the test controls: a released
 * address is held back from every kind of allocation (next free, preferred, manual, batch, prefix
 * delegation) and from IP asset creation until the reclaim job reclaims it N days after its
 * release (the pool's quarantine_days, else the job's default of 30); utilization shows it as
 * quarantined; then allocation may hand it out again. Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Knex } from 'knex';
import { ConflictError } from '../../src/domain/errors.js';
import { builtinJobs } from '../../src/jobs/builtin.js';
import { JobRunner } from '../../src/jobs/runner.js';
import { ReservationsService } from '../../src/services/pools/reservations.js';
import { createTestDb, DIALECT } from '../helpers/db.js';
import { EDITOR, servicesFor, TEST_SERVICES_CONFIG } from '../helpers/services.js';

const T0 = new Date('2026-11-01T08:00:00Z');
const at = (days: number, minutes = 0): Date => new Date(T0.getTime() + days * 86_400_000 + minutes * 60_000);

describe(`released addresses stay in quarantine until reclaimed (${DIALECT})`, () => {
  let db: Knex;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ db, cleanup } = await createTestDb());
  });
  after(() => cleanup());

  let clock = T0;
  const r = (): ReservationsService => new ReservationsService({ db, actor: EDITOR }, { now: () => clock });
  /** One run of the reclaim job on the job runner at `now`; its result line. */
  const reclaimAt = async (now: Date): Promise<string | undefined> => {
    const runs = await new JobRunner({ db, registry: builtinJobs(), config: TEST_SERVICES_CONFIG, instanceId: 'app-1', now: () => now, log: () => undefined }).tick();
    const run = runs.find((x) => x.name === 'reclaim-released-ips');
    assert.equal(run?.status, 'succeeded', run?.error ?? JSON.stringify(runs));
    return run?.result ?? undefined;
  };
  const counts = async (id: number) => {
    const c = await servicesFor(db).pools.stateCounts(id);
    return { reserved: c.reserved, in_use: Number(c.in_use), quarantined: Number(c.quarantined), available: Number(c.available) };
  };
  const conflict = async (p: Promise<unknown>, re: RegExp): Promise<void> => {
    await assert.rejects(p, (err: unknown) => {
      assert.ok(err instanceof ConflictError, String(err));
      assert.match(err.message, re);
      return true;
    });
  };

  it('release → every allocation skips the address → reclaim job after 30 days → it may be handed out again', async () => {
    const s = servicesFor(db);
    // Usable .2–.6 (.0 network, .1 gateway, .7 broadcast): 5 addresses.
    const pool = await s.pools.create({ pool_name: 'q-default', pool_type: 'IPV4_PRIVATE', network_cidr: '10.40.0.0/29', gateway: '10.40.0.1' });
    assert.equal(pool.quarantine_days, null);
    clock = T0;
    const first = await r().reserve({ pool_id: pool.id, subscriber_id: 'sub-1', assign: true });
    assert.equal(first.ip_address, '10.40.0.2');
    clock = at(0, 60);
    await r().release(first.id);

    // Next free skips it; a preferred .2 falls back to the next free one; a manual .2 is refused naming the release.
    clock = at(1);
    assert.equal((await r().reserve({ pool_id: pool.id, subscriber_id: 'sub-2' })).ip_address, '10.40.0.3');
    assert.equal((await r().reserve({ pool_id: pool.id, subscriber_id: 'sub-3', preferred_address: '10.40.0.2' })).ip_address, '10.40.0.4');
    await conflict(r().reserve({ pool_id: pool.id, subscriber_id: 'sub-4', ip_address: '10.40.0.2' }), /10\.40\.0\.2 is in quarantine: released by subscriber sub-1 on 2026-11-01 09:00:00 .*after 2026-12-01 09:00:00/);
    // An IP asset over it is refused the same way (it would be handed out beside the quarantine).
    await conflict(s.assets.create({ ip_address: '10.40.0.2', type: 'VM' }), /in quarantine: released by subscriber sub-1/);
    // The conflict checker says so too.
    const found = await s.poolConflicts.check('10.40.0.2', { poolId: pool.id });
    assert.match(found.map((c) => c.message).join(' | '), /in quarantine since its release on 2026-11-01 09:00:00/);

    // Utilization: held (not available), counted as quarantined within in_use.
    assert.deepEqual(await counts(pool.id), { reserved: 2, in_use: 1, quarantined: 1, available: 2 });
    assert.equal((await s.pools.get(pool.id)).utilization.used, 3);
    // A batch of 3 is all or nothing: only .5 and .6 are free.
    await conflict(r().reserveBatch({ pool_id: pool.id, subscriber_id: 'bulk', count: 3 }), /only 2 free addresses/);

    // Day 29: not yet; day 30 and an hour: reclaimed (record kept), and counted free again.
    assert.equal(await reclaimAt(at(29, 120)), 'reclaimed 0 released address(es) older than 30 day(s)');
    assert.equal((await r().reserve({ pool_id: pool.id, subscriber_id: 'sub-5' })).ip_address, '10.40.0.5');
    assert.equal(await reclaimAt(at(30, 120)), 'reclaimed 1 released address(es) older than 30 day(s)');
    assert.deepEqual(await counts(pool.id), { reserved: 3, in_use: 0, quarantined: 0, available: 2 });
    clock = at(30, 180);
    assert.equal((await r().reserve({ pool_id: pool.id, subscriber_id: 'sub-6' })).ip_address, '10.40.0.2');
    const history = await s.reservations.list({ ip_address: '10.40.0.2' });
    assert.deepEqual(history.items.map((h) => [h.subscriber_id, h.status]), [['sub-6', 'RESERVED'], ['sub-1', 'RELEASED']]);
  });

  it("a pool's own quarantine_days: reclaimed after that many days; 0 frees the address at release", async () => {
    const s = servicesFor(db);
    const week = await s.pools.create({ pool_name: 'q-week', pool_type: 'IPV4_PRIVATE', network_cidr: '10.41.0.0/30', quarantine_days: 7 });
    const none = await s.pools.create({ pool_name: 'q-none', pool_type: 'IPV4_PRIVATE', network_cidr: '10.42.0.0/30', quarantine_days: 0 });
    clock = at(40);
    const a = await r().reserve({ pool_id: week.id, subscriber_id: 'w-1' });
    const b = await r().reserve({ pool_id: none.id, subscriber_id: 'n-1' });
    assert.deepEqual([a.ip_address, b.ip_address], ['10.41.0.1', '10.42.0.1']);
    await r().release(a.id);
    await r().release(b.id);
    // No quarantine: the same address at once.
    assert.equal((await r().reserve({ pool_id: none.id, subscriber_id: 'n-2' })).ip_address, '10.42.0.1');
    assert.equal((await r().reserve({ pool_id: week.id, subscriber_id: 'w-2' })).ip_address, '10.41.0.2');
    await conflict(r().reserve({ pool_id: week.id, subscriber_id: 'w-3' }), /no free address/);
    assert.equal(await reclaimAt(at(46, 60)), 'reclaimed 0 released address(es) older than 30 day(s)');
    assert.equal(await reclaimAt(at(47, 60)), 'reclaimed 1 released address(es) older than 30 day(s)');
    clock = at(47, 61);
    assert.equal((await r().reserve({ pool_id: week.id, subscriber_id: 'w-3' })).ip_address, '10.41.0.1');
    const audit = await s.audit.list({ target_type: 'IP_RESERVATION', target_id: a.id });
    assert.ok(audit.items.some((e) => /reclaimed: released 2026-12-11 08:00:00, more than 7 day\(s\)/.test(e.changes ?? '')), JSON.stringify(audit.items));
  });

  it('prefix delegation skips a released /56 until it is reclaimed', async () => {
    const s = servicesFor(db);
    const pd = await s.pools.create({ pool_name: 'q-pd', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:40::/48', delegation_prefix_length: 56, quarantine_days: 2 });
    clock = at(50);
    const p = await r().reserve({ pool_id: pd.id, subscriber_id: 'pd-1' });
    assert.equal(p.ip_address, '2001:db8:40::/56');
    await r().release(p.id);
    assert.equal((await r().reserve({ pool_id: pd.id, subscriber_id: 'pd-2' })).ip_address, '2001:db8:40:100::/56');
    await conflict(r().reserve({ pool_id: pd.id, subscriber_id: 'pd-3', ip_address: '2001:db8:40::/56' }), /in quarantine/);
    const c = await s.pools.stateCounts(pd.id);
    assert.deepEqual([Number(c.total), c.reserved, Number(c.quarantined), Number(c.available)], [256, 1, 1, 254]);
    assert.equal(await reclaimAt(at(52, 60)), 'reclaimed 1 released address(es) older than 30 day(s)');
    clock = at(52, 61);
    assert.equal((await r().reserve({ pool_id: pd.id, subscriber_id: 'pd-3' })).ip_address, '2001:db8:40::/56');
  });
});
