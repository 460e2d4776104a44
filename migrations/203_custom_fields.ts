import type { Knex } from 'knex';
import { timestampColumns } from '../src/db/helpers/columns.js';

/**
 * Custom fields a superuser defines (for one device kind, or every kind when `device_kind` is NULL)
 * and their values per device. A value is kept as text (the canonical spelling) and, for numbers,
 * dates and booleans, also in `value_number`, so "filterable" is an index range scan on either.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('custom_fields', (t) => {
    t.increments('id').primary();
    t.string('key', 64).notNullable().unique();
    t.string('label', 255).notNullable();
    t.string('device_kind', 20);
    t.string('type', 16).notNullable();
    t.text('options');
    t.boolean('required').notNullable().defaultTo(false);
    timestampColumns(t);
  });
  await knex.schema.createTable('device_custom_values', (t) => {
    t.integer('device_id').notNullable().references('hosts.id').onDelete('CASCADE');
    t.integer('field_id').notNullable().references('custom_fields.id').onDelete('CASCADE');
    t.string('value_text', 2000).notNullable();
    t.double('value_number');
    t.primary(['device_id', 'field_id']);
    t.index(['field_id', 'value_text']);
    t.index(['field_id', 'value_number']);
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
