/**
 * The bulk sync's conflicts for delegated IPv6 prefixes (issue 16): a prefix-delegation pool's
 * delegations are NetBox prefixes, so the sync compares them with the prefixes NetBox holds inside
 * the pool. A delegation NetBox holds with another status or holder, one it moved or resized, and
 * a /56 it holds where the pool has a free slot are conflicts of their kind, each resolved ours
 * and theirs (one ignored, one in delete mode); a second sync with nothing changed writes nothing
 * on either side; NetBox's own containers, longer prefixes and deprecated ones are left alone.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NetBoxConflictsService, type NetBoxConflict } from '../../src/services/netbox/conflicts.js';
import { NetBoxResolver } from '../../src/services/netbox/resolve.js';
import type { NetBoxSync } from '../../src/services/netbox/sync.js';
import type { Pool } from '../../src/services/pools/wire.js';
import { DIALECT } from '../helpers/db.js';
import { EDITOR } from '../helpers/services.js';
import { netboxWorld, type NetBoxWorld } from './setup.js';

let w: NetBoxWorld;
let pool: Pool;
before(async () => {
  w = await netboxWorld();
});
after(() => w.close());

const withSync = async <T>(fn: (s: NetBoxSync) => Promise<T>, overrides: Record<string, unknown> = {}): Promise<T> => {
  const s = w.sync(overrides);
  try {
    return await fn(s);
  } finally {
    s.close();
  }
};
const syncPool = (id: number, overrides: Record<string, unknown> = {}) => withSync((s) => s.syncPool(id), overrides);
const conflicts = (): NetBoxConflictsService => new NetBoxConflictsService({ db: w.db, actor: EDITOR });
const open = async (poolId: number): Promise<NetBoxConflict[]> => (await conflicts().list({ pool_id: poolId, limit: 1000 })).items;
const nbPrefix = (cidr: string) => [...w.fake.prefixes.values()].filter((p) => p.prefix === cidr);
const auditCount = async (): Promise<number> => Number(((await w.db('audit_log').count({ n: '*' })) as { n: number | string }[])[0]!.n);
const held = async (poolId: number): Promise<Map<string, string>> =>
  new Map((await w.db('ip_reservations').where({ pool_id: poolId }).whereIn('status', ['RESERVED', 'ASSIGNED']).select('ip_address', 'status', 'subscriber_id', 'netbox_ip_id')).map((r: { ip_address: string; status: string; subscriber_id: string; netbox_ip_id: number | null }) => [r.ip_address, `${r.status} ${r.subscriber_id} #${r.netbox_ip_id ?? '-'}`]));

test(`a delegated prefix NetBox holds with another status, holder or network, or where we have a free slot, is a conflict of its kind; a repeated sync writes nothing (${DIALECT})`, async () => {
  pool = await w.services.pools.create({ pool_name: 'pd-sync', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:900::/48', delegation_prefix_length: 56 });
  const reserve = (slot: string, sub: string, assign = false) => w.services.reservations.reserve({ pool_id: pool.id, ip_address: `2001:db8:900:${slot}::/56`, subscriber_id: sub, assign });
  await reserve('100', 'cpe-a');
  await reserve('200', 'cpe-b', true);
  await reserve('300', 'cpe-c');
  await reserve('400', 'cpe-d', true);
  await reserve('500', 'cpe-e');
  await reserve('600', 'cpe-f');
  const first = await syncPool(pool.id);
  assert.equal(first.status, 'succeeded', first.error ?? '');
  assert.equal(first.counts.created, 0, 'the queue pushed them before the comparison');
  assert.equal(nbPrefix('2001:db8:900:200::/56')[0]?.status, 'active');
  assert.deepEqual(await open(pool.id), []);

  // NetBox is edited behind our back.
  nbPrefix('2001:db8:900:100::/56')[0]!.status = 'active'; // status: ours reserved
  nbPrefix('2001:db8:900:200::/56')[0]!.status = 'reserved'; // status: ours assigned
  nbPrefix('2001:db8:900:300::/56')[0]!.description = 'mallory'; // holder: ours cpe-c
  nbPrefix('2001:db8:900:400::/56')[0]!.description = 'eve'; // holder: ours cpe-d
  nbPrefix('2001:db8:900:500::/56')[0]!.prefix = '2001:db8:900:5500::/56'; // moved inside the pool
  nbPrefix('2001:db8:900:600::/56')[0]!.prefix = '2001:db8:900:600::/60'; // resized
  w.fake.addPrefix({ prefix: '2001:db8:900:a00::/56', status: 'active', description: 'intruder' }); // a free slot here
  w.fake.addPrefix({ prefix: '2001:db8:900:b00::/56', status: 'reserved', description: 'squatter' }); // a free slot here
  // NetBox's own business, not conflicts: a customer /64 inside a delegation, a container, a deprecated /56, a /56 outside the pool.
  w.fake.addPrefix({ prefix: '2001:db8:900:100::/64', status: 'active', description: 'cpe-a lan' });
  w.fake.addPrefix({ prefix: '2001:db8:900:f000::/52', status: 'container' });
  w.fake.addPrefix({ prefix: '2001:db8:900:c00::/56', status: 'deprecated', description: 'old' });
  w.fake.addPrefix({ prefix: '2001:db8:901:100::/56', status: 'active', description: 'elsewhere' });

  let from = w.fake.requests.length;
  const run = await syncPool(pool.id);
  assert.equal(run.status, 'succeeded', run.error ?? '');
  assert.deepEqual(w.fake.writes(from), [], 'detecting writes nothing to NetBox');
  const found = await open(pool.id);
  assert.deepEqual(found.map((c) => `${c.kind} ${c.subject}`).sort(), [
    'delegated_holder 2001:db8:900:300::/56',
    'delegated_holder 2001:db8:900:400::/56',
    'delegated_only 2001:db8:900:a00::/56',
    'delegated_only 2001:db8:900:b00::/56',
    'delegated_prefix 2001:db8:900:500::/56',
    'delegated_prefix 2001:db8:900:600::/56',
    'delegated_status 2001:db8:900:100::/56',
    'delegated_status 2001:db8:900:200::/56',
  ]);
  assert.equal(run.counts.conflicts, 8);
  const moved = found.find((c) => c.subject === '2001:db8:900:500::/56')!;
  assert.deepEqual([moved.ours?.prefix, moved.theirs?.prefix, moved.theirs?.description], ['2001:db8:900:500::/56', '2001:db8:900:5500::/56', 'cpe-e']);
  assert.deepEqual(found.find((c) => c.subject === '2001:db8:900:a00::/56')!.theirs, { prefix: '2001:db8:900:a00::/56', status: 'active', description: 'intruder' });

  // The same sync again: nothing changed on either side, so nothing is written on either side.
  from = w.fake.requests.length;
  const audits = await auditCount();
  const before = await w.db('netbox_conflicts').orderBy('id');
  const sql: string[] = [];
  const record = (q: { sql: string }): void => void sql.push(q.sql);
  w.db.on('query', record);
  await syncPool(pool.id);
  w.db.removeListener('query', record);
  assert.deepEqual(w.fake.writes(from), []);
  // The pool's delegations are read in one page (their ids, then the rows), not one statement each.
  const rowReads = sql.filter((q) => /from [`"]ip_reservations[`"] where [`"]id[`"] (=|in)/i.test(q));
  assert.deepEqual(rowReads.map((q) => (/ in \(/.test(q) ? 'page' : 'one')), ['page'], rowReads.join('\n'));
  assert.equal(await auditCount(), audits);
  assert.deepEqual(await w.db('netbox_conflicts').orderBy('id'), before);
});

test(`each delegated conflict resolves ours and theirs; afterwards a sync finds nothing and writes nothing (${DIALECT})`, async () => {
  const found = await open(pool.id);
  const by = (kind: string, slot: string): NetBoxConflict => found.find((c) => c.kind === kind && c.subject === `2001:db8:900:${slot}::/56`)!;
  const cases = [
    ['delegated_status', '100', 'theirs'], // assigned here, as NetBox says active
    ['delegated_status', '200', 'ours'], // NetBox back to active
    ['delegated_holder', '300', 'theirs'], // handed to mallory here
    ['delegated_holder', '400', 'ours'], // NetBox back to cpe-d
    ['delegated_prefix', '500', 'theirs'], // cpe-e now holds :5500::/56 here
    ['delegated_prefix', '600', 'ours'], // NetBox back to the /56
    ['delegated_only', 'a00', 'theirs'], // delegated here to intruder
    ['delegated_only', 'b00', 'ours'], // deprecated in NetBox
  ] as const;
  await withSync(async (s) => {
    const resolver = new NetBoxResolver(s);
    for (const [kind, slot, resolution] of cases) {
      const c = await resolver.resolve(by(kind, slot).id, { resolution });
      assert.equal(c.status, 'resolved', `${kind} ${slot}`);
    }
    await assert.rejects(resolver.resolve(by('delegated_only', 'a00').id, { resolution: 'ours' }), /resolved already/);
  });
  const here = await held(pool.id);
  const id = (cidr: string): number => nbPrefix(cidr)[0]!.id;
  assert.equal(here.get('2001:db8:900:100::/56'), `ASSIGNED cpe-a #${id('2001:db8:900:100::/56')}`);
  assert.equal(here.get('2001:db8:900:300::/56'), `RESERVED mallory #${id('2001:db8:900:300::/56')}`);
  assert.equal(here.get('2001:db8:900:500::/56'), undefined, 'the old delegation is released');
  assert.equal(here.get('2001:db8:900:5500::/56'), `RESERVED cpe-e #${id('2001:db8:900:5500::/56')}`);
  assert.equal(here.get('2001:db8:900:a00::/56'), `ASSIGNED intruder #${id('2001:db8:900:a00::/56')}`);
  assert.equal(nbPrefix('2001:db8:900:200::/56')[0]!.status, 'active');
  assert.equal(nbPrefix('2001:db8:900:400::/56')[0]!.description, 'cpe-d');
  assert.equal(nbPrefix('2001:db8:900:600::/56').length, 1, 'the resized prefix is a /56 again');
  assert.equal(nbPrefix('2001:db8:900:600::/60').length, 0);
  assert.equal(nbPrefix('2001:db8:900:b00::/56')[0]!.status, 'deprecated');

  // The pushes the resolutions queued go out with the next sync; after it, nothing is open, and the one after writes nothing.
  const run = await syncPool(pool.id);
  assert.equal(run.status, 'succeeded', run.error ?? '');
  assert.deepEqual((await open(pool.id)).map((c) => `${c.kind} ${c.subject}`), []);
  const from = w.fake.requests.length;
  await syncPool(pool.id);
  assert.deepEqual(w.fake.writes(from), []);
  assert.deepEqual(await open(pool.id), []);
});

test(`an ignored delegated conflict stays ignored while both sides look the same, and opens again when one changes (${DIALECT})`, async () => {
  const nb = nbPrefix('2001:db8:900:100::/56')[0]!;
  nb.description = 'someone-else';
  await syncPool(pool.id);
  const [c] = await open(pool.id);
  assert.equal(`${c?.kind} ${c?.subject}`, 'delegated_holder 2001:db8:900:100::/56');
  await withSync((s) => new NetBoxResolver(s).resolve(c!.id, { resolution: 'ignore' }));
  const from = w.fake.requests.length;
  await syncPool(pool.id);
  assert.deepEqual(await open(pool.id), []);
  assert.deepEqual(w.fake.writes(from), []);
  nb.description = 'someone-else-again';
  await syncPool(pool.id);
  assert.deepEqual((await open(pool.id)).map((x) => [x.id, x.kind]), [[c!.id, 'delegated_holder']], 'the same row, open again');
  const all = await withSync((s) => new NetBoxResolver(s).resolveAll({ resolution: 'ours', pool_id: pool.id }));
  assert.deepEqual([all.resolved, all.failed], [1, 0]);
  assert.equal(nb.description, 'cpe-a');
});

test(`configured to delete: a released delegation NetBox still holds is a status conflict; ours deletes it there, as it does a prefix we do not hold (${DIALECT})`, async () => {
  const r = (await w.db('ip_reservations').where({ pool_id: pool.id, ip_address: '2001:db8:900:a00::/56' }).first('id')) as { id: number };
  const nbId = nbPrefix('2001:db8:900:a00::/56')[0]!.id;
  // Released while NetBox was down: the push waits in the queue, NetBox still has the prefix as active.
  w.fake.failNext = Number.POSITIVE_INFINITY;
  await w.services.reservations.release(r.id);
  await withSync((s) => s.drain(), { released: 'delete' });
  w.fake.failNext = 0;
  await w.db('netbox_outbox').delete(); // the push is lost (say, the queue was purged): the sync must still see it
  w.fake.addPrefix({ prefix: '2001:db8:900:d00::/56', status: 'active', description: 'stray' });
  await syncPool(pool.id, { released: 'delete' });
  const found = await open(pool.id);
  assert.deepEqual(found.map((c) => `${c.kind} ${c.subject}`).sort(), ['delegated_only 2001:db8:900:d00::/56', 'delegated_status 2001:db8:900:a00::/56']);
  assert.match(String(found.find((c) => c.kind === 'delegated_status')!.ours?.status), /released \(deleted in NetBox\)/);
  const all = await withSync((s) => new NetBoxResolver(s).resolveAll({ resolution: 'ours', pool_id: pool.id }), { released: 'delete' });
  assert.deepEqual([all.resolved, all.failed], [2, 0], all.run.log.join('\n'));
  assert.equal(w.fake.prefixes.has(nbId), false);
  assert.equal(nbPrefix('2001:db8:900:d00::/56').length, 0);
  assert.equal(((await w.db('ip_reservations').where({ id: r.id }).first('netbox_ip_id')) as { netbox_ip_id: number | null }).netbox_ip_id, null);
  const from = w.fake.requests.length;
  await syncPool(pool.id, { released: 'delete' });
  assert.deepEqual(await open(pool.id), []);
  assert.deepEqual(w.fake.writes(from), []);
});

test(`theirs on a NetBox prefix the pool cannot delegate is refused with the reason, and the conflict stays open (${DIALECT})`, async () => {
  // A /56 inside the pool but already held here by a released delegation in quarantine.
  const quarantined = (await w.db('ip_reservations').where({ pool_id: pool.id, ip_address: '2001:db8:900:500::/56' }).first('status')) as { status: string };
  assert.equal(quarantined.status, 'RELEASED');
  w.fake.addPrefix({ prefix: '2001:db8:900:500::/56', status: 'active', description: 'latecomer' });
  await syncPool(pool.id);
  const [c] = await open(pool.id);
  assert.equal(`${c?.kind} ${c?.subject}`, 'delegated_only 2001:db8:900:500::/56');
  await withSync(async (s) => {
    await assert.rejects(new NetBoxResolver(s).resolve(c!.id, { resolution: 'theirs' }), (err: Error & { status?: number }) => err.status === 409 && /quarantine|held|reserved/i.test(err.message));
  });
  assert.equal((await conflicts().get(c!.id)).status, 'open');
});
