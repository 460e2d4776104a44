/**
 * Pushes to NetBox through the outbox (issue 16): a pool change or a reservation change queues a
 * push in its own transaction; the job runner's `netbox-push` sends it after commit, so NetBox
 * gets the prefix and the IP addresses with mapped statuses, and ids and synced-at are stored. An
 * outage (503, a timeout) loses nothing and never blocks an allocation. Against the fake NetBox.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { writeTransaction } from '../../src/db/transaction.js';
import { builtinJobs } from '../../src/jobs/builtin.js';
import { JobRunner } from '../../src/jobs/runner.js';
import { JobsService } from '../../src/services/jobs.js';
import { ReservationsService } from '../../src/services/pools/reservations.js';
import { DIALECT } from '../helpers/db.js';
import { EDITOR, TEST_SERVICES_CONFIG } from '../helpers/services.js';
import { netboxWorld, type NetBoxWorld } from './setup.js';

let w: NetBoxWorld;
let clock = new Date('2026-12-01T10:00:00Z').getTime();
/** Each tick is a new 5-second slot, 10 s after the last, so backoffs of the previous failure have passed when asked. */
const next = (seconds = 10): Date => new Date((clock += seconds * 1000));
const queued = async (): Promise<{ entity: string; entity_id: number; attempts: number; last_error: string | null }[]> => w.db('netbox_outbox').orderBy('id');

before(async () => {
  w = await netboxWorld();
});
after(() => w.close());

test(`a pool and its reservations reach NetBox after commit, statuses mapped, ids and synced-at stored (${DIALECT})`, async () => {
  const pool = await w.services.pools.create({ pool_name: 'cust-a', pool_type: 'IPV4_PUBLIC', network_cidr: '198.51.100.0/29', gateway: '198.51.100.1' });
  // Queued with the change, not yet sent.
  assert.deepEqual((await queued()).map((q) => [q.entity, q.entity_id]), [['pool', pool.id]]);
  assert.equal(w.fake.writes().length, 0);

  let run = await w.tick(next());
  assert.equal(run?.status, 'succeeded', run?.error ?? '');
  const prefix = [...w.fake.prefixes.values()].find((p) => p.prefix === '198.51.100.0/29');
  assert.ok(prefix, 'NetBox has the prefix');
  assert.deepEqual({ status: prefix.status, description: prefix.description, is_pool: prefix.is_pool }, { status: 'active', description: 'cust-a', is_pool: true });
  const stored = await w.services.pools.get(pool.id);
  assert.equal(stored.netbox_prefix_id, prefix.id);
  assert.ok(stored.netbox_synced_at);
  assert.equal((await queued()).length, 0);

  const r = await w.services.reservations.reserve({ pool_id: pool.id, subscriber_id: 'sub-1' });
  run = await w.tick(next());
  assert.equal(run?.status, 'succeeded', run?.error ?? '');
  let ip = w.fake.ipByAddress(r.ip_address);
  assert.deepEqual(ip && { address: ip.address, status: ip.status, description: ip.description }, { address: `${r.ip_address}/29`, status: 'reserved', description: 'sub-1' });
  const linked = await w.services.reservations.get(r.id);
  assert.equal(linked.netbox_ip_id, ip!.id);
  assert.equal(linked.netbox_synced, true);
  assert.ok(((await w.db('ip_reservations').where({ id: r.id }).first()) as { netbox_synced_at: string | null }).netbox_synced_at);

  await w.services.reservations.assign(r.id);
  await w.tick(next());
  assert.equal(w.fake.ipByAddress(r.ip_address)?.status, 'active');

  await w.services.reservations.release(r.id);
  await w.tick(next());
  ip = w.fake.ipByAddress(r.ip_address);
  assert.equal(ip?.status, 'deprecated', 'released → deprecated (the default)');
  assert.equal(ip?.id, linked.netbox_ip_id, 'the same NetBox address, updated, not a new one');

  // A pool rename is pushed as an update of the same prefix.
  await w.services.pools.update(pool.id, { pool_name: 'cust-a-renamed' });
  const from = w.fake.requests.length;
  await w.tick(next());
  assert.equal(w.fake.prefixes.get(prefix.id)?.description, 'cust-a-renamed');
  assert.deepEqual(w.fake.writes(from).map((q) => `${q.method} ${q.path}`), [`PATCH /api/ipam/prefixes/${prefix.id}/`]);
});

