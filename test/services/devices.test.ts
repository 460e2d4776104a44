import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import { DIALECT } from '../helpers/db.js';
import { deviceTestDb } from '../helpers/devices.js';


describe(`devices: one model with facts, overrides and history (${DIALECT})`, () => {
  const ctx = deviceTestDb();

  it('creates a device with manual fields and facts, and /hosts lists it as the host it is', async () => {
    const d = await ctx.s.devices.create({ name: 'lab-laptop-001', kind: 'laptop', serial: 'SN-1', asset_tag: 'AT-9', room_location: '2265', sub_location: 'desk 4', macs: ['AA-BB-CC-00-11-22'], tags: ['Lab'], model: 'ThinkPad T14' });
    assert.equal(d.kind, 'laptop');
    assert.equal(d.serial, 'SN-1');
    assert.deepEqual(d.macs, ['aa:bb:cc:00:11:22']);
    assert.deepEqual(d.tags, ['lab']);
    assert.deepEqual(d.effective.serial, { value: 'SN-1', from: 'manual' });
    assert.deepEqual(d.sources, ['manual']);
    const hosts = await ctx.s.hosts.list();
    assert.deepEqual(hosts.items.map((h) => h.name), ['lab-laptop-001']);
    await assert.rejects(ctx.s.devices.create({ name: 'lab-laptop-001' }), (e: unknown) => e instanceof ConflictError && e.message === 'Host "lab-laptop-001" already exists.');
    await assert.rejects(ctx.s.devices.create({ name: 'x', kind: 'toaster' as never }), (e: unknown) => e instanceof ValidationError && e.issues[0]!.loc.join('.') === 'body.kind');
    await assert.rejects(ctx.s.devices.create({ name: 'x', macs: ['zz'] }), (e: unknown) => e instanceof ValidationError && e.issues[0]!.loc.join('.') === 'body.macs.0');
    await assert.rejects(ctx.s.devices.create({ name: 'x', technical_owner_id: 999 }), (e: unknown) => e instanceof ValidationError && e.issues[0]!.loc.join('.') === 'body.technical_owner_id');
  });

  it('lists with paging and filters: kind, text (name/serial/asset tag), exact MAC and IP, tag, archived', async () => {
    await ctx.s.devices.create({ name: 'sw-core-1', kind: 'switch', serial: 'FOC123', macs: ['00:11:22:33:44:55'] });
    await ctx.s.devices.create({ name: 'tv-lobby', kind: 'smart_tv', asset_tag: 'TAG-77', tags: ['lobby'] });
    const vm = await ctx.s.devices.create({ name: 'vm-web', kind: 'vm', manual_ips: [{ ip_address: '10.9.0.5' }] });
    assert.deepEqual((await ctx.s.devices.list({ kind: ['switch', 'smart_tv'] })).items.map((d) => d.name), ['sw-core-1', 'tv-lobby']);
    assert.deepEqual((await ctx.s.devices.list({ q: 'foc1' })).items.map((d) => d.name), ['sw-core-1']);
    assert.deepEqual((await ctx.s.devices.list({ q: 'tag-77' })).items.map((d) => d.name), ['tv-lobby']);
    assert.deepEqual((await ctx.s.devices.list({ q: '0011.2233.4455' })).items.map((d) => d.name), ['sw-core-1']);
    assert.deepEqual((await ctx.s.devices.list({ mac: '00-11-22-33-44-55' })).items.map((d) => d.name), ['sw-core-1']);
    assert.deepEqual((await ctx.s.devices.list({ q: '10.9.0.5' })).items.map((d) => d.name), ['vm-web']);
    assert.deepEqual((await ctx.s.devices.list({ tag: 'lobby' })).items.map((d) => d.name), ['tv-lobby']);
    const page = await ctx.s.devices.list({ limit: 2, offset: 1, sort: '-name' });
    assert.deepEqual([page.total, page.items.map((d) => d.name)], [3, ['tv-lobby', 'sw-core-1']]);
    await ctx.s.devices.archive(vm.id, { reason: 'decommissioned' });
    assert.deepEqual((await ctx.s.devices.list()).items.map((d) => d.name), ['sw-core-1', 'tv-lobby']);
    const archived = (await ctx.s.devices.list({ archived: 'only' })).items;
    assert.deepEqual(archived.map((d) => [d.name, d.archived, d.archived_by, d.archive_reason]), [['vm-web', true, 'tester', 'decommissioned']]);
    await assert.rejects(ctx.s.devices.list({ kind: ['nope' as never] }), (e: unknown) => e instanceof ValidationError && e.issues[0]!.loc[0] === 'query');
  });

  it('patch changes manual fields with one history row per field and one audit entry; a no-op writes none', async () => {
    const d = await ctx.s.devices.create({ name: 'srv-a' });
    const owner = await ctx.s.owners.create({ full_name: 'Ada Admin', email: 'Ada@Example.com', department: 'Infra' });
    assert.equal(owner.email, 'ada@example.com');
    const patched = await ctx.s.devices.patch(d.id, { notes: 'hello', technical_owner_id: owner.id, room_location: '2266' });
    assert.deepEqual(patched.technical_owner, { id: owner.id, full_name: 'Ada Admin', email: 'ada@example.com' });
    const history = (await ctx.s.devices.history({ device_id: d.id })).items;
    assert.deepEqual(history.map((h) => [h.field, h.old_value, h.new_value, h.changed_by]).sort(), [
      ['device', null, 'created', 'tester'],
      ['notes', null, 'hello', 'tester'],
      ['room_location', null, '2266', 'tester'],
      ['technical_owner_id', null, String(owner.id), 'tester'],
    ]);
    const audits = (await ctx.s.audit.list({ target_type: 'HOST', target_id: d.id })).items;
    assert.equal(audits.length, 2);
    await ctx.s.devices.patch(d.id, { notes: 'hello', room_location: '2266' });
    assert.equal((await ctx.s.devices.history({ device_id: d.id })).total, 4);
    assert.equal((await ctx.s.audit.list({ target_type: 'HOST', target_id: d.id })).total, 2);
  });

  it('an override wins over every source and clearing it shows the fact again', async () => {
    const d = await ctx.s.devices.create({ name: 'vm-x', kind: 'vm', os_type: 'Linux' });
    const o = await ctx.s.devices.setOverride(d.id, 'os_type', 'Ubuntu 22.04');
    assert.deepEqual([o.os_type, o.effective.os_type], ['Ubuntu 22.04', { value: 'Ubuntu 22.04', from: 'override' }]);
    assert.deepEqual(o.overrides.map((r) => [r.field, r.value, r.set_by]), [['os_type', 'Ubuntu 22.04', 'tester']]);
    const c = await ctx.s.devices.clearOverride(d.id, 'os_type');
    assert.deepEqual([c.os_type, c.effective.os_type.from, c.overrides], ['Linux', 'manual', []]);
    await assert.rejects(ctx.s.devices.setOverride(d.id, 'nope', 1), (e: unknown) => e instanceof ValidationError && e.issues[0]!.loc[0] === 'field');
    await assert.rejects(ctx.s.devices.setOverride(d.id, 'memory_mb', 'lots'), (e: unknown) => e instanceof ValidationError && e.issues[0]!.loc[0] === 'value');
    const fields = (await ctx.s.devices.history({ device_id: d.id })).items.map((h) => [h.field, h.old_value, h.new_value]);
    assert.deepEqual(fields, [['os_type', 'Ubuntu 22.04', 'Linux'], ['os_type', 'Linux', 'Ubuntu 22.04'], ['device', null, 'created']]);
  });

  it('edits made through /hosts (the same table) are the device’s history too', async () => {
    const v = await ctx.s.vendors.create({ name: 'HPE' });
    const host = await ctx.s.hosts.create({ name: 'old-name' });
    await ctx.s.hosts.update(host.id, { name: 'new-name', vendor_id: v.id, os_ip: '10.7.0.1' });
    await ctx.s.hosts.update(host.id, { name: 'new-name' });
    const rows = (await ctx.s.devices.history({ device_id: host.id })).items.map((c) => [c.field, c.old_value, c.new_value, c.changed_by]);
    assert.deepEqual(rows.sort(), [
      ['device', null, 'created', 'tester'],
      ['name', 'old-name', 'new-name', 'tester'],
      ['os_ips', null, '["10.7.0.1"]', 'tester'],
      ['vendor', null, 'HPE', 'tester'],
    ]);
    const auto = await ctx.s.assets.create({ ip_address: '10.7.0.9', type: 'BMC' });
    assert.equal((await ctx.s.devices.history({ device_id: auto.host_id! })).items[0]!.new_value, 'created');
  });

  it('sorts put devices without a value last ascending and first descending (as the largest), and text search follows renames (trigram index)', async () => {
    const a = await ctx.s.devices.create({ name: 'alpha', memory_mb: 2048 });
    await ctx.s.devices.create({ name: 'beta' });
    await ctx.s.devices.create({ name: 'gamma', memory_mb: 8192 });
    assert.deepEqual((await ctx.s.devices.list({ sort: 'memory_mb' })).items.map((d) => d.name), ['alpha', 'gamma', 'beta']);
    assert.deepEqual((await ctx.s.devices.list({ sort: '-memory_mb' })).items.map((d) => d.name), ['beta', 'gamma', 'alpha']);
    assert.deepEqual((await ctx.s.devices.list({ sort: '-memory_mb', q: 'a' })).items.map((d) => d.name), ['beta', 'gamma', 'alpha']);
    await ctx.s.hosts.update(a.id, { name: 'renamed-box' });
    assert.deepEqual((await ctx.s.devices.list({ q: 'NAMED-B' })).items.map((d) => d.name), ['renamed-box']);
    assert.deepEqual((await ctx.s.devices.list({ q: 'alpha' })).items, []);
    assert.deepEqual((await ctx.s.devices.list({ q: 'mm' })).items.map((d) => d.name), ['gamma']);
    const exact = await ctx.s.devices.list({ kind: ['other'] });
    assert.deepEqual([exact.total, exact.total_exact], [3, true]);
  });

  it('archive is a soft delete with who/when/why, restore brings the device back; a missing device is a 404', async () => {
    const d = await ctx.s.devices.create({ name: 'old-box', serial: 'S-OLD' });
    await assert.rejects(ctx.s.devices.archive(d.id, { reason: ' ' }), (e: unknown) => e instanceof ValidationError && e.issues[0]!.loc.join('.') === 'body.reason');
    const a = await ctx.s.devices.archive(d.id, { reason: 'sold' });
    assert.deepEqual([a.archived, a.archived_by, a.archive_reason, typeof a.archived_at], [true, 'tester', 'sold', 'string']);
    const again = await ctx.s.devices.archive(d.id, { reason: 'twice' });
    assert.equal(again.archive_reason, 'sold');
    assert.equal((await ctx.s.devices.list({ serial: 'S-OLD' })).total, 0);
    assert.equal((await ctx.s.devices.list({ serial: 'S-OLD', archived: 'include' })).total, 1);
    const r = await ctx.s.devices.restore(d.id);
    assert.deepEqual([r.archived, r.archived_at, r.archive_reason], [false, null, null]);
    const rows = (await ctx.s.devices.history({ device_id: d.id })).items.map((c) => [c.field, c.old_value === null ? null : c.field === 'archived_at' ? 'time' : c.old_value, c.new_value === null ? null : c.field === 'archived_at' ? 'time' : c.new_value]);
    assert.deepEqual(rows, [['archive_reason', 'sold', null], ['archived_at', 'time', null], ['archive_reason', null, 'sold'], ['archived_at', null, 'time'], ['device', null, 'created']]);
    await assert.rejects(ctx.s.devices.get(987654), (e: unknown) => e instanceof NotFoundError);
    await assert.rejects(ctx.s.devices.patch(987654, { notes: 'x' }), (e: unknown) => e instanceof NotFoundError);
  });

  it('adds and removes tags, bulk-edits several devices in one transaction (all or none), and counts for the dashboard', async () => {
    const a = await ctx.s.devices.create({ name: 'a', kind: 'vm', platform: 'vmware', power_state: 'on', tags: ['web'] });
    const b = await ctx.s.devices.create({ name: 'b', kind: 'vm', platform: 'nutanix' });
    await ctx.s.devices.create({ name: 'c', kind: 'switch' });
    assert.deepEqual((await ctx.s.devices.changeTags(a.id, { add: ['Prod', 'web'] })).tags, ['prod', 'web']);
    assert.deepEqual((await ctx.s.devices.changeTags(a.id, { remove: ['prod'], add: ['db'] })).tags, ['db', 'web']);
    await assert.rejects(ctx.s.devices.changeTags(a.id, { add: ['bad tag'] }), (e: unknown) => e instanceof ValidationError && e.issues[0]!.loc.join('.') === 'body.add.0');
    assert.deepEqual(await ctx.s.devices.bulk({ ids: [b.id, a.id, b.id], edit: { environment: 'prod', room_location: '2265' }, tags: { add: ['bulk'] } }), { updated: 2 });
    assert.deepEqual(await Promise.all([a.id, b.id].map(async (id) => { const d = await ctx.s.devices.get(id); return [d.name, d.environment, d.room_location, d.tags]; })), [['a', 'prod', '2265', ['bulk', 'db', 'web']], ['b', 'prod', '2265', ['bulk']]]);
    await assert.rejects(ctx.s.devices.bulk({ ids: [a.id, 987654], edit: { environment: 'test' } }), (e: unknown) => e instanceof NotFoundError);
    assert.equal((await ctx.s.devices.get(a.id)).environment, 'prod', 'the failed bulk edit changed nothing');
    await assert.rejects(ctx.s.devices.bulk({ ids: [a.id, b.id], edit: { name: 'same' } as never }), (e: unknown) => e instanceof ValidationError);
    const stats = await ctx.s.devices.stats();
    assert.deepEqual([stats.total, stats.by_kind, stats.by_platform, stats.by_power_state], [3, { switch: 1, vm: 2 }, { nutanix: 1, unknown: 1, vmware: 1 }, { on: 1, unknown: 2 }]);
    assert.ok(stats.changes_last_24h >= 6);
  });
});
