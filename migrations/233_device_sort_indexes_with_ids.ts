import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * PostgreSQL: every live-device sort index (migrations 204 and 231: (column, name) and (kind,
 * column, name), WHERE archived_at IS NULL) is rebuilt to include the device id, as 232 did for
 * the name order, so a deep page in any sort skips its offset in an index-only scan. Without it,
 * `-memory_mb` at offset 50k fetched 50k heap rows (310 ms on the bench dataset) and the kind
 * chips with a sort at offset 20k chose a sequential scan and sort (280 ms).
 * SQLite's indexes already end with the rowid (the id).
 */
export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  const found = (await knex.raw(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'hosts'
       AND indexname LIKE 'hosts\\_live\\_%\\_idx' AND indexname <> 'hosts_live_name_id_idx' ORDER BY indexname`,
  )) as { rows: { indexname: string; indexdef: string }[] };
  for (const { indexname, indexdef } of found.rows) {
    if (indexdef.includes(' INCLUDE ') || !indexdef.includes(' WHERE ')) continue;
    await knex.raw(`DROP INDEX ${indexname}`);
    await knex.raw(indexdef.replace(' WHERE ', ' INCLUDE (id) WHERE '));
  }
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
