import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Filter, ForbiddenError, ValidationError, type ActionContext } from 'adminjs';
import { KnexResource, type KnexTable } from '../../src/admin/adapter/resource.js';
import { panelResources } from '../../src/admin/resources/index.js';
import { loadConfig } from '../../src/config.js';
import { parseAddress } from '../../src/domain/ip/address.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

let tdb: TestDb;
let resources: Map<string, KnexResource>;
let eddieId: number;

const as = (role: string, id = 1, username = role): ActionContext => ({ currentAdmin: { id, username, role, email: username } }) as unknown as ActionContext;
const filter = (r: KnexResource, values: Record<string, string> = {}) => new Filter(values, r);
const res = (id: string) => resources.get(id)!;
async function addresses(values: Record<string, string> = {}, options: { sortBy?: string; direction?: 'asc' | 'desc'; limit?: number; offset?: number } = {}) {
  const r = res('ip_assets');
  const records = await r.find(filter(r, values), { limit: options.limit ?? 50, offset: options.offset ?? 0, sort: { sortBy: options.sortBy ?? 'ip_address', direction: options.direction ?? 'asc' } });
  return records.map((x) => x.params.ip_address as string);
}

describe('the AdminJS knex adapter', () => {
  before(async () => {
    tdb = await createTestDb();
    const config = loadConfig({ IPOCKET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ipocket-adapter-')) });
    resources = new Map(panelResources({ config, db: tdb.db }).map((r) => [r.options.id!, new KnexResource(r.resource as KnexTable)]));
    const s = servicesFor(tdb.db);
    eddieId = (await s.users.create({ username: 'eddie', password: 'eddie-password', role: 'editor' })).id;
    const web = await s.projects.create({ name: 'web', color: '#112233' });
    await s.projects.create({ name: 'db' });
    for (const [ip, type, tags, notes] of [
      ['10.0.0.10', 'VM', ['prod'], 'Front 100%'],
      ['10.0.0.2', 'OS', ['prod', 'edge'], 'back end'],
      ['9.255.255.255', 'VIP', [], null],
      ['::1', 'OTHER', ['edge'], 'loopback'],
      ['2001:db8::1', 'VM', [], 'v6 FRONT'],
      ['192.168.1.1', 'BMC', [], null],
    ] as const) {
      await s.assets.create({ ip_address: ip, type, tags: [...tags], notes, project_id: ip.startsWith('10.') ? web.id : null, auto_host: false });
    }
    await s.assets.create({ ip_address: '10.0.0.3', type: 'VM' });
    await s.assets.archive('10.0.0.3');
  });
  after(() => tdb.cleanup());

  test('sorts addresses numerically, IPv4 before IPv6, both directions', async () => {
    assert.deepEqual(await addresses(), ['9.255.255.255', '10.0.0.2', '10.0.0.10', '192.168.1.1', '::1', '2001:db8::1']);
    assert.deepEqual(await addresses({}, { direction: 'desc' }), ['2001:db8::1', '::1', '192.168.1.1', '10.0.0.10', '10.0.0.2', '9.255.255.255']);
  });

  test('ignores a sort that is not whitelisted (falls back to id order)', async () => {
    const byId = await addresses({}, { sortBy: 'id' });
    assert.deepEqual(await addresses({}, { sortBy: 'notes; DROP TABLE users' }), byId);
    assert.deepEqual(await addresses({}, { sortBy: 'ip_key' }), byId);
  });

  test('filters by address (any spelling), CIDR, text, type, project, tags and archived', async () => {
    assert.deepEqual(await addresses({ ip_address: '::ffff:10.0.0.2' }), ['10.0.0.2']);
    assert.deepEqual(await addresses({ ip_address: '10.0.0.0/24' }), ['10.0.0.2', '10.0.0.10']);
    assert.deepEqual(await addresses({ ip_address: '168' }), ['192.168.1.1']);
    assert.deepEqual(await addresses({ type: 'VM' }), ['10.0.0.10', '2001:db8::1']);
    assert.deepEqual(await addresses({ notes: 'front' }), ['10.0.0.10', '2001:db8::1']);
    assert.deepEqual(await addresses({ notes: '100%' }), ['10.0.0.10'], 'LIKE wildcards are literal');
    assert.deepEqual(await addresses({ notes: '_' }), []);
    const web = (await servicesFor(tdb.db).projects.findByName('web'))!;
    assert.deepEqual(await addresses({ project_id: String(web.id) }), ['10.0.0.2', '10.0.0.10']);
    assert.deepEqual(await addresses({ project_id: 'x' }), []);
    assert.deepEqual(await addresses({ tags: 'edge' }), ['10.0.0.2', '::1']);
    assert.deepEqual(await addresses({ tags: 'edge, prod' }), ['10.0.0.2', '10.0.0.10', '::1']);
    assert.ok(!(await addresses()).includes('10.0.0.3'), 'archived assets are hidden by default');
    assert.deepEqual(await addresses({ archived: 'true' }), ['10.0.0.3']);
    assert.deepEqual(await addresses({ unknown_column: 'x' }), await addresses());
  });

  test('counts in SQL with the same filters', async () => {
    const r = res('ip_assets');
    assert.equal(await r.count(filter(r)), 6);
    assert.equal(await r.count(filter(r, { type: 'VM' })), 2);
    assert.equal(await r.count(filter(r, { archived: 'true' })), 1);
    assert.equal(await r.count(filter(r, { ip_address: '10.0.0.0/8' })), 2);
  });

  test('counts of notes and tag filters are exact up to 10,000 and stop there', async () => {
    const r = res('ip_assets');
    assert.equal(await r.count(filter(r, { notes: 'front' })), 2);
    assert.equal(await r.count(filter(r, { tags: 'edge' })), 2);
    const s = servicesFor(tdb.db);
    const tag = await s.tags.create({ name: 'bulk' });
    const now = '2026-01-01 00:00:00';
    const rows = Array.from({ length: 10_050 }, (_, i) => {
      const a = parseAddress(`10.200.${i >> 8}.${i & 255}`);
      return { ip_address: a.address, ip_version: a.version, ip_key: a.key, type: 'VM', notes: 'bulk row', archived: false, created_at: now, updated_at: now };
    });
    for (let i = 0; i < rows.length; i += 500) await tdb.db('ip_assets').insert(rows.slice(i, i + 500));
    const ids = ((await tdb.db('ip_assets').select('id').where('notes', 'bulk row')) as { id: number }[]).map((x) => ({ ip_asset_id: x.id, tag_id: tag.id }));
    for (let i = 0; i < ids.length; i += 500) await tdb.db('ip_asset_tags').insert(ids.slice(i, i + 500));
    assert.equal(await r.count(filter(r, { notes: 'bulk row' })), 10_000);
    assert.equal(await r.count(filter(r, { tags: 'bulk' })), 10_000);
    assert.equal(await r.count(filter(r, { type: 'VM' })), 10_052, 'structural filters count exactly');
    assert.deepEqual(await addresses({ notes: 'bulk row' }, { limit: 2 }), ['10.200.0.0', '10.200.0.1']);
    await tdb.db('ip_asset_tags').where({ tag_id: tag.id }).delete();
    await s.tags.delete(tag.id);
    await tdb.db('ip_assets').where('notes', 'bulk row').delete();
  });

  test('pages with limit and offset, and never returns more than 500 rows', async () => {
    assert.deepEqual(await addresses({}, { limit: 2, offset: 2 }), ['10.0.0.10', '192.168.1.1']);
    const now = '2026-01-01 00:00:00';
    const rows = Array.from({ length: 520 }, (_, i) => ({ name: `bulk-${String(i).padStart(4, '0')}`, created_at: now, updated_at: now }));
    for (let i = 0; i < rows.length; i += 100) await tdb.db('vendors').insert(rows.slice(i, i + 100));
    const vendors = res('vendors');
    const page = await vendors.find(filter(vendors), { limit: 100_000, offset: 0, sort: { sortBy: 'name', direction: 'asc' } });
    assert.equal(page.length, 500);
    assert.equal(await vendors.count(filter(vendors)), 520);
    assert.equal(await vendors.count(filter(vendors, { name: 'BULK-05' })), 20);
  });

  test('shows references by id (populated by AdminJS) and tags with their colours', async () => {
    const r = res('ip_assets');
    const [rec] = await r.find(filter(r, { ip_address: '10.0.0.2' }), { limit: 1 });
    assert.equal(rec!.params.tags, 'edge, prod');
    assert.deepEqual(JSON.parse(rec!.params.tag_chips as string).map((t: { name: string }) => t.name), ['edge', 'prod']);
    const [project] = await res('projects').findMany([rec!.params.project_id as number]);
    assert.equal(project!.params.name, 'web');
    assert.equal(project!.params.color, '#112233');
    assert.equal(project!.params.ip_count, undefined, 'references skip the usage aggregate');
    assert.equal((await res('projects').findOne(rec!.params.project_id as number))!.params.ip_count, 2);
  });

  test('writes go through the services: validation, duplicates, audit with the acting user', async () => {
    const r = res('ip_assets');
    const created = await r.create({ ip_address: '10.1.1.1', type: 'vm', tags: 'a, b', notes: '' }, as('editor', eddieId, 'eddie'));
    assert.equal(created.ip_address, '10.1.1.1');
    assert.equal(created.type, 'VM');
    assert.equal(created.tags, 'a, b');
    const audit = await servicesFor(tdb.db).audit.list({ target_label: '10.1.1.1' });
    assert.equal(audit.items[0]?.username, 'eddie');
    assert.equal(audit.items[0]?.action, 'CREATE');

    await assert.rejects(r.create({ ip_address: '10.1.1.1', type: 'VM' }, as('editor', eddieId, 'eddie')), (e: unknown) => e instanceof ValidationError && /already exists/.test(e.propertyErrors.ip_address!.message));
    await assert.rejects(r.create({ ip_address: 'nope', type: 'VM' }, as('editor', eddieId, 'eddie')), (e: unknown) => e instanceof ValidationError && !!e.propertyErrors.ip_address);
    await assert.rejects(r.create({ ip_address: '10.1.1.2', type: 'ROUTER' }, as('editor', eddieId, 'eddie')), (e: unknown) => e instanceof ValidationError && /must be one of/.test(e.propertyErrors.type!.message));

    const id = String(created.id);
    const updated = await r.update(id, { ...created, notes: 'changed', project_id: '', tags: '' }, as('editor', eddieId, 'eddie'));
    assert.equal(updated.notes, 'changed');
    assert.equal(updated.tags, '');
    await assert.rejects(r.update(id, { ip_address: '10.1.1.9' }, as('editor', eddieId, 'eddie')), (e: unknown) => e instanceof ValidationError && !!e.propertyErrors.ip_address);
    await r.delete(id, as('editor', eddieId, 'eddie'));
    assert.equal(await r.findOne(id), null);
  });

  test('refuses writes from viewers and superusers on inventory, and from everyone on the audit log', async () => {
    const r = res('ip_assets');
    for (const role of ['viewer', 'superuser']) {
      await assert.rejects(r.create({ ip_address: '10.2.2.2', type: 'VM' }, as(role)), ForbiddenError);
    }
    await assert.rejects(r.create({ ip_address: '10.2.2.2', type: 'VM' }), ForbiddenError);
    assert.equal(await servicesFor(tdb.db).assets.findByAddress('10.2.2.2'), null);
    const audit = res('audit_log');
    const [entry] = await audit.find(filter(audit), { limit: 1 });
    await assert.rejects(audit.delete(String(entry!.params.id), as('superuser')), ForbiddenError);
  });

  test('users never expose the password hash; the role of oneself cannot be changed', async () => {
    const s = servicesFor(tdb.db, { userId: null, username: 'system', role: 'superuser' });
    const boss = await s.users.create({ username: 'boss', password: 'boss-password-1', role: 'superuser' });
    const users = res('users');
    const list = await users.find(filter(users), { limit: 10 });
    for (const u of list) assert.ok(!('password_hash' in u.params) && !('password' in u.params));
    const made = await users.create({ username: 'newbie', password: 'newbie-password', role: 'viewer', is_active: 'true' }, as('superuser', boss.id, 'boss'));
    assert.equal(made.role, 'viewer');
    await users.update(String(made.id), { password: '', role: 'editor' }, as('superuser', boss.id, 'boss'));
    assert.ok(await s.users.verifyCredentials('newbie', 'newbie-password'), 'an empty password keeps the current one');
    await assert.rejects(users.update(String(boss.id), { role: 'viewer' }, as('superuser', boss.id, 'boss')), (e: unknown) => e instanceof ValidationError && !!e.propertyErrors.role);
    await assert.rejects(users.create({ username: 'x', password: 'long-enough-1' }, as('editor', eddieId, 'eddie')), ForbiddenError);
  });

  test('ranges carry their utilization', async () => {
    await servicesFor(tdb.db).ranges.create({ name: 'ten', cidr: '10.0.0.0/24' });
    const ranges = res('ranges');
    const [range] = await ranges.find(filter(ranges, { name: 'ten' }), { limit: 5 });
    assert.equal(range!.params.used, 2);
    assert.equal(range!.params.usable, '254');
  });
});
