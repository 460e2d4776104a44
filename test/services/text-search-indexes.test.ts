import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

/** The indexes a text search is driven from, as migrations leave them (350: GIN without a pending list). */
describe(`Text search indexes (${DIALECT})`, () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(() => t.cleanup());

  it('PostgreSQL writes trigram entries straight into the GIN indexes; SQLite keeps its FTS5 trigram table by triggers', async () => {
    if (DIALECT === 'pg') {
      const rows = (await t.db.raw(`SELECT relname, reloptions FROM pg_class WHERE relname IN ('ip_assets_address_trgm', 'ip_assets_notes_trgm', 'hosts_search_trgm', 'hosts_name_trgm') ORDER BY relname`)) as { rows: { relname: string; reloptions: string[] | null }[] };
      assert.deepEqual(
        rows.rows.map((r) => [r.relname, r.reloptions]),
        ['hosts_name_trgm', 'hosts_search_trgm', 'ip_assets_address_trgm', 'ip_assets_notes_trgm'].map((n) => [n, ['fastupdate=off']]),
      );
    } else {
      const sql = ((await t.db('sqlite_master').where({ name: 'ip_assets_search' }).first('sql')) as { sql: string }).sql;
      assert.match(sql, /fts5\(.*tokenize='trigram'\)/);
    }
  });

  it('a notes edit is found by the next text search, and the old text no longer is', async () => {
    const s = servicesFor(t.db);
    await s.assets.create({ ip_address: '10.77.0.1', type: 'VM', notes: 'owner team-blue' });
    assert.deepEqual((await s.assets.list({ q: 'team-blue' })).items.map((a) => a.ip_address), ['10.77.0.1']);
    await s.assets.update('10.77.0.1', { notes: 'owner team-green' });
    assert.deepEqual((await s.assets.list({ q: 'team-green' })).items.map((a) => a.ip_address), ['10.77.0.1']);
    assert.equal((await s.assets.list({ q: 'team-blue' })).total, 0);
  });

  it("the search box finds an address by its host's name; on PostgreSQL that arm can use the name's trigram index", async () => {
    const s = servicesFor(t.db);
    const host = await s.hosts.create({ name: 'Rack-Alpha-7' });
    await s.assets.create({ ip_address: '10.77.1.1', type: 'OS', host_id: host.id });
    assert.deepEqual((await s.assets.list({ q: 'alpha-7' })).items.map((a) => a.ip_address), ['10.77.1.1']);
    if (DIALECT !== 'pg') return;
    // A table this small is scanned by choice; with scans priced out the plan shows the index is usable.
    const plan = await t.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off');
      const rows = (await trx.raw("EXPLAIN SELECT id FROM hosts WHERE lower(name) LIKE lower(?) ESCAPE '\\'", ['%alpha-7%'])) as { rows: { 'QUERY PLAN': string }[] };
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    assert.match(plan, /hosts_name_trgm/, plan);
  });
});
