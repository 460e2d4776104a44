/**
 * A bulk import leaves the planner's statistics fresh: without them PostgreSQL sorts the whole
 * table for every page of 50 (a sequential scan plus a sort instead of walking the list index),
 * and autoanalyze catches up only a minute or more later. SQLite's planner needs its ANALYZE
 * rows (sqlite_stat1) the same way.
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

test('an import of 3,000 assets refreshes the statistics, so a list page walks the index', async () => {
  const ip_assets = Array.from({ length: 3000 }, (_, i) => ({ ip_address: `10.${i >> 8}.${i & 255}.1`, type: 'VM', tags: [`t${i % 7}`] }));
  const data = Buffer.from(JSON.stringify({ app: 'ipocket', schema_version: '1', data: { ip_assets } }));
  const out = await runPlugin(db, EDITOR, { plugin: getPlugin('bundle'), input: { files: [{ name: 'b.json', data }] }, dryRun: false });
  assert.equal(out.status, 'succeeded', out.error?.message);

  if (DIALECT === 'pg') {
    const analyzed = (await db('pg_stat_user_tables').whereIn('relname', ['ip_assets', 'ip_asset_tags']).select('relname', 'last_analyze')) as { relname: string; last_analyze: Date | null }[];
    assert.deepEqual(analyzed.filter((r) => r.last_analyze === null).map((r) => r.relname), [], 'tables the import filled are analyzed');
    const plan = (await db.raw(`EXPLAIN SELECT a.id FROM ip_assets a WHERE a.archived = false ORDER BY a.ip_version, a.ip_key LIMIT 50 OFFSET 100`)) as { rows: { 'QUERY PLAN': string }[] };
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    assert.doesNotMatch(text, /Seq Scan|Sort/, `the page walks ip_assets_archived_order:\n${text}`);
    // Once vacuumed (autovacuum's work), the rows a page skips are read from the index alone: it holds the id (migration 420).
    await db.raw('VACUUM ip_assets');
    const vacuumed = (await db.raw(`EXPLAIN SELECT a.id FROM ip_assets a WHERE a.archived = false ORDER BY a.ip_version, a.ip_key LIMIT 50 OFFSET 100`)) as { rows: { 'QUERY PLAN': string }[] };
    const covered = vacuumed.rows.map((r) => r['QUERY PLAN']).join('\n');
    assert.match(covered, /Index Only Scan using ip_assets_archived_order /, `the page is an index-only scan:\n${covered}`);
  } else {
    const stats = (await db('sqlite_stat1').where({ tbl: 'ip_assets' }).select('idx', 'stat')) as { idx: string; stat: string }[];
    const order = stats.find((s) => s.idx === 'ip_assets_archived_order');
    assert.ok(order, `sqlite_stat1 describes the list index after the import: ${JSON.stringify(stats)}`);
    assert.ok(Number(order.stat.split(' ')[0]) >= 3000, `the statistics count the imported rows: ${order.stat}`);
  }
});

/** What the app sent: each statement with its bindings (knex's query event). */
async function statementsOf(run: () => Promise<unknown>): Promise<{ sql: string; bindings: readonly unknown[] }[]> {
  const seen: { sql: string; bindings: readonly unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: readonly unknown[] }): void => void seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  db.on('query', listen);
  try {
    await run();
  } finally {
    db.off('query', listen);
  }
  return seen;
}

const literal = (v: unknown): string => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);

test('a list page is one statement whose cached generic plan reads the page by primary key, not the whole table', async () => {
  const s = servicesFor(db);
  let page: Awaited<ReturnType<typeof s.assets.list>> | undefined;
  const sent = await statementsOf(async () => (page = await s.assets.list({ limit: 50, offset: 100 })));
  assert.equal(page!.items.length, 50);
  assert.equal(page!.items[0]!.ip_address, '10.0.100.1', 'the page starts at the 101st address in order');
  assert.equal(page!.total, 3000);
  assert.equal(sent.length, 1, sent.map((q) => q.sql).join('\n'));
  if (DIALECT !== 'pg') {
    // SQLite: the page's ids first, then each row by rowid (not a walk of the table testing membership).
    const steps = (await db.raw(`EXPLAIN QUERY PLAN ${sent[0]!.sql}`, [...sent[0]!.bindings] as Knex.RawBinding[])) as { detail: string }[];
    const plan = steps.map((r) => r.detail).join('\n');
    assert.match(plan, /SEARCH a USING INTEGER PRIMARY KEY \(rowid=\?\)/, plan);
    return;
  }
  // Prepared statements run the generic plan once it is no dearer than a custom one (pg-client.ts):
  // that plan, with the parameters unknown to it, must still read only the page's rows.
  // On PostgreSQL knex reports the statement as sent: $n placeholders.
  const native = sent[0]!;
  const text = await db.transaction(async (trx) => {
    await trx.raw('SET LOCAL plan_cache_mode = force_generic_plan');
    await trx.raw(`PREPARE list_page AS ${native.sql.replace(/\?/g, '\\?')}`);
    const rows = (await trx.raw(`EXPLAIN EXECUTE list_page(${native.bindings.map(literal).join(', ')})`)) as { rows: { 'QUERY PLAN': string }[] };
    await trx.raw('DEALLOCATE list_page');
    return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
  });
  assert.match(text, /Index Scan using ip_assets_pkey/, text);
  assert.doesNotMatch(text, /Seq Scan on ip_assets |Hash Join/, text);
});
