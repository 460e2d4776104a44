import type { Knex } from 'knex';
import { timestampColumns } from '../src/db/helpers/columns.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('projects', (t) => {
    t.increments('id').primary();
    t.string('name', 128).notNullable().unique();
    t.text('description');
    t.string('color', 7).notNullable().defaultTo('#94a3b8');
    timestampColumns(t);
  });
  await knex.schema.createTable('vendors', (t) => {
    t.increments('id').primary();
    t.string('name', 128).notNullable().unique();
    timestampColumns(t);
  });
  await knex.schema.createTable('tags', (t) => {
    t.increments('id').primary();
    t.string('name', 64).notNullable().unique();
    t.string('color', 7).notNullable().defaultTo('#e2e8f0');
    timestampColumns(t);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tags');
  await knex.schema.dropTable('vendors');
  await knex.schema.dropTable('projects');
}
