import type { Knex } from 'knex';

/**
 * A 32-hex-digit address key column. PostgreSQL gets the "C" collation so ordering and
 * range scans are byte-wise (as on SQLite) whatever the cluster's locale.
 */
export function addressKeyColumn(knex: Knex, t: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  const client = String((knex.client as { config: { client: unknown } }).config.client);
  return client === 'pg' ? t.specificType(name, 'varchar(32) COLLATE "C"') : t.string(name, 32);
}

/** created_at/updated_at as "YYYY-MM-DD HH:MM:SS" UTC text, sortable on both databases. */
export function timestampColumns(t: Knex.CreateTableBuilder): void {
  t.string('created_at', 19).notNullable();
  t.string('updated_at', 19).notNullable();
}
