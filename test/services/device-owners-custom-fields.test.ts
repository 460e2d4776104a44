import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ConflictError, ValidationError } from '../../src/domain/errors.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

const TABLES = ['device_changes', 'device_custom_values', 'custom_fields', 'device_facts', 'device_overrides', 'device_macs', 'device_tags', 'audit_log', 'hosts', 'owners'];
const at = (loc: string) => (e: unknown) => e instanceof ValidationError && e.issues.some((i) => i.loc.join('.') === loc);

describe(`devices: owners and custom fields (${DIALECT})`, () => {
  let t: TestDb;
  let s: ReturnType<typeof servicesFor>;
  before(async () => {
    t = await createTestDb();
    s = servicesFor(t.db);
  });
  after(() => t.cleanup());
  beforeEach(async () => {
    for (const table of TABLES) await t.db(table).delete();
  });

  it('owners: unique email whatever the case, optional user link, device counts, audit; deleting unlinks devices with history', async () => {
    const [user] = (await t.db('users').insert({ username: 'ada', password_hash: 'x', role: 'editor', is_active: true, created_at: '2024-01-01 00:00:00', updated_at: '2024-01-01 00:00:00' }).returning('id')) as { id: number }[];
    const ada = await s.owners.create({ full_name: 'Ada Lovelace', email: 'ADA@lab.example', designation: 'Lead', department: 'Infra', user_id: Number(user!.id) });
    assert.deepEqual([ada.email, ada.user_id, ada.department], ['ada@lab.example', Number(user!.id), 'Infra']);
    await assert.rejects(s.owners.create({ full_name: 'Other Ada', email: 'ada@LAB.example' }), (e: unknown) => e instanceof ConflictError && e.field === 'email');
    await assert.rejects(s.owners.create({ full_name: 'X', email: 'not-an-email' }), at('body.email'));
    await assert.rejects(s.owners.create({ full_name: '', email: 'x@lab.example' }), at('body.full_name'));
    await assert.rejects(s.owners.create({ full_name: 'X', email: 'x@lab.example', user_id: 9999 }), at('body.user_id'));
    const bob = await s.owners.create({ full_name: 'Bob', email: 'bob@lab.example', department: 'Apps' });
    const d1 = await s.devices.create({ name: 'd1', technical_owner_id: ada.id, business_owner_id: bob.id });
    await s.devices.create({ name: 'd2', technical_owner_id: ada.id });
    const listed = await s.owners.list({ q: 'lab.example' });
    assert.deepEqual(listed.items.map((o) => [o.full_name, o.device_count]), [['Ada Lovelace', 2], ['Bob', 1]]);
    assert.deepEqual((await s.owners.list({ department: 'Apps' })).items.map((o) => o.email), ['bob@lab.example']);
    assert.deepEqual((await s.devices.list({ owner_id: ada.id })).items.map((d) => d.name), ['d1', 'd2']);
    assert.deepEqual((await s.devices.list({ business_owner_id: bob.id })).items.map((d) => d.name), ['d1']);
    assert.equal((await s.owners.update(bob.id, { department: 'Apps' })).updated_at, bob.updated_at);
    await s.owners.update(bob.id, { designation: 'PM' });
    await s.owners.delete(bob.id);
    const d = await s.devices.get(d1.id);
    assert.deepEqual([d.business_owner_id, d.business_owner, d.technical_owner?.email], [null, null, 'ada@lab.example']);
    const unlinked = (await s.devices.history({ device_id: d1.id, field: 'business_owner_id' })).items;
    assert.deepEqual(unlinked.map((c) => [c.old_value, c.new_value]), [[String(bob.id), null]]);
    const audit = (await s.audit.list({ target_type: 'OWNER' })).items.map((a) => a.action);
    assert.deepEqual(audit, ['DELETE', 'UPDATE', 'CREATE', 'CREATE']);
  });

  it('custom fields are defined per kind and typed; values are validated by zod built from the definitions', async () => {
    await s.customFields.create({ key: 'warranty_until', label: 'Warranty until', type: 'date' });
    await s.customFields.create({ key: 'screen_inches', label: 'Screen', type: 'number', device_kind: 'smart_tv', required: true });
    await s.customFields.create({ key: 'wiki', label: 'Wiki page', type: 'url' });
    await s.customFields.create({ key: 'encrypted', label: 'Disk encrypted', type: 'boolean', device_kind: 'laptop' });
    await s.customFields.create({ key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] });
    await assert.rejects(s.customFields.create({ key: 'tier', label: 'Again', type: 'text' }), (e: unknown) => e instanceof ConflictError && e.field === 'key');
    await assert.rejects(s.customFields.create({ key: 'Bad Key', label: 'x', type: 'text' }), at('body.key'));
    await assert.rejects(s.customFields.create({ key: 'sel', label: 'x', type: 'select' }), at('body.options'));
    await assert.rejects(s.customFields.create({ key: 'n', label: 'x', type: 'money' as never }), at('body.type'));
    assert.deepEqual((await s.customFields.list('laptop')).map((f) => f.key), ['encrypted', 'tier', 'warranty_until', 'wiki']);

    const tv = await s.devices.create({ name: 'tv-1', kind: 'smart_tv', custom_fields: { screen_inches: '55', tier: 'gold', warranty_until: '2027-03-31' } });
    assert.deepEqual(tv.custom_fields, { screen_inches: 55, tier: 'gold', warranty_until: '2027-03-31' });
    await assert.rejects(s.devices.create({ name: 'tv-2', kind: 'smart_tv' }), at('body.custom_fields.screen_inches'));
    await assert.rejects(s.devices.create({ name: 'tv-3', kind: 'smart_tv', custom_fields: { screen_inches: 50, tier: 'bronze' } }), at('body.custom_fields.tier'));
    await assert.rejects(s.devices.create({ name: 'tv-4', kind: 'smart_tv', custom_fields: { screen_inches: 50, warranty_until: '2027-02-30' } }), at('body.custom_fields.warranty_until'));
    await assert.rejects(s.devices.create({ name: 'tv-5', kind: 'smart_tv', custom_fields: { screen_inches: 50, wiki: 'javascript:alert(1)' } }), at('body.custom_fields.wiki'));
    await assert.rejects(s.devices.create({ name: 'tv-6', kind: 'smart_tv', custom_fields: { screen_inches: 50, encrypted: true } }), (e: unknown) => e instanceof ValidationError && /Unknown field/.test(e.message));
    const laptop = await s.devices.create({ name: 'lt-1', kind: 'laptop', custom_fields: { encrypted: 'true', tier: 'silver' } });
    assert.deepEqual(laptop.custom_fields, { encrypted: true, tier: 'silver' });

    assert.deepEqual((await s.devices.list({ custom: { tier: 'gold' } })).items.map((d) => d.name), ['tv-1']);
    assert.deepEqual((await s.devices.list({ custom: { encrypted: 'true' } })).items.map((d) => d.name), ['lt-1']);
    assert.deepEqual((await s.devices.list({ custom: { screen_inches: '55.0' } })).items.map((d) => d.name), ['tv-1']);
    await assert.rejects(s.devices.list({ custom: { screen_inches: 'big' } }), at('query.custom.screen_inches'));
    await assert.rejects(s.devices.list({ custom: { nosuch: 'x' } }), at('query.custom.nosuch'));
    const patched = await s.devices.patch(laptop.id, { custom_fields: { tier: null, wiki: 'https://wiki.lab/lt-1' } });
    assert.deepEqual(patched.custom_fields, { encrypted: true, wiki: 'https://wiki.lab/lt-1' });
    const history = (await s.devices.history({ device_id: laptop.id })).items.map((c) => [c.field, c.old_value, c.new_value]);
    assert.deepEqual(history.filter(([f]) => f !== 'device').sort(), [['custom.tier', 'silver', null], ['custom.wiki', null, 'https://wiki.lab/lt-1']]);
    const tier = (await s.customFields.list()).find((f) => f.key === 'tier')!;
    await s.customFields.delete(tier.id);
    assert.deepEqual((await s.devices.get(tv.id)).custom_fields, { screen_inches: 55, warranty_until: '2027-03-31' });
  });
});
