import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ValidationError } from '../../src/domain/errors.js';
import type { FactRecordInput } from '../../src/services/devices/schemas.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

const TABLES = ['device_changes', 'device_custom_values', 'custom_fields', 'device_facts', 'device_overrides', 'device_macs', 'device_disks', 'device_nics', 'device_ips', 'device_tags', 'audit_log', 'ip_asset_tags', 'ip_assets', 'hosts', 'owners'];

/** A VM as a vCenter connector reports it. */
function vm(n: number, over: Partial<FactRecordInput> = {}): FactRecordInput {
  return {
    external_id: `vm-${n}`,
    name: `vm-${n}`,
    kind: 'vm',
    platform: 'vmware',
    uuid: `4210AAAA-0000-0000-0000-00000000000${n}`,
    power_state: 'poweredOn',
    os_type: 'Ubuntu Linux (64-bit)',
    os_family: 'linux',
    vcpus: 2,
    sockets: 1,
    cores_per_socket: 2,
    memory_mb: 4096,
    cluster: 'prod-a',
    hypervisor: 'esx-1',
    disks: [{ label: 'Hard disk 1', size_gb: 40, storage: 'ds-1', backing: 'thin' }],
    nics: [{ mac: `00:50:56:00:00:0${n}`, network_name: 'VM Network', vlan: 10, connected: true, ips: [`10.1.0.${n}`] }],
    raw: { moid: `vm-${n}`, guest: { family: 'linuxGuest' } },
    ...over,
  };
}

