import type { Knex } from 'knex';
import { timestampColumns } from '../src/db/helpers/columns.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.string('username', 64).notNullable().unique();
    t.string('password_hash', 100).notNullable();
    t.string('role', 16).notNullable();
    t.boolean('is_active').notNullable().defaultTo(true);
    timestampColumns(t);
  });
  // API bearer tokens; only the SHA-256 of a token is stored.
  await knex.schema.createTable('sessions', (t) => {
    t.increments('id').primary();
    t.string('token_hash', 64).notNullable().unique();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('kind', 16).notNullable().defaultTo('api');
    t.string('created_at', 19).notNullable();
    t.string('last_used_at', 19).notNullable();
    t.string('expires_at', 19).notNullable();
    t.string('absolute_expires_at', 19).notNullable();
    t.index(['user_id']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('users');
}
