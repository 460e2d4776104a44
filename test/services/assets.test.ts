import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ConflictError, InvalidAddressError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

describe(`IP assets (${DIALECT})`, () => {
  let t: TestDb;
  let s: ReturnType<typeof servicesFor>;
  before(async () => {
    t = await createTestDb();
    s = servicesFor(t.db);
  });
  after(() => t.cleanup());
  beforeEach(async () => {
    for (const table of ['ip_asset_tags', 'audit_log', 'ip_assets', 'hosts', 'tags', 'projects', 'vendors']) await t.db(table).delete();
  });

  it('creates with canonical address, sorted tags and an audit entry', async () => {
    const a = await s.assets.create({ ip_address: '2001:DB8:0:0::10', type: 'vm', tags: 'web, Prod', notes: 'frontend' });
    assert.equal(a.ip_address, '2001:db8::10');
    assert.equal(a.type, 'VM');
    assert.deepEqual(a.tags, ['prod', 'web']);
    assert.equal(a.archived, false);
    assert.match(a.created_at, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const { items } = await s.audit.list({ target_type: 'IP_ASSET' });
    assert.equal(items.length, 1);
    assert.equal(items[0]!.action, 'CREATE');
    assert.equal(items[0]!.target_label, '2001:db8::10');
    assert.match(items[0]!.changes!, /type: \(empty\) → VM/);
  });

  it('refuses a duplicate active address with a conflict, and a bad address as invalid', async () => {
    await s.assets.create({ ip_address: '10.0.0.1', type: 'VM' });
    await assert.rejects(s.assets.create({ ip_address: '10.0.0.1', type: 'OS' }), ConflictError);
    await assert.rejects(s.assets.create({ ip_address: '::ffff:10.0.0.1', type: 'OS' }), ConflictError);
    await assert.rejects(s.assets.create({ ip_address: '10.0.0.999', type: 'VM' }), InvalidAddressError);
    await assert.rejects(s.assets.create({ ip_address: '10.0.0.2', type: 'ROUTER' }), ValidationError);
  });

  it('unknown project or host is a validation error naming the field', async () => {
    const err = await s.assets.create({ ip_address: '10.0.0.3', type: 'VM', project_id: 999 }).catch((e: unknown) => e);
    assert.ok(err instanceof ValidationError);
    assert.deepEqual(err.issues[0]!.loc, ['body', 'project_id']);
  });

  it('restores an archived address instead of duplicating it', async () => {
    const p = await s.projects.create({ name: 'alpha' });
    const first = await s.assets.create({ ip_address: '10.0.0.4', type: 'VM', tags: ['keep'], notes: 'old' });
    await s.assets.archive('10.0.0.4');
    const restored = await s.assets.create({ ip_address: '10.0.0.4', type: 'OS', project_id: p.id });
    assert.equal(restored.id, first.id);
    assert.equal(restored.archived, false);
    assert.equal(restored.type, 'OS');
    assert.equal(restored.project_id, p.id);
    assert.equal(restored.notes, null);
    assert.deepEqual(restored.tags, ['keep']);
  });

  it('links a BMC without host to server_<ip>, reusing the host, unless switched off', async () => {
    const a = await s.assets.create({ ip_address: '10.0.1.1', type: 'BMC' });
    const host = await t.db('hosts').where({ id: a.host_id }).first();
    assert.equal(host.name, 'server_10.0.1.1');
    await s.assets.delete('10.0.1.1');
    const again = await s.assets.create({ ip_address: '10.0.1.1', type: 'BMC' });
    assert.equal(again.host_id, a.host_id);
    const off = await s.assets.create({ ip_address: '10.0.1.2', type: 'BMC', auto_host: false });
    assert.equal(off.host_id, null);
  });

  it('updates only present fields, null clears, no-op writes no audit entry', async () => {
    const p = await s.projects.create({ name: 'beta' });
    await s.assets.create({ ip_address: '10.0.2.1', type: 'VM', project_id: p.id, notes: 'n', tags: ['a'] });
    const u = await s.assets.update('10.0.2.1', { notes: null });
    assert.equal(u.notes, null);
    assert.equal(u.project_id, p.id);
    assert.deepEqual(u.tags, ['a']);
    const cleared = await s.assets.update('10.0.2.1', { project_id: null, tags: ['b', 'c'] });
    assert.equal(cleared.project_id, null);
    assert.deepEqual(cleared.tags, ['b', 'c']);
    const before = (await s.audit.list()).total;
    await s.assets.update('10.0.2.1', { type: 'VM', tags: ['c', 'b'] });
    assert.equal((await s.audit.list()).total, before);
    const last = (await s.audit.list({ action: 'UPDATE' })).items[0]!;
    assert.match(last.changes!, /project: beta → \(empty\)/);
    assert.match(last.changes!, /tags: \+b \+c -a/);
    await assert.rejects(s.assets.update('10.9.9.9', { notes: 'x' }), NotFoundError);
  });

  it('archive is idempotent; delete removes the row and its tags', async () => {
    await s.assets.create({ ip_address: '10.0.3.1', type: 'VIP', tags: ['x'] });
    await s.assets.archive('10.0.3.1');
    const n = (await s.audit.list()).total;
    await s.assets.archive('10.0.3.1');
    assert.equal((await s.audit.list()).total, n);
    await s.assets.delete('10.0.3.1');
    assert.equal(await s.assets.findByAddress('10.0.3.1'), null);
    assert.equal((await t.db('ip_asset_tags')).length, 0);
    assert.equal((await s.audit.list({ action: 'DELETE' })).items[0]!.target_label, '10.0.3.1');
  });

  it('bulk update changes many in one go with one audit entry each', async () => {
    const p = await s.projects.create({ name: 'gamma' });
    const ids: number[] = [];
    for (const ip of ['10.1.0.1', '10.1.0.2', '10.1.0.3']) ids.push((await s.assets.create({ ip_address: ip, type: 'VM', tags: ['old', 'shared'], notes: 'n' })).id);
    const auditBefore = (await s.audit.list()).total;
    const r = await s.assets.bulkUpdate({ asset_ids: ids, type: 'OS', project_id: p.id, add_tags: ['new'], remove_tags: ['old'], notes_mode: 'append', notes: 'more' });
    assert.deepEqual(r, { updated: 3, unchanged: 0 });
    const after = await s.assets.getByAddress('10.1.0.2');
    assert.equal(after.type, 'OS');
    assert.equal(after.project_id, p.id);
    assert.deepEqual(after.tags, ['new', 'shared']);
    assert.equal(after.notes, 'n\nmore');
    assert.equal((await s.audit.list()).total, auditBefore + 3);
    await assert.rejects(s.assets.bulkUpdate({ asset_ids: [...ids, 999999], type: 'VM' }), ValidationError);
    assert.equal((await s.assets.getByAddress('10.1.0.1')).type, 'OS', 'nothing applied when one id is bad');
  });

  describe('list', () => {
    beforeEach(async () => {
      const alpha = await s.projects.create({ name: 'alpha' });
      const beta = await s.projects.create({ name: 'beta' });
      const rows: [string, string, number | null, string[], string | null][] = [
        ['10.0.0.11', 'VM', alpha.id, ['web'], 'frontend node'],
        ['10.0.0.2', 'OS', alpha.id, ['web', 'prod'], null],
        ['2001:db8::1', 'VM', beta.id, ['prod'], null],
        ['::1', 'OTHER', null, [], 'loopback'],
        ['9.1.2.3', 'BMC', null, ['db'], 'Rack 7'],
        ['192.168.0.1', 'VIP', beta.id, ['web', 'db'], null],
      ];
      for (const [ip, type, project_id, tags, notes] of rows) await s.assets.create({ ip_address: ip, type, project_id, tags, notes, auto_host: false });
      await s.assets.create({ ip_address: '10.0.0.3', type: 'VM', tags: ['web'] });
      await s.assets.archive('10.0.0.3');
    });
    const ips = (r: { items: { ip_address: string }[] }): string[] => r.items.map((a) => a.ip_address);

    it('orders numerically, IPv4 before IPv6, excluding archived by default', async () => {
      const r = await s.assets.list();
      assert.deepEqual(ips(r), ['9.1.2.3', '10.0.0.2', '10.0.0.11', '192.168.0.1', '::1', '2001:db8::1']);
      assert.equal(r.total, 6);
    });

    it('pages in SQL and counts the whole filter', async () => {
      const r = await s.assets.list({ limit: 2, offset: 2 });
      assert.deepEqual(ips(r), ['10.0.0.11', '192.168.0.1']);
      assert.equal(r.total, 6);
      const past = await s.assets.list({ limit: 2, offset: 10 });
      assert.deepEqual(past.items, []);
      assert.equal(past.total, 6);
    });

    it('searches address and notes, case-insensitively, with LIKE wildcards literal', async () => {
      assert.deepEqual(ips(await s.assets.list({ q: '10.0.0' })), ['10.0.0.2', '10.0.0.11']);
      assert.deepEqual(ips(await s.assets.list({ q: 'rack' })), ['9.1.2.3']);
      assert.deepEqual(ips(await s.assets.list({ q: '2001:DB8::1' })), ['2001:db8::1']);
      assert.deepEqual(ips(await s.assets.list({ q: '%' })), []);
      assert.deepEqual(ips(await s.assets.list({ q: "' OR 1=1 --" })), []);
    });

    it('filters by project, unassigned, project name and type', async () => {
      const alpha = (await s.projects.findByName('alpha'))!;
      assert.deepEqual(ips(await s.assets.list({ project_id: alpha.id })), ['10.0.0.2', '10.0.0.11']);
      assert.deepEqual(ips(await s.assets.list({ project_id: 'unassigned' })), ['9.1.2.3', '::1']);
      assert.deepEqual(ips(await s.assets.list({ unassigned_only: 'true' as never })), ['9.1.2.3', '::1']);
      assert.deepEqual(ips(await s.assets.list({ project: 'beta' })), ['192.168.0.1', '2001:db8::1']);
      assert.deepEqual(ips(await s.assets.list({ project: 'nope' })), []);
      assert.deepEqual(ips(await s.assets.list({ type: 'vm,VIP' as never })), ['10.0.0.11', '192.168.0.1', '2001:db8::1']);
    });

    it('filters tags with any / all / not', async () => {
      assert.deepEqual(ips(await s.assets.list({ tags: ['db', 'prod'] as never })), ['9.1.2.3', '10.0.0.2', '192.168.0.1', '2001:db8::1']);
      assert.deepEqual(ips(await s.assets.list({ tags: ['web', 'prod'] as never, tag_match: 'all' })), ['10.0.0.2']);
      assert.deepEqual(ips(await s.assets.list({ tags: ['web'] as never, tag_match: 'not' })), ['9.1.2.3', '::1', '2001:db8::1']);
      assert.deepEqual(ips(await s.assets.list({ tags: ['unknown'] as never })), []);
    });

    it('shows archived only, or all', async () => {
      assert.deepEqual(ips(await s.assets.list({ archived: 'archived' })), ['10.0.0.3']);
      assert.equal((await s.assets.list({ archived: 'all' })).total, 7);
    });

    it('rejects bad filter values as validation errors on the query', async () => {
      const err = await s.assets.list({ limit: 0 }).catch((e: unknown) => e);
      assert.ok(err instanceof ValidationError);
      assert.deepEqual(err.issues[0]!.loc, ['query', 'limit']);
      await assert.rejects(s.assets.list({ type: 'ROUTER' as never }), ValidationError);
    });
  });
});

describe(`IP list planning (${DIALECT})`, () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
    const s = servicesFor(t.db);
    const p = await s.projects.create({ name: 'p' });
    for (let i = 1; i <= 12; i++) {
      await s.assets.create({ ip_address: `10.0.${i % 3}.${i}`, type: i % 2 ? 'VM' : 'OS', project_id: i % 4 ? p.id : null, notes: i % 3 === 0 ? `database ${i}` : `web ${i}`, tags: i % 2 ? ['odd'] : ['even'] });
    }
  });
  after(() => t.cleanup());

  it('keeps the counters exact through create, update, archive and delete', async () => {
    const s = servicesFor(t.db);
    await s.assets.update('10.0.1.1', { type: 'VIP', project_id: null });
    await s.assets.archive('10.0.2.2');
    await s.assets.delete('10.0.0.3');
    const counters = (await t.db('ip_asset_counts').select('archived', 'project_id', 'type', 'n').where('n', '>', 0)) as { archived: unknown; project_id: number; type: string; n: number }[];
    const actual = (await t.db('ip_assets').select('archived', t.db.raw('COALESCE(project_id, 0) as project_id'), 'type').count({ n: '*' }).groupBy('archived', t.db.raw('COALESCE(project_id, 0)'), 'type')) as typeof counters;
    const key = (r: (typeof counters)[number]): string => `${Number(r.archived === true || r.archived === 1)}/${r.project_id}/${r.type}=${Number(r.n)}`;
    assert.deepEqual(counters.map(key).sort(), actual.map(key).sort());
    assert.equal((await s.assets.list()).total, 10);
    assert.equal((await s.assets.list({ project_id: 'unassigned' })).total, 4);
    const tagCounts = (await t.db('ip_asset_tag_counts').select('tag_id', 'n')) as { tag_id: number; n: number }[];
    const tagActual = (await t.db('ip_asset_tags').select('tag_id').count({ n: '*' }).groupBy('tag_id')) as { tag_id: number; n: number }[];
    assert.deepEqual(tagCounts.map((r) => `${r.tag_id}=${Number(r.n)}`).sort(), tagActual.map((r) => `${r.tag_id}=${Number(r.n)}`).sort());
  });

  it('gives the same pages whether matches are few (sorted from the index) or many (walked in order)', async () => {
    const few = servicesFor(t.db).assets;
    const { AssetsService } = await import('../../src/services/assets/service.js');
    const many = new AssetsService({ db: t.db, actor: { userId: null, username: 't', role: 'editor' } }, { countCap: 2 });
    for (const q of [{ q: 'web' }, { q: 'database' }, { tags: ['odd'] as never }, { tags: ['odd', 'even'] as never, tag_match: 'all' as const }, { q: 'web', tags: ['even'] as never }]) {
      const a = await few.list({ ...q, limit: 3, offset: 1 });
      const b = await many.list({ ...q, limit: 3, offset: 1 });
      assert.deepEqual(b.items.map((x) => x.ip_address), a.items.map((x) => x.ip_address), JSON.stringify(q));
      if (a.total > 4) {
        assert.equal(b.total_exact, false);
        assert.equal(b.total, 2);
      }
      assert.equal(a.total_exact, true);
    }
    const all = await few.list({ q: 'web', limit: 100 });
    assert.deepEqual(all.items.map((x) => x.ip_address), [...all.items.map((x) => x.ip_address)].sort((x, y) => x.localeCompare(y, 'en', { numeric: true })));
  });

  it('answers tag filters from the tag counters and the tag index: a tag nobody carries lists nothing, archived carriers are left out', async () => {
    const s = servicesFor(t.db);
    const ips = (r: { items: { ip_address: string }[] }): string[] => r.items.map((a) => a.ip_address);
    await s.assets.create({ ip_address: '10.9.0.1', type: 'VM', tags: ['spare', 'odd'] });
    await s.assets.create({ ip_address: '10.9.0.2', type: 'OS', tags: ['gone'] });
    await s.assets.update('10.9.0.2', { tags: [] });
    await s.assets.archive('10.9.0.1');
    // The truth, by a plain query over the rows.
    const carriers = async (names: string[], match: 'any' | 'all'): Promise<string[]> => {
      const rows = (await t.db('ip_assets as a')
        .join('ip_asset_tags as at', 'at.ip_asset_id', 'a.id')
        .join('tags as tg', 'tg.id', 'at.tag_id')
        .where('a.archived', false)
        .whereIn('tg.name', names)
        .groupBy('a.id', 'a.ip_address')
        .havingRaw('COUNT(*) >= ?', [match === 'all' ? names.length : 1])
        .select('a.ip_address')) as { ip_address: string }[];
      return rows.map((r) => r.ip_address).sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
    };
    for (const [names, match] of [[['gone'], 'any'], [['spare'], 'any'], [['gone', 'odd'], 'any'], [['gone', 'odd'], 'all'], [['odd'], 'all'], [['odd', 'even'], 'any']] as const) {
      const got = await s.assets.list({ tags: [...names] as never, tag_match: match, limit: 100 });
      const want = await carriers([...names], match);
      assert.deepEqual(ips(got), want, `${match} ${names.join(',')}`);
      assert.equal(got.total, want.length, `${match} ${names.join(',')}`);
    }
    assert.deepEqual(ips(await s.assets.list({ tags: ['spare'] as never, archived: 'archived' })), ['10.9.0.1']);
    // The tag is carried again: the counters say so at once.
    await s.assets.update('10.9.0.2', { tags: ['gone'] });
    assert.deepEqual(ips(await s.assets.list({ tags: ['gone'] as never })), ['10.9.0.2']);
  });
});
