/**
 * Imports keep the counter tables exact while the bulk writer maintains them in aggregate
 * (migration 120): what the list totals, range utilization and tag filters read must equal a
 * recount, after creates, updates that move assets between projects/types/archived, retags, and
 * ordinary service writes in between (whose triggers stay on).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Knex } from 'knex';
import { getPlugin } from '../../src/plugins/registry.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { EDITOR, servicesFor } from '../helpers/services.js';

let t: TestDb;
let db: Knex;
before(async () => {
  t = await createTestDb();
  db = t.db;
});
after(async () => t.cleanup());

interface Asset {
  ip_address: string;
  type: string;
  project_name?: string | null;
  archived?: boolean;
  tags?: string[];
}

async function importBundle(assets: Asset[]): Promise<void> {
  const data = Buffer.from(JSON.stringify({ app: 'ipocket', schema_version: '1', data: { projects: [{ name: 'alpha' }, { name: 'beta' }], ip_assets: assets } }));
  const out = await runPlugin(db, EDITOR, { plugin: getPlugin('bundle'), input: { files: [{ name: 'b.json', data }] }, dryRun: false, chunkSize: 50 });
  assert.equal(out.status, 'succeeded', out.error?.message ?? JSON.stringify(out.plan?.errors.slice(0, 3)));
}

const rows = async (sql: string): Promise<string[]> => {
  const r = (await db.raw(sql)) as unknown;
  const list = (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
  return list.map((x) => Object.values(x).map((v) => (typeof v === 'boolean' ? Number(v) : String(v))).join('|')).sort();
};

/** Stored counters (zeros dropped) against the same figures counted from the rows. */
async function assertCountersExact(): Promise<void> {
  const f = DIALECT === 'pg' ? 'false' : '0';
  assert.deepEqual(
    await rows('SELECT archived, project_id, type, n FROM ip_asset_counts WHERE n <> 0'),
    await rows('SELECT archived, COALESCE(project_id, 0) AS p, type, COUNT(*) AS n FROM ip_assets GROUP BY archived, COALESCE(project_id, 0), type'),
  );
  for (const [level, digits] of [[1, 30], [2, 28]]) {
    assert.deepEqual(
      await rows(`SELECT level, block, n FROM ip_key_blocks WHERE level = ${level} AND n <> 0`),
      await rows(`SELECT ${level} AS level, substr(ip_key, 1, ${digits}) AS b, COUNT(*) AS n FROM ip_assets WHERE archived = ${f} GROUP BY substr(ip_key, 1, ${digits})`),
      `ip_key_blocks level ${level}`,
    );
  }
  assert.deepEqual(await rows('SELECT tag_id, n FROM ip_asset_tag_counts WHERE n <> 0'), await rows('SELECT tag_id, COUNT(*) AS n FROM ip_asset_tags GROUP BY tag_id'));
}

const first: Asset[] = Array.from({ length: 300 }, (_, i) => ({
  ip_address: i % 10 === 9 ? `2001:db8::${i.toString(16)}` : `10.7.${i >> 8}.${i & 255}`,
  type: ['VM', 'OS', 'VIP'][i % 3]!,
  project_name: i % 4 === 0 ? null : i % 2 ? 'alpha' : 'beta',
  archived: i % 25 === 0,
  tags: i % 3 === 0 ? [] : i % 3 === 1 ? ['web'] : ['web', 'db'],
}));

test(`an import's creates keep every counter exact (${DIALECT})`, async () => {
  await importBundle(first);
  await assertCountersExact();
  const s = servicesFor(db);
  assert.equal((await s.assets.list({ limit: 1, project_id: (await s.projects.list()).find((p) => p.name === 'alpha')!.id })).total, first.filter((a) => a.project_name === 'alpha' && !a.archived).length);
});

test(`updates that move, archive, restore and retag keep every counter exact (${DIALECT})`, async () => {
  // An ordinary write between the runs: its triggers still count.
  await servicesFor(db).assets.create({ ip_address: '10.7.9.9', type: 'VM', tags: ['db'] });
  const second = first.map((a, i) => ({
    ...a,
    type: i % 5 === 0 ? 'OTHER' : a.type,
    project_name: i % 7 === 0 ? 'alpha' : a.project_name,
    archived: i % 25 === 0 ? false : i % 11 === 0,
    tags: i % 6 === 0 ? ['db', 'new-tag'] : a.tags,
  }));
  await importBundle([...second, { ip_address: '10.7.200.1', type: 'VM', tags: ['web'] }]);
  await assertCountersExact();
  // And a plain delete after them: the triggers are back on.
  const s = servicesFor(db);
  const victim = (await s.assets.list({ limit: 1 })).items[0]!;
  await s.assets.delete(victim.ip_address);
  await assertCountersExact();
});
