/**
 * The device list's totals come from trigger-kept counters (device_counts, migration 230) for the
 * plain list and the kind/platform chips, and from a count bounded at COUNT_CAP past the offset
 * for every other filter. The counters must equal a recount of the rows after every kind of write
 * that touches a device's archived state, kind or platform: creates (panel, /hosts, sync, bundle
 * import), archives, restores, kind and platform changes (override and sync), bulk edits, deletes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getPlugin } from '../../src/plugins/registry.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { BROAD, COUNT_CAP, DEEP } from '../../src/services/devices/list.js';
import type { FactRecordInput } from '../../src/services/devices/schemas.js';
import { DIALECT } from '../helpers/db.js';
import { deviceTestDb } from '../helpers/devices.js';
import { EDITOR } from '../helpers/services.js';

const vm = (n: number, over: Partial<FactRecordInput> = {}): FactRecordInput => ({ external_id: `vm-${n}`, name: `sync-vm-${n}`, kind: 'vm', platform: 'vmware', ...over });

describe(`device list totals: counters equal a recount; other filters count up to a cap (${DIALECT})`, () => {
  const ctx = deviceTestDb();

  const rows = async (sql: string): Promise<string[]> => {
    const r = (await ctx.t.db.raw(sql)) as unknown;
    const list = (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
    return list.map((x) => Object.values(x).map((v) => (typeof v === 'boolean' ? Number(v) : String(v))).join('|')).sort();
  };
  const recount = async (where: string): Promise<number> => Number((await rows(`SELECT COUNT(*) AS n FROM hosts WHERE ${where}`))[0]);

  /** Stored counters (zeros dropped) against a recount, and the list's totals against counts of the rows. */
  async function assertCountsExact(step: string): Promise<void> {
    assert.deepEqual(
      await rows('SELECT archived, kind, platform, n FROM device_counts WHERE n <> 0'),
      await rows(`SELECT CASE WHEN archived_at IS NULL THEN 0 ELSE 1 END AS a, kind, COALESCE(platform, '') AS p, COUNT(*) AS n FROM hosts GROUP BY CASE WHEN archived_at IS NULL THEN 0 ELSE 1 END, kind, COALESCE(platform, '')`),
      `device_counts after ${step}`,
    );
    const cases: [Parameters<typeof ctx.s.devices.list>[0], string][] = [
      [{}, 'archived_at IS NULL'],
      [{ archived: 'only' }, 'archived_at IS NOT NULL'],
      [{ archived: 'include' }, '1 = 1'],
      [{ kind: ['vm'] }, "archived_at IS NULL AND kind = 'vm'"],
      [{ kind: ['laptop', 'server'], archived: 'include' }, "kind IN ('laptop', 'server')"],
      [{ platform: ['vmware'] }, "archived_at IS NULL AND platform = 'vmware'"],
      [{ kind: ['vm'], platform: ['nutanix'], archived: 'only' }, "archived_at IS NOT NULL AND kind = 'vm' AND platform = 'nutanix'"],
    ];
    for (const [query, where] of cases) {
      const page = await ctx.s.devices.list({ ...query, limit: 1 });
      assert.deepEqual([page.total, page.total_exact], [await recount(where), true], `${step}: ${JSON.stringify(query)}`);
    }
  }

  it('creates, archives, restores, kind/platform changes, syncs, bundle imports, bulk edits and deletes keep the counters exact', async () => {
    await assertCountsExact('nothing');
    const laptop = await ctx.s.devices.create({ name: 'lab-laptop-1', kind: 'laptop' });
    const server = await ctx.s.devices.create({ name: 'srv-1', kind: 'server', platform: 'physical' });
    const host = await ctx.s.hosts.create({ name: 'plain-host' });
    await assertCountsExact('creates');

    await ctx.s.devices.archive(laptop.id, { reason: 'lost' });
    await ctx.s.devices.archive(laptop.id, { reason: 'again' });
    await assertCountsExact('archives');
    await ctx.s.devices.restore(laptop.id);
    await assertCountsExact('a restore');

    await ctx.s.devices.setOverride(host.id, 'kind', 'server');
    await ctx.s.devices.setOverride(server.id, 'platform', 'nutanix');
    await assertCountsExact('kind and platform overrides');
    await ctx.s.devices.clearOverride(server.id, 'platform');
    await assertCountsExact('a cleared override');

    const first = await ctx.s.devices.recordFacts('vcenter', null, [vm(1), vm(2), vm(3)]);
    await assertCountsExact('a first sync');
    await ctx.s.devices.recordFacts('vcenter', null, [vm(1, { platform: 'nutanix' }), vm(2, { kind: 'hypervisor' }), vm(3)]);
    await ctx.s.devices.archive(first.devices[2]!.device_id, { reason: 'gone' });
    await assertCountsExact('a sync changing kind and platform, and an archived synced VM');

    const data = Buffer.from(JSON.stringify({ app: 'ipocket', schema_version: '1', data: { hosts: [{ name: 'bundle-a' }, { name: 'bundle-b', notes: 'x' }, { name: 'plain-host', notes: 'updated' }] } }));
    const out = await runPlugin(ctx.t.db, EDITOR, { plugin: getPlugin('bundle'), input: { files: [{ name: 'b.json', data }] }, dryRun: false });
    assert.equal(out.status, 'succeeded', out.error?.message ?? JSON.stringify(out.plan?.errors.slice(0, 3)));
    await assertCountsExact('a bundle import');

    const ids = (await ctx.s.devices.list({ q: 'bundle' })).items.map((d) => d.id);
    await ctx.s.devices.bulk({ ids, edit: { notes: 'bulk' } });
    for (const id of ids) await ctx.s.devices.setOverride(id, 'kind', 'desktop');
    await assertCountsExact('bulk edits and kind overrides');

    await ctx.s.hosts.delete(ids[0]!);
    await ctx.s.hosts.delete(host.id);
    await assertCountsExact('deletes');
  });

  it('other filters count up to COUNT_CAP rows past the offset (total_exact false), and a last page counts itself', async () => {
    const n = COUNT_CAP + 30;
    // Set up straight in the tables: the service would take a minute to create a thousand devices one by one.
    const at = '2026-01-01 00:00:00';
    const hosts = Array.from({ length: n }, (_, i) => ({ name: `dev-${String(i).padStart(5, '0')}`, kind: 'vm', created_at: at, updated_at: at }));
    for (let i = 0; i < n; i += 200) await ctx.t.db('hosts').insert(hosts.slice(i, i + 200));
    const ids = ((await ctx.t.db('hosts').select('id').orderBy('id')) as { id: number }[]).map((r) => r.id);
    for (let i = 0; i < n; i += 200) await ctx.t.db('device_tags').insert(ids.slice(i, i + 200).map((id) => ({ device_id: id, tag: 'prod', created_by: 'test' })));

    const first = await ctx.s.devices.list({ tag: 'prod', limit: 50 });
    assert.deepEqual([first.items.length, first.total, first.total_exact], [50, COUNT_CAP, false]);
    const deep = await ctx.s.devices.list({ tag: 'prod', limit: 10, offset: 40 });
    assert.deepEqual([deep.items[0]!.name, deep.total, deep.total_exact], ['dev-00040', n, true]);
    const last = await ctx.s.devices.list({ tag: 'prod', limit: 50, offset: n - 10 });
    assert.deepEqual([last.items.length, last.total, last.total_exact], [10, n, true]);
    const past = await ctx.s.devices.list({ tag: 'prod', limit: 50, offset: n + 100 });
    assert.deepEqual([past.items.length, past.total, past.total_exact], [0, n, true]);
    // The kind chip is answered by the counters: exact however many.
    const kind = await ctx.s.devices.list({ kind: ['vm'], limit: 5 });
    assert.deepEqual([kind.total, kind.total_exact], [n, true]);
  });
});

