import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * PostgreSQL: the address search box also matches the host's name (`lower(name) LIKE …`,
 * src/services/assets/address-search.ts), and that arm scanned every host on every search: 0.48 ms
 * of a 4.1 ms search at 1,000 hosts, and it grows with the devices (100k hosts: tens of ms). A
 * pg_trgm index on the lowered name answers it. Written at once (fastupdate off, as migration 350
 * does for the other trigram indexes). Skipped with a notice where pg_trgm is not available
 * (migration 150 reports the same); SQLite's walk and FTS5 cover it there: nothing to do.
 */
export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  const trgm = (await knex.raw("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")) as { rows: unknown[] };
  if (trgm.rows.length === 0) {
    console.warn('pg_trgm is not installed: the host-name arm of the address search will scan hosts.');
    return;
  }
  await knex.raw('CREATE INDEX IF NOT EXISTS hosts_name_trgm ON hosts USING gin (lower(name) gin_trgm_ops) WITH (fastupdate = off)');
}

export async function down(knex: Knex): Promise<void> {
  if (isPostgres(knex)) await knex.raw('DROP INDEX IF EXISTS hosts_name_trgm');
}
