import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * PostgreSQL: the pg_trgm GIN indexes (asset address and notes, device search) write each change
 * into the index at once (fastupdate off). With the default pending list, every text search
 * scanned all entries written since the last vacuum: under the load bench's 20 % writes the list
 * grew all run long, and the searches grew slower with it. A write now pays its trigrams itself.
 * The indexes are absent where pg_trgm could not be created (search scans there). SQLite: nothing.
 */
const INDEXES = ['ip_assets_address_trgm', 'ip_assets_notes_trgm', 'hosts_search_trgm'];

export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  for (const name of INDEXES) {
    const found = (await knex.raw('SELECT to_regclass(?) AS oid', [name])) as { rows: { oid: string | null }[] };
    if (!found.rows[0]?.oid) continue;
    await knex.raw(`ALTER INDEX ${name} SET (fastupdate = off)`);
    // What the pending list holds already moves into the index now.
    await knex.raw('SELECT gin_clean_pending_list(?::regclass)', [name]);
  }
}

export async function down(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  for (const name of INDEXES) await knex.raw(`ALTER INDEX IF EXISTS ${name} RESET (fastupdate)`);
}
