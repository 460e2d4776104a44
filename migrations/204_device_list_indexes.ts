import type { Knex } from 'knex';
import { DEVICE_SEARCH_EXPRESSION } from '../src/db/helpers/device-search.js';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * The device list's indexes, measured on 100k devices: every list asks `archived_at IS NULL` and
 * orders by name (or by a column, then name), so each filter and sort column gets one index of
 * the live rows by (column, name): (archived_at, column, name) on SQLite, partial on PostgreSQL.
 * A filter is then an index range already in page order (LIMIT 50 stops after 50 entries) and
 * its count reads the index alone. The single-column indexes of 201 made SQLite walk the whole
 * archived_at index and sort (110-180 ms a page); these make the page ~1 ms and its count ~11 ms.
 *
 * The text search (name, hostname, serial, asset tag, UUID) gets a trigram index: FTS5 on SQLite,
 * pg_trgm on PostgreSQL (skipped with a notice where the extension cannot be created), so
 * "contains" is an index lookup instead of five LIKEs over every row.
 */
const LIST_COLUMNS = [
  'kind', 'platform', 'power_state', 'os_type', 'os_family', 'project_id', 'environment', 'room_location', 'business_owner_id',
  'technical_owner_id', 'cluster', 'hypervisor_device_id', 'last_seen_at', 'memory_mb', 'vcpus', 'updated_at', 'created_at', 'serial',
] as const;

/** 201's single-column indexes that the composites replace (the exact lookups keep theirs). */
const REPLACED = ['kind', 'platform', 'power_state', 'os_type', 'os_family', 'project_id', 'environment', 'room_location', 'business_owner_id', 'technical_owner_id', 'cluster', 'last_seen_at', 'memory_mb', 'vcpus', 'updated_at', 'archived_at', 'model', 'vendor_name'];

export async function up(knex: Knex): Promise<void> {
  for (const c of REPLACED) await knex.raw(`DROP INDEX IF EXISTS hosts_${c}_idx`);
  if (isPostgres(knex)) {
    // PostgreSQL does not read an index in the order of the columns after an `IS NULL` one, but it
    // does use a partial index whose predicate the query states: live rows, ordered by (column, name).
    await knex.raw('CREATE INDEX hosts_live_name_idx ON hosts (name) WHERE archived_at IS NULL');
    for (const c of LIST_COLUMNS) await knex.raw(`CREATE INDEX hosts_live_${c}_idx ON hosts (${c}, name) WHERE archived_at IS NULL`);
    await knex.raw('CREATE INDEX hosts_archived_idx ON hosts (archived_at) WHERE archived_at IS NOT NULL');

    await knex.raw('SAVEPOINT ipocket_device_trgm');
    try {
      await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await knex.raw(`CREATE INDEX hosts_search_trgm ON hosts USING gin ((${DEVICE_SEARCH_EXPRESSION}) gin_trgm_ops)`);
      await knex.raw('RELEASE SAVEPOINT ipocket_device_trgm');
    } catch (err) {
      await knex.raw('ROLLBACK TO SAVEPOINT ipocket_device_trgm');
      console.warn(`pg_trgm is not available (${(err as Error).message}); device text search will scan.`);
    }
    return;
  }
  // SQLite does: `archived_at IS NULL` is an equality on the first column, then (column, name) order.
  await knex.raw('CREATE INDEX hosts_live_name_idx ON hosts (archived_at, name)');
  for (const c of LIST_COLUMNS) await knex.raw(`CREATE INDEX hosts_live_${c}_idx ON hosts (archived_at, ${c}, name)`);
  const cols = 'name, hostname, serial, asset_tag, uuid';
  const vals = (p: string) => cols.split(', ').map((c) => `${p}.${c}`).join(', ');
  await knex.raw(`CREATE VIRTUAL TABLE hosts_search USING fts5(${cols}, content='hosts', content_rowid='id', tokenize='trigram')`);
  await knex.raw(`CREATE TRIGGER hosts_search_ins AFTER INSERT ON hosts BEGIN
    INSERT INTO hosts_search (rowid, ${cols}) VALUES (NEW.id, ${vals('NEW')}); END`);
  await knex.raw(`CREATE TRIGGER hosts_search_del AFTER DELETE ON hosts BEGIN
    INSERT INTO hosts_search (hosts_search, rowid, ${cols}) VALUES ('delete', OLD.id, ${vals('OLD')}); END`);
  await knex.raw(`CREATE TRIGGER hosts_search_upd AFTER UPDATE OF ${cols} ON hosts BEGIN
    INSERT INTO hosts_search (hosts_search, rowid, ${cols}) VALUES ('delete', OLD.id, ${vals('OLD')});
    INSERT INTO hosts_search (rowid, ${cols}) VALUES (NEW.id, ${vals('NEW')}); END`);
  await knex.raw(`INSERT INTO hosts_search (hosts_search) VALUES ('rebuild')`);
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
