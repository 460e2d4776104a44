import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * PostgreSQL: the live name index carries the device id (INCLUDE), so a deep page of the list
 * skips its offset in an index-only scan and reads only the rows it shows (src/services/devices/
 * list.ts, DEEP). Migration 204's index is replaced: the new one serves every query it did.
 * SQLite's indexes already end with the rowid (the id), so nothing changes there.
 */
export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  await knex.raw('CREATE INDEX hosts_live_name_id_idx ON hosts (name) INCLUDE (id) WHERE archived_at IS NULL');
  await knex.raw('DROP INDEX IF EXISTS hosts_live_name_idx');
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
