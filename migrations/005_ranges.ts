import type { Knex } from 'knex';
import { addressKeyColumn, timestampColumns } from '../src/db/helpers/columns.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ranges', (t) => {
    t.increments('id').primary();
    t.string('name', 128).notNullable();
    t.string('cidr', 49).notNullable().unique();
    t.smallint('ip_version').notNullable();
    t.smallint('prefix').notNullable();
    addressKeyColumn(knex, t, 'first_key').notNullable();
    addressKeyColumn(knex, t, 'last_key').notNullable();
    addressKeyColumn(knex, t, 'usable_first_key').notNullable();
    addressKeyColumn(knex, t, 'usable_last_key').notNullable();
    t.text('notes');
    timestampColumns(t);
    t.index(['ip_version', 'first_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ranges');
}