test(`a push is queued in the change's transaction: a rolled-back reservation queues nothing (${DIALECT})`, async () => {
  const pool = await w.services.pools.create({ pool_name: 'rollback', pool_type: 'IPV4_PRIVATE', network_cidr: '10.77.0.0/29' });
  await w.tick(next());
  await assert.rejects(
    writeTransaction(w.db, async (trx) => {
      await new ReservationsService({ db: trx, actor: EDITOR }).reserve({ pool_id: pool.id, subscriber_id: 'ghost' });
      assert.equal((await trx('netbox_outbox').where({ entity: 'reservation' })).length, 1, 'queued inside the transaction');
      throw new Error('abort');
    }),
    /abort/,
  );
  assert.equal((await queued()).length, 0);
});

test(`a NetBox outage (503, then timeouts) never blocks an allocation and loses no push; they all arrive once it is back (${DIALECT})`, async () => {
  const pool = await w.services.pools.create({ pool_name: 'outage', pool_type: 'IPV4_PRIVATE', network_cidr: '10.88.0.0/28' });
  await w.tick(next());
  w.fake.failNext = Number.POSITIVE_INFINITY;
  const started = Date.now();
  const made = await w.services.reservations.reserveBatch({ pool_id: pool.id, subscriber_id: 'bulk', count: 3 });
  assert.equal(made.length, 3);
  assert.ok(Date.now() - started < 2000, 'the allocation did not wait for NetBox');

  let run = await w.tick(next());
  assert.equal(run?.status, 'succeeded', 'a failed push is the queue’s business, not a failed job');
  let q = await queued();
  assert.equal(q.length, 3, 'every push is still queued');
  assert.equal(q[0]!.attempts, 1);
  assert.match(q[0]!.last_error ?? '', /503/);

  // Still down, now answering too slowly (the client gives up after its timeout).
  w.fake.failNext = 0;
  w.fake.delayMs = 2500;
  await w.tick(next());
  q = await queued();
  assert.equal(q.length, 3);
  assert.match(q[0]!.last_error ?? '', /timeout/);
  w.fake.delayMs = 0;

  // Back: the next due tick (after the backoff) sends all three.
  run = await w.tick(next(60));
  assert.equal(run?.status, 'succeeded', run?.error ?? '');
  assert.equal((await queued()).length, 0);
  for (const r of made) {
    assert.equal(w.fake.ipByAddress(r.ip_address)?.status, 'reserved', r.ip_address);
    assert.ok((await w.services.reservations.get(r.id)).netbox_ip_id);
  }
  const runs = await w.db('netbox_sync_runs').where({ kind: 'push' }).orderBy('id', 'desc').limit(3);
  assert.ok(runs.some((x: { counts: string }) => (JSON.parse(x.counts) as { failed: number }).failed > 0), 'the failed tries are in the history');
});

test(`configured to delete, a released reservation's NetBox address is deleted and unlinked (${DIALECT})`, async () => {
  const pool = await w.services.pools.create({ pool_name: 'deleting', pool_type: 'IPV4_PRIVATE', network_cidr: '10.99.0.0/29' });
  const r = await w.services.reservations.reserve({ pool_id: pool.id, subscriber_id: 'gone-soon', assign: true });
  const sync = w.sync({ released: 'delete' });
  try {
    await sync.drain(next().getTime());
    assert.equal(w.fake.ipByAddress(r.ip_address)?.status, 'active');
    await w.services.reservations.release(r.id);
    await sync.drain(next().getTime());
  } finally {
    sync.close();
  }
  assert.equal(w.fake.ipByAddress(r.ip_address), undefined);
  assert.equal((await w.services.reservations.get(r.id)).netbox_ip_id, null);
});

const syncRuns = async (): Promise<number> => Number(((await w.db('netbox_sync_runs').where({ kind: 'sync' }).count({ n: '*' })) as { n: number | string }[])[0]!.n);

