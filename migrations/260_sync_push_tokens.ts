import type { Knex } from 'knex';

/**
 * One push token per device source (`POST /sync/push/{source}`): only its SHA-256 is kept, so a
 * leaked database does not leak a token; an editor rotates it (the old one stops at once).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sync_push_tokens', (t) => {
    t.string('source', 64).primary();
    t.string('token_sha256', 64).notNullable();
    t.string('created_by', 64);
    t.string('created_at', 19).notNullable();
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
