import type { Knex } from 'knex';

/**
 * Panel (browser) sessions for express-session via connect-session-knex. `sid` holds the
 * SHA-256 of the cookie's session id, never the id itself, so a leaked table opens no session.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('panel_sessions', (t) => {
    t.string('sid', 64).primary();
    t.text('sess').notNullable();
    t.timestamp('expired', { useTz: true }).notNullable();
    t.index(['expired'], 'panel_sessions_expired');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('panel_sessions');
}
