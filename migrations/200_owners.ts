import type { Knex } from 'knex';
import { timestampColumns } from '../src/db/helpers/columns.js';

/**
 * The people who answer for a device (VMI's owners): created before the device columns that
 * reference them. An owner may be a user of this app, but need not be (a business owner rarely logs in).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('owners', (t) => {
    t.increments('id').primary();
    t.string('full_name', 255).notNullable();
    // Stored lower-cased, so "unique email" means unique whatever the spelling.
    t.string('email', 255).notNullable().unique();
    t.string('designation', 100);
    t.string('department', 100);
    t.integer('user_id').references('users.id').onDelete('SET NULL');
    timestampColumns(t);
    t.index(['user_id']);
    t.index(['full_name']);
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
