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
      const rows = (await t.db.raw(`SELECT relname, reloptions FROM pg_class WHERE relname IN ('ip_assets_address_trgm', 'ip_assets_notes_trgm', 'hosts_search_trgm') ORDER BY relname`)) as { rows: { relname: string; reloptions: string[] | null }[] };
      assert.deepEqual(
        rows.rows.map((r) => [r.relname, r.reloptions]),
        ['hosts_search_trgm', 'ip_assets_address_trgm', 'ip_assets_notes_trgm'].map((n) => [n, ['fastupdate=off']]),
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
});
