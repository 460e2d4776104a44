/**
 * The devices entity of the reconcile engine, end to end through the plugin runner on a real
 * database (SQLite, or PostgreSQL with TEST_DATABASE_URL): matching order, facts and lists per
 * source, the merged columns, device history naming the run, NIC addresses as IP assets in the
 * same transaction, dry-run == apply, and an unchanged re-run that writes nothing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { emptyBatch, type BatchAsset, type BatchDevice } from '../../src/plugins/batch.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { deviceTestDb } from '../helpers/devices.js';
import { EDITOR } from '../helpers/services.js';

let devices: BatchDevice[] = [];
let addresses: BatchAsset[] = [];
const source = definePlugin({
  name: 'device-source',
  title: 'Devices',
  kind: 'connector',
  options: z.object({}),
  async collect() {
    return { ...emptyBatch('device-source'), devices: structuredClone(devices), ip_assets: structuredClone(addresses) };
  },
});

const vm = (over: Partial<BatchDevice> = {}): BatchDevice => ({
  loc: 'vm-1',
  source: 'vcenter',
  source_id: 'vm-1',
  name: 'app01',
  kind: 'vm',
  platform: 'vmware',
  power_state: 'POWERED_ON',
  vcpus: 4,
  memory_mb: 8192,
  os_type: 'Ubuntu Linux (64-bit)',
  cluster: 'prod',
  hypervisor: 'esx01',
  disks: [{ label: 'Hard disk 1', size_gb: 40 }],
  nics: [{ mac: '00:50:56:AA:BB:01', network: 'VM Network', connected: true, ips: ['10.20.0.11'] }],
  ...over,
});

describe('devices entity', () => {
  const ctx = deviceTestDb();
  const run = async (list: BatchDevice[], dryRun = false, chunkSize?: number) => {
    devices = list;
    const out = await runPlugin(ctx.t.db, EDITOR, { plugin: source, input: { files: [] }, options: {}, dryRun, chunkSize });
    assert.equal(out.plan?.errors.length, 0, JSON.stringify(out.plan?.errors));
    return out;
  };
  const device = async (name: string) => (await ctx.t.db('hosts').where({ name }).first()) as Record<string, unknown> | undefined;
  const tableCounts = async () => {
    const out: Record<string, number> = {};
    for (const t of ['hosts', 'device_facts', 'device_macs', 'device_disks', 'device_nics', 'device_ips', 'device_changes', 'ip_assets', 'audit_log']) out[t] = Number(((await ctx.t.db(t).count({ n: '*' }))[0] as { n: number }).n);
    return out;
  };

  test('a new VM is a CREATE with its facts, lists, history naming the run, and its NIC address as a VM asset of it', async () => {
    const out = await run([vm(), { loc: 'host-1', source: 'vcenter', source_id: 'host-1', name: 'esx01', kind: 'hypervisor', serial: 'SN-ESX-1' }]);
    assert.deepEqual(out.plan!.counts.devices, { create: 2, update: 0, skip: 0 });
    assert.deepEqual(out.plan!.counts.ip_assets, { create: 1, update: 0, skip: 0 });
    const d = (await device('app01'))!;
    assert.equal(d.kind, 'vm');
    assert.equal(d.power_state, 'on');
    assert.equal(Number(d.memory_mb), 8192);
    assert.equal(Number(d.disk_total_gb), 40);
    assert.equal(Number(d.nic_count), 1);
    const esx = (await device('esx01'))!;
    assert.equal(Number(d.hypervisor_device_id), Number(esx.id), 'the VM points at its ESXi host');
    const macs = await ctx.t.db('device_macs').where({ device_id: d.id }).pluck('mac');
    assert.deepEqual(macs, ['00:50:56:aa:bb:01']);
    const nic = await ctx.t.db('device_nics').where({ device_id: d.id }).first();
    assert.equal(nic.network_name, 'VM Network');
    const asset = await ctx.t.db('ip_assets').where({ ip_address: '10.20.0.11' }).first();
    assert.equal(asset.type, 'VM');
    assert.equal(Number(asset.host_id), Number(d.id));
    const history = await ctx.t.db('device_changes').where({ device_id: d.id });
    assert.deepEqual(history.map((h) => [h.field, h.new_value, Number(h.run_id), h.source]), [['device', 'created', out.runId, 'vcenter']]);
  });

  test('an unchanged re-run is all SKIP and writes nothing', async () => {
    await run([vm()]);
    const before = await tableCounts();
    const stamps = await ctx.t.db('hosts').select('id', 'updated_at', 'last_seen_at').orderBy('id');
    const out = await run([vm()]);
    assert.deepEqual(out.plan!.counts.devices, { create: 0, update: 0, skip: 1 });
    assert.deepEqual(out.plan!.counts.ip_assets, { create: 0, update: 0, skip: 1 });
    const after = await tableCounts();
    // The run's own audit entry is the one row an apply adds.
    assert.deepEqual(after, { ...before, audit_log: before.audit_log! + 1 });
    assert.deepEqual(await ctx.t.db('hosts').select('id', 'updated_at', 'last_seen_at').orderBy('id'), stamps);
  });

  test('a change is an UPDATE with its field diffs in the dry-run, the same plan applied, and history rows with the run id', async () => {
    await run([vm()]);
    const changed = vm({ memory_mb: 16384, power_state: 'poweredOff', nics: [{ mac: '00:50:56:aa:bb:01', network: 'DMZ', ips: ['10.20.0.11'] }] });
    const dry = await run([changed], true);
    const applied = await run([changed]);
    assert.deepEqual(dry.plan!.counts, applied.plan!.counts);
    assert.deepEqual(JSON.parse(JSON.stringify(dry.plan!.changes)), JSON.parse(JSON.stringify(applied.plan!.changes)));
    const upd = applied.plan!.changes.find((c) => c.entity === 'devices')!;
    assert.equal(upd.action, 'UPDATE');
    const fields = upd.changes.map((c) => c.field);
    assert.ok(fields.includes('memory_mb') && fields.includes('power_state') && fields.includes('nics'), fields.join());
    assert.deepEqual(upd.changes.find((c) => c.field === 'memory_mb'), { field: 'memory_mb', before: '8192', after: '16384' });
    const d = (await device('app01'))!;
    assert.equal(Number(d.memory_mb), 16384);
    const rows = await ctx.t.db('device_changes').where({ device_id: d.id, run_id: applied.runId }).pluck('field');
    assert.deepEqual([...rows].sort(), [...fields].sort());
    assert.equal(await ctx.t.db('device_changes').where({ run_id: dry.runId }).count({ n: '*' }).then((r) => Number((r[0] as { n: number }).n)), 0, 'a dry-run writes no history');
  });

  test('matching: source id first, then serial, then any MAC (any spelling), then name', async () => {
    const s = ctx.s;
    const bySerial = await s.devices.create({ name: 'rack-box', serial: 'SER-1' });
    const byMac = await s.devices.create({ name: 'mac-box', macs: ['aa:bb:cc:00:00:01'] });
    const byName = await s.devices.create({ name: 'sw-core-1' });
    const out = await run([
      { loc: 'a', source: 'librenms', source_id: '1', name: 'other-name', serial: 'SER-1' },
      { loc: 'b', source: 'librenms', source_id: '2', name: 'whatever', macs: ['AA-BB-CC-00-00-01'] },
      { loc: 'c', source: 'librenms', source_id: '3', name: 'sw-core-1', model: 'C9300' },
    ]);
    assert.deepEqual(out.plan!.counts.devices, { create: 0, update: 3, skip: 0 });
    const owner = async (id: string) => Number((await ctx.t.db('device_facts').where({ source: 'librenms', external_id: id }).first()).device_id);
    assert.equal(await owner('1'), bySerial.id);
    assert.equal(await owner('2'), byMac.id);
    assert.equal(await owner('3'), byName.id);
    // Renamed at the source: the source id still finds it, and the device keeps its name.
    const again = await run([{ loc: 'a', source: 'librenms', source_id: '1', name: 'renamed', serial: 'SER-9' }]);
    assert.deepEqual(again.plan!.counts.devices, { create: 0, update: 1, skip: 0 });
    assert.equal(await owner('1'), bySerial.id);
    assert.equal((await device('rack-box'))!.serial, 'SER-9');
  });

  test('a device this source already reports under another id is not taken by name: the new one gets its own', async () => {
    await run([vm()]);
    const out = await run([vm(), vm({ loc: 'vm-2', source_id: 'vm-2', nics: [{ mac: '00:50:56:aa:bb:02', ips: ['10.20.0.12'] }] })]);
    assert.deepEqual(out.plan!.counts.devices, { create: 1, update: 0, skip: 1 });
    assert.ok(await device('app01 (vcenter:vm-2)'));
  });

  test('two sources on one device merge by priority: LibreNMS over Netdisco whatever the order, an override over both', async () => {
    await run([{ loc: 'n', source: 'netdisco', source_id: '10.0.0.1', name: 'sw1', serial: 'FOC1', model: 'WS-C3850', os_version: '16.9' }]);
    await run([{ loc: 'l', source: 'librenms', source_id: '7', name: 'sw1', serial: 'FOC1', model: 'C3850-48P', os_version: '16.12' }]);
    let d = (await device('sw1'))!;
    assert.equal(d.model, 'C3850-48P');
    assert.equal(d.os_version, '16.12');
    // Netdisco reports again, changed: LibreNMS still wins the shown value.
    const out = await run([{ loc: 'n', source: 'netdisco', source_id: '10.0.0.1', name: 'sw1', serial: 'FOC1', model: 'WS-C3850-X', os_version: '16.9' }]);
    assert.deepEqual(out.plan!.counts.devices, { create: 0, update: 1, skip: 0 });
    d = (await device('sw1'))!;
    assert.equal(d.model, 'C3850-48P');
    await ctx.s.devices.setOverride(Number(d.id), 'model', 'Catalyst 3850');
    await run([{ loc: 'l', source: 'librenms', source_id: '7', name: 'sw1', serial: 'FOC1', model: 'C3850-48P-S', os_version: '16.12' }]);
    assert.equal((await device('sw1'))!.model, 'Catalyst 3850');
    assert.equal(await ctx.t.db('hosts').count({ n: '*' }).then((r) => Number((r[0] as { n: number }).n)), 1, 'one device, not two');
  });

  test('the batch\'s own record of a NIC address keeps its notes and tags and gets the device as host, counted once', async () => {
    addresses = [{ loc: 'vm-1 (10.20.0.11)', ip_address: '10.20.0.11', type: 'VM', notes: 'vCenter VM: app01', tags: ['vcenter'] }];
    try {
      const dry = await run([vm()], true);
      const out = await run([vm()]);
      assert.deepEqual(out.plan!.counts.ip_assets, { create: 1, update: 0, skip: 0 });
      assert.deepEqual(dry.plan!.counts, out.plan!.counts);
      const asset = await ctx.s.assets.getByAddress('10.20.0.11');
      assert.equal(asset.notes, 'vCenter VM: app01');
      assert.deepEqual(asset.tags, ['vcenter']);
      assert.equal(Number(asset.host_id), Number((await device('app01'))!.id));
    } finally {
      addresses = [];
    }
  });

  test('chunked: many devices in small steps give the same result as one step, and a bad record stops the apply', async () => {
    const many = Array.from({ length: 23 }, (_, i) => vm({ loc: `vm-${i}`, source_id: `vm-${i}`, name: `vm${i}`, nics: [{ mac: `00:50:56:00:00:${String(i).padStart(2, '0')}`, ips: [`10.30.0.${i + 1}`] }] }));
    const out = await run(many, false, 5);
    assert.deepEqual(out.plan!.counts.devices, { create: 23, update: 0, skip: 0 });
    assert.equal(await ctx.t.db('ip_assets').whereLike('ip_address', '10.30.0.%').count({ n: '*' }).then((r) => Number((r[0] as { n: number }).n)), 23);
    devices = [vm({ loc: 'bad', source_id: 'x', memory_mb: -1 as never })];
    const bad = await runPlugin(ctx.t.db, EDITOR, { plugin: source, input: { files: [] }, options: {}, dryRun: false });
    assert.equal(bad.applied, false);
    assert.deepEqual(bad.plan!.errors.map((e) => e.location), ['bad.memory_mb']);
  });
});
