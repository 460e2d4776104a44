import type { Knex } from 'knex';

/**
 * Failed logins per username and per client address, in the database so that every instance
 * (and both the API and the panel) counts against one limit.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_failures', (t) => {
    // "user:<name>" or "address:<ip>"
    t.string('bucket', 320).primary();
    t.integer('failures').notNullable();
    // End of the fixed window, ms since the epoch.
    t.bigInteger('window_ends').notNullable();
    t.index(['window_ends'], 'login_failures_window_ends');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('login_failures');
}