describe(`devices: facts per source, overrides, history (${DIALECT})`, () => {
  let t: TestDb;
  let s: ReturnType<typeof servicesFor>;
  const historyRows = async (): Promise<number> => Number(((await t.db('device_changes').count({ n: '*' })) as { n: number }[])[0]!.n);
  before(async () => {
    t = await createTestDb();
    s = servicesFor(t.db);
  });
  after(() => t.cleanup());
  beforeEach(async () => {
    for (const table of TABLES) await t.db(table).delete();
  });

  it('a first sync creates devices with their facts, disks, NICs and IPs; an unchanged re-sync writes zero history rows', async () => {
    const first = await s.devices.recordFacts('vcenter', 1, [vm(1), vm(2)]);
    assert.deepEqual([first.created, first.updated, first.unchanged, first.changes], [2, 0, 0, 2]);
    const d = await s.devices.get(first.devices[0]!.device_id);
    assert.deepEqual([d.name, d.kind, d.platform, d.power_state, d.uuid, d.memory_mb, d.disk_count, d.disk_total_gb, d.nic_count], ['vm-1', 'vm', 'vmware', 'on', '4210aaaa-0000-0000-0000-000000000001', 4096, 1, 40, 1]);
    assert.deepEqual(d.nics, [{ mac: '00:50:56:00:00:01', network_name: 'VM Network', vlan: '10', connected: true, ips: ['10.1.0.1'] }]);
    assert.deepEqual(d.disks, [{ label: 'Hard disk 1', size_gb: 40, storage: 'ds-1', backing: 'thin' }]);
    assert.deepEqual(d.ips, [{ ip_address: '10.1.0.1', source: 'vcenter', label: null, is_primary: false }]);
    assert.deepEqual(d.facts.map((f) => [f.source, f.external_id, f.raw]), [['vcenter', 'vm-1', { moid: 'vm-1', guest: { family: 'linuxGuest' } }]]);
    assert.ok(d.first_seen_at && d.last_seen_at);
    const rowsAfterFirst = await historyRows();
    for (let run = 2; run <= 3; run++) {
      const again = await s.devices.recordFacts('vcenter', run, [vm(1), vm(2)]);
      assert.deepEqual([again.created, again.updated, again.unchanged, again.changes], [0, 0, 2, 0]);
    }
    assert.equal(await historyRows(), rowsAfterFirst);
    assert.equal((await s.devices.history({ run_id: 3 })).total, 0);
    assert.equal((await s.devices.list()).total, 2);
  });

  it('an override survives three syncs that change the fact, and clearing it shows the latest fact', async () => {
    const id = (await s.devices.recordFacts('vcenter', 1, [vm(1)])).devices[0]!.device_id;
    await s.devices.setOverride(id, 'os_type', 'Windows Server 2022');
    await s.devices.setOverride(id, 'power_state', 'off');
    for (const [run, os] of [[2, 'Debian 11'], [3, 'Debian 12'], [4, 'Rocky 9']] as const) {
      const res = await s.devices.recordFacts('vcenter', run, [vm(1, { os_type: os, power_state: 'poweredOn' })]);
      assert.equal(res.changes, 0, `run ${run} changes no effective value`);
      const d = await s.devices.get(id);
      assert.deepEqual([d.os_type, d.effective.os_type.from, d.power_state], ['Windows Server 2022', 'override', 'off']);
      assert.equal(d.facts[0]!.fields.os_type, os);
      assert.equal((await s.devices.list({ os_type: 'Windows Server 2022' })).total, 1);
    }
    const cleared = await s.devices.clearOverride(id, 'os_type');
    assert.deepEqual([cleared.os_type, cleared.effective.os_type.from], ['Rocky 9', 'vcenter']);
  });

  it('a sync records what changed (power, CPU, memory, disks, NICs/IPs, placement) with its run; per device, per run and last 24 h', async () => {
    const id = (await s.devices.recordFacts('vcenter', 1, [vm(1)])).devices[0]!.device_id;
    const res = await s.devices.recordFacts('vcenter', 2, [
      vm(1, { power_state: 'poweredOff', vcpus: 4, memory_mb: 8192, cluster: 'prod-b', disks: [{ label: 'Hard disk 1', size_gb: 80, storage: 'ds-1', backing: 'thin' }], nics: [{ mac: '00:50:56:00:00:01', network_name: 'VM Network', vlan: 10, connected: true, ips: ['10.1.0.99'] }] }),
    ]);
    assert.equal(res.updated, 1);
    const run = (await s.devices.history({ run_id: 2 })).items;
    assert.deepEqual(run.map((c) => c.field).sort(), ['cluster', 'disk_total_gb', 'disks', 'ips', 'memory_mb', 'nics', 'power_state', 'vcpus']);
    assert.ok(run.every((c) => c.device_id === id && c.run_id === 2 && c.source === 'vcenter' && c.changed_by === null));
    const power = run.find((c) => c.field === 'power_state')!;
    assert.deepEqual([power.old_value, power.new_value], ['on', 'off']);
    assert.deepEqual(JSON.parse(run.find((c) => c.field === 'ips')!.new_value!), ['10.1.0.99']);
    assert.equal((await s.devices.history({ device_id: id, limit: 1000 })).total, run.length + 1);
    assert.equal((await s.devices.history({ since_hours: 24 })).total, run.length + 1);
    await t.db('device_changes').update({ changed_at: '2020-01-01 00:00:00' });
    assert.equal((await s.devices.history({ since_hours: 24 })).total, 0);
  });

  it('manually added IPs are kept across syncs that change the reported ones', async () => {
    const id = (await s.devices.recordFacts('vcenter', 1, [vm(1)])).devices[0]!.device_id;
    await s.devices.patch(id, { manual_ips: [{ ip_address: '192.0.2.10', label: 'service VIP', is_primary: true }] });
    for (const [run, ip] of [[2, '10.1.0.50'], [3, '10.1.0.51'], [4, '10.1.0.52']] as const) {
      await s.devices.recordFacts('vcenter', run, [vm(1, { nics: [{ mac: '00:50:56:00:00:01', network_name: 'VM Network', ips: [ip] }] })]);
      const d = await s.devices.get(id);
      assert.deepEqual(d.ips.map((i) => [i.ip_address, i.source]), [[ip, 'vcenter'], ['192.0.2.10', 'manual']].sort());
    }
    assert.equal((await s.devices.list({ q: '192.0.2.10' })).total, 1);
  });

  it('the highest-priority source wins each fact; a person’s typed value loses to any sync', async () => {
    const lab = await s.devices.create({ name: 'sw-1', kind: 'switch', model: 'typed by hand', serial: 'FOC1' });
    await s.devices.recordFacts('netdisco', 1, [{ external_id: 'nd-1', name: 'sw-1.lab', serial: 'FOC1', model: 'WS-C2960', vendor: 'Cisco', firmware_version: '15.0' }]);
    let d = await s.devices.get(lab.id);
    assert.deepEqual([d.model, d.effective.model.from, d.vendor], ['WS-C2960', 'netdisco', 'Cisco']);
    await s.devices.recordFacts('librenms', 2, [{ external_id: '17', serial: 'FOC1', model: 'WS-C2960X-48', macs: ['00:1a:2b:3c:4d:5e'] }]);
    d = await s.devices.get(lab.id);
    assert.deepEqual([d.model, d.effective.model.from, d.vendor, d.effective.vendor.from, d.firmware_version], ['WS-C2960X-48', 'librenms', 'Cisco', 'netdisco', '15.0']);
    assert.deepEqual(d.sources, ['librenms', 'manual', 'netdisco']);
    assert.equal((await s.devices.list()).total, 1, 'matched by serial, not a second device');
    assert.equal((await s.devices.list({ source: 'librenms' })).total, 1);
    assert.equal((await s.devices.list({ mac: '00:1A:2B:3C:4D:5E' })).total, 1);
  });

  it('a sync finds an existing ipocket host by name, and links a VM to its hypervisor device', async () => {
    const host = await s.hosts.create({ name: 'vm-1' });
    await s.devices.recordFacts('vcenter', 1, [{ external_id: 'host-9', name: 'esx-1', kind: 'hypervisor', platform: 'vmware' }, vm(1)]);
    const d = await s.devices.get(host.id);
    assert.deepEqual([d.kind, d.platform, d.hypervisor], ['vm', 'vmware', 'esx-1']);
    const esx = (await s.devices.list({ kind: ['hypervisor'] })).items[0]!;
    assert.equal(d.hypervisor_device_id, esx.id);
    assert.deepEqual((await s.hosts.list()).items.map((h) => h.name), ['esx-1', 'vm-1']);
  });

  it('refuses bad records with the field that is wrong, writing nothing', async () => {
    const bad = (records: FactRecordInput[], loc: string, source = 'vcenter') =>
      assert.rejects(s.devices.recordFacts(source, 1, records), (e: unknown) => e instanceof ValidationError && e.issues[0]!.loc.join('.') === loc);
    await bad([vm(1), vm(2, { macs: ['not-a-mac'] })], 'devices.1.macs.0');
    await bad([vm(1), vm(1)], 'devices.1.external_id');
    await bad([vm(1, { memory_mb: -1 })], 'devices.0.memory_mb');
    await bad([vm(1)], 'source', 'manual');
    await bad([vm(1)], 'source', 'Bad Source!');
    assert.equal((await s.devices.list()).total, 0);
  });
});
