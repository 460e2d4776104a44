/** The dashboard's device charts (issue 14): counts per platform, power state and kind, network use and the last 24 h of changes, on both databases. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { deviceDashboard } from '../../src/services/devices/stats.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

describe(`device dashboard (${DIALECT})`, () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(() => t.cleanup());

  it('counts live devices per platform, power state and kind, networks in use, and the last 24 h of changes per hour', async () => {
    const s = servicesFor(t.db);
    const empty = await deviceDashboard(t.db);
    assert.deepEqual([empty.total, empty.platforms, empty.networks, empty.changes_24h.total, empty.changes_24h.by_hour.length], [0, [], { total: 0, in_use: 0, not_in_use: 0 }, 0, 24]);

    await s.devices.create({ name: 'lab-laptop-1', kind: 'laptop' });
    const gone = await s.devices.create({ name: 'old-switch', kind: 'switch' });
    await s.devices.archive(gone.id, { reason: 'replaced' });
    await servicesFor(t.db, SYSTEM_ACTOR).devices.recordFacts('vcenter', null, [
      { external_id: 'vm-1', name: 'vm-web', kind: 'vm', platform: 'vmware', power_state: 'poweredOn', nics: [{ network_name: 'vlan-100', connected: true }, { network_name: 'vlan-300', connected: false }] },
      { external_id: 'vm-2', name: 'vm-db', kind: 'vm', platform: 'vmware', power_state: 'poweredOff', nics: [{ network_name: 'vlan-200', connected: false }] },
      { external_id: 'vm-3', name: 'vm-mq', kind: 'vm', platform: 'nutanix', power_state: 'on', nics: [{ network_name: 'vlan-100', connected: true }] },
    ]);

    const d = await deviceDashboard(t.db);
    assert.equal(d.total, 4, 'the archived switch is not counted');
    assert.deepEqual(d.platforms, [{ value: 'vmware', count: 2 }, { value: 'nutanix', count: 1 }, { value: null, count: 1 }]);
    assert.deepEqual(d.power_states.map((p) => [p.value, p.count]).sort(), [['off', 1], ['on', 2], [null, 1]].sort());
    assert.deepEqual(d.kinds, [{ value: 'vm', count: 3 }, { value: 'laptop', count: 1 }]);
    assert.deepEqual(d.networks, { total: 3, in_use: 1, not_in_use: 2 });
    const rows = Number(((await t.db('device_changes').count({ n: '*' })) as { n: number | string }[])[0]!.n);
    assert.ok(rows > 0);
    assert.deepEqual([d.changes_24h.total, d.changes_24h.devices], [rows, 5]);
    assert.equal(d.changes_24h.by_hour.reduce((n, h) => n + h.count, 0), rows, 'every change falls in one of the 24 hours');
    assert.equal(d.changes_24h.by_hour[23]!.count, rows, 'all of them in the current hour');

    // A day later none of them is in the last 24 h.
    const later = await deviceDashboard(t.db, new Date(Date.now() + 25 * 3_600_000));
    assert.deepEqual([later.changes_24h.total, later.changes_24h.devices], [0, 0]);
  });
});
