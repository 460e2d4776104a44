/**
 * Two app instances on one database (a SQLite file both open, or one PostgreSQL database opened
 * twice) talking to NetBox at once: the scheduled job on one, a "sync all" from the panel on the
 * other, and two bulk syncs side by side. The NetBox lease lets one conversation run at a time, so
 * nothing is pushed or created twice (issue 16). Against the fake NetBox, slowed so they overlap.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Knex } from 'knex';
import { builtinJobs } from '../../src/jobs/builtin.js';
import { JobRunner } from '../../src/jobs/runner.js';
import { netboxSyncFor } from '../../src/plugins/netbox-sync.js';
import { NetBoxOptions } from '../../plugins/netbox/options.js';
import { FakeNetBox } from '../fakes/netbox.js';
import { DIALECT, twoConnections } from '../helpers/db.js';
import { EDITOR, servicesFor, TEST_SERVICES_CONFIG } from '../helpers/services.js';
import { TOKEN } from './setup.js';

let a: Knex;
let b: Knex;
let cleanup: () => Promise<void>;
const fake = new FakeNetBox({ token: TOKEN });
let close: () => Promise<void>;
let settings: ReturnType<typeof NetBoxOptions.parse>;

before(async () => {
  ({ a, b, cleanup } = await twoConnections());
  const server = await fake.listen();
  close = server.close;
  const options = { url: server.url, token: TOKEN, timeout: 5, retries: 0 };
  await servicesFor(a).connectorConfigs.create({ name: 'netbox', plugin: 'netbox', options });
  settings = NetBoxOptions.parse(options);
});
after(async () => {
  await close();
  await cleanup();
});

const posts = (from: number): string[] => fake.writes(from).filter((q) => q.method === 'POST').map((q) => q.path);

async function poolWithReservations(name: string, cidr: string, n: number): Promise<{ poolId: number; addresses: string[] }> {
  const s = servicesFor(a);
  const pool = await s.pools.create({ pool_name: name, pool_type: 'IPV4_PRIVATE', network_cidr: cidr });
  const addresses: string[] = [];
  for (let i = 0; i < n; i++) addresses.push((await s.reservations.reserve({ pool_id: pool.id, subscriber_id: `${name}-${i}` })).ip_address);
  return { poolId: pool.id, addresses };
}

test(`the scheduled job on instance A and a "sync all" on instance B at once: each pool and address created once (${DIALECT})`, async () => {
  const { addresses } = await poolWithReservations('race-1', '10.77.1.0/28', 5);
  const from = fake.requests.length;
  fake.delayMs = 20;
  const runnerA = new JobRunner({ db: a, registry: builtinJobs(), config: TEST_SERVICES_CONFIG, instanceId: 'instance-a', log: () => undefined });
  const syncB = netboxSyncFor(b, EDITOR, settings);
  try {
    const [ticked, synced] = await Promise.all([runnerA.tick(new Date('2026-12-01T10:00:00Z')), syncB.syncAll()]);
    const job = ticked.find((r) => r.name === 'netbox');
    assert.equal(job?.status, 'succeeded', job?.error ?? '');
    assert.equal(synced.status, 'succeeded', synced.error ?? '');
  } finally {
    syncB.close();
    fake.delayMs = 0;
  }
  assert.deepEqual(posts(from).sort(), [...Array(5).fill('/api/ipam/ip-addresses/'), '/api/ipam/prefixes/'].sort(), 'one prefix and five addresses, each created once');
  assert.equal([...fake.prefixes.values()].filter((p) => p.prefix === '10.77.1.0/28').length, 1);
  for (const address of addresses) assert.equal([...fake.ips.values()].filter((ip) => ip.address.startsWith(`${address}/`)).length, 1, address);
  assert.equal(Number(((await a('netbox_outbox').count({ n: '*' })) as { n: number | string }[])[0]!.n), 0, 'nothing left queued');
});

test(`two bulk syncs on two instances at once: the second waits for the first and finds everything in step (${DIALECT})`, async () => {
  await poolWithReservations('race-2', '10.77.2.0/28', 4);
  const from = fake.requests.length;
  fake.delayMs = 20;
  const syncA = netboxSyncFor(a, EDITOR, settings);
  const syncB = netboxSyncFor(b, EDITOR, settings);
  try {
    const runs = await Promise.all([syncA.syncAll(), syncB.syncAll()]);
    assert.deepEqual(runs.map((r) => r.status), ['succeeded', 'succeeded']);
    const created = runs.map((r) => r.counts.created).sort();
    assert.deepEqual(created, [0, 0], 'pushes are the drain\'s, not a run\'s creates');
    assert.equal(runs.reduce((n, r) => n + r.counts.failed, 0), 0);
  } finally {
    syncA.close();
    syncB.close();
    fake.delayMs = 0;
  }
  assert.deepEqual(posts(from).sort(), [...Array(4).fill('/api/ipam/ip-addresses/'), '/api/ipam/prefixes/'].sort());
});

test(`while another instance holds the NetBox lease, the job skips its slot (kept queued) and a request waits, then answers 409 saying who (${DIALECT})`, async () => {
  await poolWithReservations('race-3', '10.77.3.0/28', 1);
  await b('netbox_sync_lease').where({ id: 1 }).update({ locked_by: 'instance-b:busy', locked_until: Date.now() + 60_000 });
  try {
    const runnerA = new JobRunner({ db: a, registry: builtinJobs(), config: TEST_SERVICES_CONFIG, instanceId: 'instance-a', log: () => undefined });
    const job = (await runnerA.tick(new Date('2026-12-01T11:00:00Z'))).find((r) => r.name === 'netbox');
    assert.equal(job?.status, 'succeeded', job?.error ?? '');
    assert.match(job?.result ?? '', /skipped: instance-b:busy holds the NetBox sync lease/);
    assert.ok(Number(((await a('netbox_outbox').count({ n: '*' })) as { n: number | string }[])[0]!.n) > 0, 'the push waits in the queue');
    const impatient = netboxSyncFor(a, EDITOR, settings, undefined, 100);
    try {
      await assert.rejects(impatient.syncAll(), (err: Error & { status?: number }) => err.status === 409 && /A NetBox sync is running on instance-b:busy; try again/.test(err.message));
    } finally {
      impatient.close();
    }
  } finally {
    await b('netbox_sync_lease').where({ id: 1 }).update({ locked_by: null, locked_until: null });
  }
  // Released: the next slot sends it.
  const runnerA = new JobRunner({ db: a, registry: builtinJobs(), config: TEST_SERVICES_CONFIG, instanceId: 'instance-a', log: () => undefined });
  const job = (await runnerA.tick(new Date('2026-12-01T11:00:05Z'))).find((r) => r.name === 'netbox');
  assert.match(job?.result ?? '', /push run #\d+/);
  assert.equal(Number(((await a('netbox_outbox').count({ n: '*' })) as { n: number | string }[])[0]!.n), 0);
});
