import type { Knex } from 'knex';
import { timestampColumns } from '../src/db/helpers/columns.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('hosts', (t) => {
    t.increments('id').primary();
    t.string('name', 255).notNullable().unique();
    t.text('notes');
    t.integer('vendor_id').references('vendors.id').onDelete('RESTRICT');
    timestampColumns(t);
    t.index(['vendor_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('hosts');
}