test(`the 'netbox' job runs the bulk sync in its first run of each hour, once, recorded in the history (${DIALECT})`, async () => {
  const before = await syncRuns();
  const first = await w.tick(new Date('2026-12-01T12:00:30Z'));
  assert.equal(first?.status, 'succeeded', first?.error ?? '');
  assert.match(first?.result ?? '', /sync run #\d+/, 'the first run of 12:00 syncs');
  const again = await w.tick(new Date('2026-12-01T12:00:40Z'));
  assert.doesNotMatch(again?.result ?? '', /sync run/, 'later runs of the hour only push');
  const onTheHour = await w.tick(new Date('2026-12-01T13:00:00Z'));
  assert.equal(onTheHour?.status, 'succeeded', onTheHour?.error ?? '');
  assert.match(onTheHour?.result ?? '', /sync run #\d+/);
  assert.equal(await syncRuns(), before + 2);
});

test(`deleting a pool deletes its NetBox prefix (the push carries the prefix id past the pool's row) (${DIALECT})`, async () => {
  // After the hourly test's 13:00 slot: the runner claims only slots later than the last one run.
  clock = new Date('2026-12-01T14:00:00Z').getTime();
  const pool = await w.services.pools.create({ pool_name: 'short-lived', pool_type: 'IPV4_PRIVATE', network_cidr: '10.111.0.0/29' });
  await w.tick(next());
  const prefixId = (await w.services.pools.get(pool.id)).netbox_prefix_id!;
  assert.ok(w.fake.prefixes.has(prefixId));
  await w.services.pools.delete(pool.id);
  assert.deepEqual((await queued()).map((q) => q.entity), ['pool']);
  await w.tick(next());
  assert.equal(w.fake.prefixes.has(prefixId), false);
  assert.equal((await queued()).length, 0);
});

test(`hours missed while the app was down: the runner's first tick on start runs the bulk sync once, not once per missed hour (${DIALECT})`, async () => {
  // The last hourly sync was 14:00 (the test above); the app comes back at 18:20, four hours later.
  let now = new Date('2026-12-01T18:20:00Z');
  const before = await syncRuns();
  const runner = new JobRunner({ db: w.db, registry: builtinJobs(), config: TEST_SERVICES_CONFIG, instanceId: 'restarted', now: () => now, tickMs: 3_600_000, log: () => undefined });
  await runner.start();
  try {
    // start() ticks once at once (in the background): wait for the job's recorded outcome.
    const jobs = new JobsService(w.db);
    for (let i = 0; i < 200 && (await jobs.get('netbox', now.getTime()))?.last_slot !== now.getTime(); i++) await new Promise((r) => setTimeout(r, 25));
    for (let i = 0; i < 200 && (await jobs.get('netbox', now.getTime()))?.running; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(await syncRuns(), before + 1, 'one bulk sync for the missed hours');
    assert.match((await jobs.get('netbox', now.getTime()))?.last_result ?? '', /sync run #\d+/);
    now = new Date('2026-12-01T18:20:10Z');
    const later = (await runner.tick()).find((r) => r.name === 'netbox');
    assert.equal(later?.ran, true);
    assert.doesNotMatch(later?.result ?? '', /sync run/);
    assert.equal(await syncRuns(), before + 1);
  } finally {
    await runner.stop();
  }
});

test(`a delegated IPv6 prefix is pushed as a NetBox prefix, its status mapped, linked, then deprecated on release (${DIALECT})`, async () => {
  clock = new Date('2026-12-01T19:00:00Z').getTime();
  const pool = await w.services.pools.create({ pool_name: 'pd-cust', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:700::/48', delegation_prefix_length: 56 });
  const r = await w.services.reservations.reserve({ pool_id: pool.id, subscriber_id: 'cpe-7' });
  assert.equal(r.ip_address, '2001:db8:700::/56');
  const run = await w.tick(next());
  assert.equal(run?.status, 'succeeded', run?.error ?? '');
  const delegated = () => [...w.fake.prefixes.values()].filter((p) => p.prefix === '2001:db8:700::/56');
  assert.equal(delegated().length, 1);
  assert.deepEqual({ status: delegated()[0]!.status, description: delegated()[0]!.description, is_pool: delegated()[0]!.is_pool }, { status: 'reserved', description: 'cpe-7', is_pool: false });
  assert.equal(w.fake.ipByAddress('2001:db8:700::'), undefined, 'not an IP address');
  assert.equal((await w.services.reservations.get(r.id)).netbox_ip_id, delegated()[0]!.id);
  // The pool itself is a prefix too (is_pool), beside its delegated one.
  assert.equal([...w.fake.prefixes.values()].filter((p) => p.prefix === '2001:db8:700::/48' && p.is_pool).length, 1);

  await w.services.reservations.assign(r.id);
  await w.tick(next());
  assert.equal(delegated()[0]!.status, 'active');
  await w.services.reservations.release(r.id);
  await w.tick(next());
  assert.equal(delegated().length, 1, 'the same prefix, updated');
  assert.equal(delegated()[0]!.status, 'deprecated');

  // A bulk sync with nothing changed writes nothing.
  const from = w.fake.requests.length;
  const sync = w.sync();
  try {
    await sync.syncPool(pool.id);
  } finally {
    sync.close();
  }
  assert.deepEqual(w.fake.writes(from), []);
});
