/**
 * Two sources reporting one lab (LAIM's sync): Netdisco and LibreNMS through the real runner
 * against their fakes, on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL). A
 * device both report is one device, found by serial or, where Netdisco has no serial, by MAC;
 * where they disagree LibreNMS wins, whichever ran first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { librenmsPlugin } from '../../plugins/librenms/index.js';
import { netdiscoPlugin } from '../../plugins/netdisco/index.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { generateLab, type LabSplit } from '../fakes/lab-devices.js';
import { librenmsFromLab, startFakeLibrenms, type FakeLibrenms } from '../fakes/librenms.js';
import { netdiscoFromLab, startFakeNetdisco, type FakeNetdisco } from '../fakes/netdisco.js';
import { deviceTestDb } from '../helpers/devices.js';
import { EDITOR } from '../helpers/services.js';

describe('Netdisco and LibreNMS on one lab', () => {
  const ctx = deviceTestDb();
  const lab: LabSplit = generateLab(30, 0.4);
  let nd: FakeNetdisco;
  let lnms: FakeLibrenms;
  before(async () => {
    nd = await startFakeNetdisco({ devices: netdiscoFromLab(lab) });
    lnms = await startFakeLibrenms({ devices: librenmsFromLab(lab) });
  });
  after(async () => {
    await nd.close();
    await lnms.close();
  });
  const netdisco = () => runPlugin(ctx.t.db, EDITOR, { plugin: netdiscoPlugin, input: { files: [] }, options: { url: nd.url, username: 'api_user', password: 'netdisco' }, dryRun: false });
  const librenms = () => runPlugin(ctx.t.db, EDITOR, { plugin: librenmsPlugin, input: { files: [] }, options: { url: lnms.url, token: 'librenms-token-0123456789abcdef' }, dryRun: false });
  const deviceOf = async (serial: string) => (await ctx.t.db('device_facts').join('hosts', 'hosts.id', 'device_facts.device_id').where('hosts.serial', serial).select('hosts.id', 'hosts.firmware_version', 'device_facts.source')) as { id: number; firmware_version: string; source: string }[];

  for (const order of [['netdisco', 'librenms'], ['librenms', 'netdisco']] as const) {
    test(`${order.join(' then ')}: one device per real device (serial, then MAC), LibreNMS' values where they disagree`, async () => {
      for (const name of order) {
        const out = await (name === 'netdisco' ? netdisco() : librenms());
        assert.equal(out.status, 'succeeded', `${name}: ${out.error?.message ?? JSON.stringify(out.plan?.errors)}`);
      }
      assert.equal(lab.both.length, 12);
      assert.equal(Number(((await ctx.t.db('hosts').count({ n: '*' }))[0] as { n: number }).n), lab.devices.length, '30 devices, not 42');
      for (const d of lab.both) {
        const rows = await deviceOf(d.serial);
        assert.deepEqual(rows.map((r) => r.source).sort(), ['librenms', 'netdisco'], `${d.hostname}${lab.macOnly.has(d.n) ? ' (no serial in Netdisco: matched by MAC)' : ''} carries both sources' facts`);
        assert.equal(new Set(rows.map((r) => r.id)).size, 1);
        assert.equal(rows[0]!.firmware_version, `${d.osVersion}-lnms`, 'LibreNMS over Netdisco');
      }
      const kinds = (await ctx.t.db('hosts').select('serial', 'kind')) as { serial: string; kind: string }[];
      const expected = new Map(lab.devices.map((d) => [d.serial, d.expectedKind]));
      assert.deepEqual(kinds.filter((k) => expected.get(k.serial) !== k.kind), [], 'each kind detected from the reported strings');
      const onlyNd = lab.netdisco.find((d) => !lab.both.includes(d))!;
      assert.equal((await deviceOf(onlyNd.serial))[0]!.firmware_version, onlyNd.osVersion, 'a device only Netdisco reports keeps its value');
    });
  }
});
