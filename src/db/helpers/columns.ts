import type { Knex } from 'knex';
import { isPostgres } from './dialect.js';

/**
 * A 32-hex-digit address key column. PostgreSQL gets the "C" collation so ordering and
 * range scans are byte-wise (as on SQLite) whatever the cluster's locale.
 */
export function addressKeyColumn(knex: Knex, t: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return isPostgres(knex) ? t.specificType(name, 'varchar(32) COLLATE "C"') : t.string(name, 32);
}

/** created_at/updated_at as "YYYY-MM-DD HH:MM:SS" UTC text, sortable on both databases. */
export function timestampColumns(t: Knex.CreateTableBuilder): void {
  t.string('created_at', 19).notNullable();
  t.string('updated_at', 19).notNullable();
}
