/**
 * The nutanix connector through the real runner against the fake Prism Central on 127.0.0.1, on
 * a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL): paging past the server's page
 * cap, VM and host devices with their IPs, dry-run == apply, and each failure of the fake.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { nutanixPlugin } from '../../plugins/nutanix/index.js';
import { secretKeys } from '../../src/plugins/options.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { ImportRunsService } from '../../src/services/import-runs.js';
import { generateNutanix, startFakeNutanix, type FakeNutanix } from '../fakes/nutanix.js';
import { deviceTestDb } from '../helpers/devices.js';
import { EDITOR } from '../helpers/services.js';

const CREDS = { username: 'admin', password: 'Nutanix/4u' };

describe('nutanix connector against the fake Prism Central', () => {
  const ctx = deviceTestDb();
  let fake: FakeNutanix | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });
  const start = async (vms: number, pageCap = 500) => {
    const inv = generateNutanix(vms, 3);
    fake = await startFakeNutanix({ ...inv, pageCap });
    return fake;
  };
  const run = (options: Record<string, unknown> = {}, dryRun = false) => runPlugin(ctx.t.db, EDITOR, { plugin: nutanixPlugin, input: { files: [] }, options: { url: fake!.url, ...CREDS, ...options }, dryRun });
  const count = async (table: string, where: Record<string, unknown> = {}) => Number(((await ctx.t.db(table).where(where).count({ n: '*' }))[0] as { n: number }).n);

  test('the password is the one secret option', () => {
    assert.deepEqual(secretKeys(nutanixPlugin.options), ['password']);
  });

  test('pages to total_matches past a page cap smaller than asked; VMs and hosts become devices, NIC addresses VM assets, host addresses OS assets', async () => {
    const f = await start(25, 10);
    const out = await run({ project: 'Virtualization' });
    assert.equal(out.status, 'succeeded', out.error?.message);
    const vmLists = f.lists.filter((l) => l.kind === 'vm');
    assert.deepEqual(vmLists.map((l) => [l.offset, l.returned]), [[0, 10], [10, 10], [20, 5]], 'the next offset is what came back, not what was asked');
    assert.ok(vmLists.every((l) => l.length === 500));
    assert.deepEqual(out.plan!.counts.devices, { create: 28, update: 0, skip: 0 });
    assert.equal(await count('hosts', { kind: 'vm' }), 25);
    assert.equal(await count('hosts', { kind: 'hypervisor' }), 3);
    const vm0 = (await ctx.t.db('hosts').where({ name: 'ntnx-vm-00000' }).first()) as Record<string, unknown>;
    assert.deepEqual([vm0.platform, vm0.power_state, Number(vm0.vcpus), Number(vm0.memory_mb), vm0.cluster, vm0.hypervisor], ['nutanix', 'on', 2, 2048, 'ntnx-cluster-01', 'ahv-001']);
    assert.equal(Number(vm0.disk_count), 2);
    const ahv = (await ctx.t.db('hosts').where({ name: 'ahv-001' }).first()) as Record<string, unknown>;
    assert.equal(Number(vm0.hypervisor_device_id), Number(ahv.id), 'the VM points at its AHV host');
    assert.equal(ahv.serial, 'NX100000');
    const vmIp = await ctx.t.db('ip_assets').where({ ip_address: '10.20.0.0' }).first();
    assert.equal(vmIp.type, 'VM');
    assert.equal(Number(vmIp.host_id), Number(vm0.id));
    const hostIp = await ctx.t.db('ip_assets').where({ ip_address: '10.19.0.0' }).first();
    assert.equal(hostIp.type, 'OS');
    const off = (await ctx.t.db('hosts').where({ name: 'ntnx-vm-00009' }).first()) as Record<string, unknown>;
    assert.equal(off.power_state, 'off');
  });

  test('dry-run lists the same device CREATEs as the apply and writes nothing; an unchanged re-run is all SKIP', async () => {
    await start(6);
    const dry = await run({}, true);
    assert.equal(dry.status, 'succeeded', dry.error?.message);
    assert.equal(await count('hosts'), 0);
    const creates = dry.plan!.changes.filter((c) => c.entity === 'devices').map((c) => [c.action, c.key]);
    const out = await run();
    assert.deepEqual(out.plan!.changes.filter((c) => c.entity === 'devices').map((c) => [c.action, c.key]), creates);
    assert.equal(await count('hosts'), 9, '6 VMs and 3 hosts');
    const again = await run({}, true);
    assert.deepEqual(again.plan!.counts.devices, { create: 0, update: 0, skip: 9 });
  });

  test('a changed VM is an UPDATE with the field diff', async () => {
    const f = await start(3);
    await run();
    f.vms[1] = { ...f.vms[1]!, memoryMib: 65536, power: 'OFF' };
    const dry = await run({}, true);
    assert.deepEqual(dry.plan!.counts.devices, { create: 0, update: 1, skip: 5 });
    const change = dry.plan!.changes.find((c) => c.entity === 'devices' && c.action === 'UPDATE')!;
    const fields = Object.fromEntries(change.changes.map((c) => [c.field, [c.before, c.after]]));
    assert.deepEqual(fields.memory_mb, ['4096', '65536']);
    assert.deepEqual(fields.power_state, ['on', 'off']);
  });

  test('401: the run fails with a credentials message naming what to fix, writes nothing and never stores the password', async () => {
    await start(3);
    const out = await run({ password: 'wrong-secret' });
    assert.equal(out.status, 'failed');
    assert.match(out.error!.message, /Nutanix Prism Central at http:\/\/127\.0\.0\.1:\d+ refused the credentials while listing hosts \(offset 0\) \(HTTP 401.*check the username and password/);
    const row = await new ImportRunsService({ db: ctx.t.db, actor: EDITOR }).get(out.runId);
    assert.equal(row.status, 'failed');
    assert.doesNotMatch(JSON.stringify(row), /wrong-secret/);
    assert.equal(await count('hosts'), 0);
  });

  test('429 with Retry-After and 503 are retried; the run succeeds', async () => {
    const f = await start(4);
    f.faults.rateLimited = 1;
    f.faults.unavailable = 1;
    const out = await run();
    assert.equal(out.status, 'succeeded', out.error?.message);
    assert.equal(await count('hosts', { kind: 'vm' }), 4);
    const lines = (await new ImportRunsService({ db: ctx.t.db, actor: EDITOR }).get(out.runId)).log.map((l) => l.message);
    assert.ok(lines.some((l) => /2 retried/.test(l)), lines.join('\n'));
  });

  test('503 that does not end fails the run with the unavailable message', async () => {
    const f = await start(2);
    f.faults.unavailable = 100;
    const out = await run({ include_hosts: false });
    assert.equal(out.status, 'failed');
    assert.match(out.error!.message, /failed while listing vms \(offset 0\) \(HTTP 503.*also after retries: the service is down or overloaded/);
  });

  test('a slow answer past the timeout fails with the timeout message', async () => {
    const f = await start(2);
    f.faults.delayMs = 1500;
    const out = await run({ timeout: 0.2, include_hosts: false });
    assert.equal(out.status, 'failed');
    assert.match(out.error!.message, /did not answer within 0\.2 s \(timeout\)/);
    assert.equal(await count('hosts'), 0);
  });
});
