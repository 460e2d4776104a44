/**
 * vCenter plus Nutanix through the real runner against their fakes on 127.0.0.1, on a real
 * database (SQLite, or PostgreSQL with TEST_DATABASE_URL), with VMs both platforms report: the
 * unchanged re-sync of both sources writes nothing. Every row of every device and address table
 * (timestamps included) is the same afterwards, and no device history is added.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { nutanixPlugin } from '../../plugins/nutanix/index.js';
import { vcenterPlugin } from '../../plugins/vcenter/index.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { generateNutanix, shareWithVcenter, startFakeNutanix, type FakeNutanix } from '../fakes/nutanix.js';
import { generateInventory, startFakeVcenter, type FakeVcenter } from '../fakes/vcenter.js';
import { deviceTestDb } from '../helpers/devices.js';
import { EDITOR } from '../helpers/services.js';

/** What a sync may write: the run's own rows (import_runs, audit_log) are left out. */
const TABLES = ['hosts', 'device_facts', 'device_macs', 'device_disks', 'device_nics', 'device_ips', 'device_tags', 'device_changes', 'ip_assets', 'ip_asset_tags'];

describe('vCenter plus Nutanix: the unchanged re-sync', () => {
  const ctx = deviceTestDb();
  let vcenter: FakeVcenter | null = null;
  let nutanix: FakeNutanix | null = null;
  afterEach(async () => {
    await vcenter?.close();
    await nutanix?.close();
    vcenter = nutanix = null;
  });

  /** Every row of the tables, as text, in a stable order. */
  const snapshot = async (): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    for (const t of TABLES) out[t] = ((await ctx.t.db(t).select('*')) as Record<string, unknown>[]).map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();
    return out;
  };

  test('writes nothing: every row of the device and address tables unchanged, no history, all SKIP', async () => {
    vcenter = await startFakeVcenter(generateInventory(2, 12, 3));
    const inv = generateNutanix(12, 2);
    shareWithVcenter(inv.vms, 3);
    nutanix = await startFakeNutanix(inv);
    const sync = async () => {
      const a = await runPlugin(ctx.t.db, EDITOR, { plugin: vcenterPlugin, input: { files: [] }, options: { url: vcenter!.url, username: 'administrator@vsphere.local', password: 'VMware1!', devices: true }, dryRun: false });
      const b = await runPlugin(ctx.t.db, EDITOR, { plugin: nutanixPlugin, input: { files: [] }, options: { url: nutanix!.url, username: 'admin', password: 'Nutanix/4u' }, dryRun: false });
      assert.equal(a.status, 'succeeded', a.error?.message);
      assert.equal(b.status, 'succeeded', b.error?.message);
      return [a.plan!.counts.devices, b.plan!.counts.devices];
    };
    const first = await sync();
    assert.deepEqual(first, [{ create: 14, update: 0, skip: 0 }, { create: 11, update: 3, skip: 0 }], 'vCenter: 12 VMs and 2 hosts; Nutanix: 9 VMs and 2 hosts new, 3 VMs merged into the vCenter ones');
    const shared = await ctx.t.db('device_facts').where({ source: 'nutanix' }).whereIn('device_id', ctx.t.db('device_facts').where({ source: 'vcenter' }).select('device_id')).count({ n: '*' });
    assert.equal(Number((shared[0] as { n: number }).n), 3, 'three devices carry facts of both sources');
    const before = await snapshot();
    assert.ok(before.device_changes!.length > 0 && before.ip_assets!.length > 0);
    // A later clock: a re-sync that moved any timestamp would show it.
    await new Promise((r) => setTimeout(r, 1100));
    const again = await sync();
    assert.deepEqual(again, [{ create: 0, update: 0, skip: 14 }, { create: 0, update: 0, skip: 14 }]);
    const after = await snapshot();
    for (const t of TABLES) assert.deepEqual(after[t], before[t], `${t} unchanged`);
  });
});