describe(`device list pages: a common tag walks the name index, a deep offset skips ids (${DIALECT})`, () => {
  const ctx = deviceTestDb();

  it('pages by a common tag, a rare tag, common and rare text and a deep offset list the same devices as the plain order says', async () => {
    const n = BROAD + 100;
    const at = '2026-01-01 00:00:00';
    const kinds = ['vm', 'server', 'laptop'] as const;
    const hosts = Array.from({ length: n }, (_, i) => ({ name: `dev-${String(i).padStart(5, '0')}`, kind: kinds[i % 3], memory_mb: 1024 * (i % 7), created_at: at, updated_at: at }));
    for (let i = 0; i < n; i += 200) await ctx.t.db('hosts').insert(hosts.slice(i, i + 200));
    const ids = ((await ctx.t.db('hosts').select('id', 'name').orderBy('id')) as { id: number; name: string }[]);
    // Every device but each tenth carries "common" (more than BROAD); each hundredth carries "rare".
    const tags = ids.flatMap((r, i) => [...(i % 10 ? [{ device_id: r.id, tag: 'common', created_by: 'test' }] : []), ...(i % 100 === 7 ? [{ device_id: r.id, tag: 'rare', created_by: 'test' }] : [])]);
    for (let i = 0; i < tags.length; i += 200) await ctx.t.db('device_tags').insert(tags.slice(i, i + 200));

    const names = (p: { items: { name: string }[] }) => p.items.map((d) => d.name);
    const expected = (keep: (i: number) => boolean, from: number, count: number) => hosts.map((h, i) => ({ h, i })).filter(({ i }) => keep(i)).slice(from, from + count).map(({ h }) => h.name);
    assert.deepEqual(names(await ctx.s.devices.list({ tag: 'common', limit: 5, offset: 10 })), expected((i) => i % 10 !== 0, 10, 5));
    assert.deepEqual(names(await ctx.s.devices.list({ tag: 'rare', limit: 5 })), expected((i) => i % 100 === 7, 0, 5));
    // Text every device contains (a live search's first letters) walks the name index; a rarer one starts from its ids.
    const common = await ctx.s.devices.list({ q: 'DEV-0', sort: '-name', limit: 3, offset: 5 });
    assert.deepEqual([names(common), common.total_exact], [[...hosts].reverse().slice(5, 8).map((h) => h.name), false]);
    assert.deepEqual(names(await ctx.s.devices.list({ q: 'dev-0001', limit: 3 })), ['dev-00010', 'dev-00011', 'dev-00012']);
    const vmsByMemory = await ctx.s.devices.list({ tag: 'common', kind: ['vm'], sort: '-memory_mb', limit: 3 });
    const vms = hosts.map((h, i) => ({ ...h, i })).filter((h) => h.i % 10 !== 0 && h.kind === 'vm').sort((a, b) => b.memory_mb - a.memory_mb || (a.name < b.name ? 1 : -1));
    assert.deepEqual(names(vmsByMemory), vms.slice(0, 3).map((h) => h.name));
    assert.deepEqual(names(await ctx.s.devices.list({ limit: 4, offset: DEEP + 50 })), expected(() => true, DEEP + 50, 4));
    assert.deepEqual(names(await ctx.s.devices.list({ sort: '-name', limit: 2, offset: n - 2 })), [hosts[1]!.name, hosts[0]!.name]);
    const byMemory = [...hosts].sort((a, b) => b.memory_mb - a.memory_mb || (a.name < b.name ? 1 : -1));
    assert.deepEqual(names(await ctx.s.devices.list({ sort: '-memory_mb', limit: 3, offset: DEEP + 10 })), byMemory.slice(DEEP + 10, DEEP + 13).map((h) => h.name));
  });
});
