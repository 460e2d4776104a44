/**
 * The reservation lifecycle jobs on the job runner, with the runner's clock set by the test:
 * expire-reservations (RESERVED past expires_at → EXPIRED) and reclaim-released-ips (released
 * more than 30 days ago → reclaimed), each run once per slot, audited, history kept.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Knex } from 'knex';
import { builtinJobs } from '../../src/jobs/builtin.js';
import { JobRunner, type JobTickResult } from '../../src/jobs/runner.js';
import { ReservationsService } from '../../src/services/pools/reservations.js';
import { createTestDb, DIALECT } from '../helpers/db.js';
import { EDITOR, servicesFor, TEST_SERVICES_CONFIG } from '../helpers/services.js';

let db: Knex;
let cleanup: () => Promise<void>;
let pool = 0;
before(async () => {
  ({ db, cleanup } = await createTestDb());
  pool = (await servicesFor(db).pools.create({ pool_name: 'life', pool_type: 'IPV4_PRIVATE', network_cidr: '10.30.0.0/29', gateway: '10.30.0.1' })).id;
});
after(() => cleanup());

const T0 = new Date('2026-11-01T08:00:00Z');
const at = (days: number, minutes = 0): Date => new Date(T0.getTime() + days * 86_400_000 + minutes * 60_000);
/** A reservations service whose clock is the given instant (what it stamps reserved_at/released_at with). */
const reservationsAt = (now: Date): ReservationsService => new ReservationsService({ db, actor: EDITOR }, { now: () => now });
const tick = async (now: Date, name: string): Promise<JobTickResult | undefined> =>
  (await new JobRunner({ db, registry: builtinJobs(), config: TEST_SERVICES_CONFIG, instanceId: 'app-1', now: () => now, log: () => undefined }).tick()).find((r) => r.name === name);
const statusOf = async (id: number): Promise<string> => ((await db('ip_reservations').where({ id }).first()) as { status: string }).status;

test(`expire-reservations: only RESERVED reservations past expires_at expire, at the runner's clock; the address is free again (${DIALECT})`, async () => {
  const r = reservationsAt(T0);
  const soon = await r.reserve({ pool_id: pool, subscriber_id: 'sub-soon', expires_at: '2026-11-02 08:00:00' });
  const later = await r.reserve({ pool_id: pool, subscriber_id: 'sub-later', expires_at: '2026-11-09 08:00:00' });
  const assigned = await r.reserve({ pool_id: pool, subscriber_id: 'sub-assigned', expires_at: '2026-11-02 08:00:00', assign: true });
  const forever = await r.reserve({ pool_id: pool, subscriber_id: 'sub-forever' });

  // A minute before the first expiry nothing moves.
  let run = await tick(at(0, 24 * 60 - 1), 'expire-reservations');
  assert.equal(run?.status, 'succeeded', run?.error ?? '');
  assert.equal(run?.result, 'expired 0 reservation(s)');
  assert.equal(await statusOf(soon.id), 'RESERVED');

  run = await tick(at(1, 1), 'expire-reservations');
  assert.equal(run?.result, 'expired 1 reservation(s)');
  assert.deepEqual(await Promise.all([soon, later, assigned, forever].map((x) => statusOf(x.id))), ['EXPIRED', 'RESERVED', 'ASSIGNED', 'RESERVED']);
  // The same slot again (another instance, or a retry): claimed already, nothing runs twice.
  assert.equal((await tick(at(1, 1), 'expire-reservations'))?.ran, false);

  // Extended before it expired: the later one now lives past day 8.
  await reservationsAt(at(5)).extend(later.id, { expires_at: '2026-11-20 08:00:00' });
  run = await tick(at(9), 'expire-reservations');
  assert.equal(run?.result, 'expired 0 reservation(s)');
  run = await tick(at(19, 1), 'expire-reservations');
  assert.equal(run?.result, 'expired 1 reservation(s)');
  assert.equal(await statusOf(later.id), 'EXPIRED');

  // The expired address is free again: the next reservation gets the lowest, soon's .2.
  const next = await reservationsAt(at(20)).reserve({ pool_id: pool, subscriber_id: 'sub-next' });
  assert.equal(next.ip_address, soon.ip_address);
  const audit = await servicesFor(db).audit.list({ target_type: 'IP_RESERVATION', target_id: soon.id });
  assert.ok(audit.items.some((e) => e.username === 'scheduler' && /RESERVED → EXPIRED/.test(e.changes ?? '')), JSON.stringify(audit.items));
});

test(`reclaim-released-ips: released more than 30 days ago are reclaimed once, the record kept (${DIALECT})`, async () => {
  const r0 = reservationsAt(at(0));
  const old = await r0.reserve({ pool_id: pool, subscriber_id: 'sub-old', assign: true });
  const recent = await r0.reserve({ pool_id: pool, subscriber_id: 'sub-recent', assign: true });
  await reservationsAt(at(1)).release(old.id, { reason: 'moved out' });
  await reservationsAt(at(10)).release(recent.id);

  let run = await tick(at(30, 60), 'reclaim-released-ips');
  assert.equal(run?.status, 'succeeded', run?.error ?? '');
  assert.equal(run?.result, 'reclaimed 0 released address(es) older than 30 day(s)');

  run = await tick(at(31, 120), 'reclaim-released-ips');
  assert.equal(run?.result, 'reclaimed 1 released address(es) older than 30 day(s)');
  const rows = (await db('ip_reservations').whereIn('id', [old.id, recent.id]).orderBy('id')) as { status: string; reclaimed_at: string | null }[];
  assert.deepEqual(rows.map((x) => [x.status, x.reclaimed_at]), [['RELEASED', '2026-12-02 10:00:00'], ['RELEASED', null]]);

  // An hour later: the old one is not reclaimed again.
  run = await tick(at(31, 180), 'reclaim-released-ips');
  assert.equal(run?.result, 'reclaimed 0 released address(es) older than 30 day(s)');
  run = await tick(at(40, 240), 'reclaim-released-ips');
  assert.equal(run?.result, 'reclaimed 1 released address(es) older than 30 day(s)');
  const audit = await servicesFor(db).audit.list({ target_type: 'IP_RESERVATION', target_id: old.id });
  assert.ok(audit.items.some((e) => /reclaimed: released 2026-11-02 08:00:00/.test(e.changes ?? '')), JSON.stringify(audit.items));
});
