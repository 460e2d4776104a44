import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrateLatest } from '../../src/db/migrate.js';
import { createTestDb, DIALECT, migrateBefore, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

describe(`hosts become devices: migration (${DIALECT})`, () => {
  let t: TestDb;
  let hostsBefore: Record<string, unknown>[];
  let assetsBefore: Record<string, unknown>[];
  before(async () => {
    t = await createTestDb(migrateBefore('200'));
    const [vendor] = (await t.db('vendors').insert({ name: 'Dell', created_at: '2024-01-01 00:00:00', updated_at: '2024-01-01 00:00:00' }).returning('id')) as { id: number }[];
    await t.db('hosts').insert([
      { name: 'srv-1', notes: 'rack 4, "top"', vendor_id: Number(vendor!.id), created_at: '2024-01-02 03:04:05', updated_at: '2024-02-03 04:05:06' },
      { name: 'srv-2', notes: null, vendor_id: null, created_at: '2024-01-03 00:00:00', updated_at: '2024-01-03 00:00:00' },
    ]);
    const srv1 = (await t.db('hosts').where({ name: 'srv-1' }).first('id')) as { id: number };
    await t.db('ip_assets').insert({ ip_address: '10.0.0.7', ip_version: 4, ip_key: '00000000000000000000ffff0a000007', type: 'OS', host_id: srv1.id, archived: false, created_at: '2024-01-02 03:04:05', updated_at: '2024-01-02 03:04:05' });
    hostsBefore = (await t.db('hosts').orderBy('id')) as Record<string, unknown>[];
    assetsBefore = (await t.db('ip_assets').orderBy('id')) as Record<string, unknown>[];
    await migrateLatest(t.db);
  });
  after(() => t.cleanup());

  it('keeps every host row, id and link exactly, and makes each a device of kind other', async () => {
    const rows = (await t.db('hosts').orderBy('id')) as Record<string, unknown>[];
    assert.equal(rows.length, 2);
    for (const [i, old] of hostsBefore.entries()) {
      for (const [k, v] of Object.entries(old)) assert.deepEqual(rows[i]![k], v, `hosts.${k} of ${String(old.name)}`);
      assert.equal(rows[i]!.kind, 'other');
      assert.equal(rows[i]!.archived_at, null);
    }
    // Later migrations' columns aside (410's last_sighted_at: this address was never seen).
    assert.deepEqual(await t.db('ip_assets').orderBy('id'), assetsBefore.map((a) => ({ ...a, last_sighted_at: null })));
  });

  it('the migrated hosts read the same through /hosts’ service and as devices', async () => {
    const s = servicesFor(t.db);
    const host = await s.hosts.get(Number(hostsBefore[0]!.id));
    assert.deepEqual(host, { id: Number(hostsBefore[0]!.id), name: 'srv-1', notes: 'rack 4, "top"', vendor_id: Number(hostsBefore[0]!.vendor_id), vendor: 'Dell', linked_assets: { os: ['10.0.0.7'], bmc: [], other: [] } });
    const { items, total } = await s.devices.list();
    assert.equal(total, 2);
    assert.deepEqual(items.map((d) => [d.name, d.kind, d.notes, d.created_at, d.updated_at]), [
      ['srv-1', 'other', 'rack 4, "top"', '2024-01-02 03:04:05', '2024-02-03 04:05:06'],
      ['srv-2', 'other', null, '2024-01-03 00:00:00', '2024-01-03 00:00:00'],
    ]);
    const device = await s.devices.get(Number(hostsBefore[0]!.id));
    assert.deepEqual(device.ip_assets, [{ ip_address: '10.0.0.7', type: 'OS' }]);
  });
});
