import type { Knex } from 'knex';

/**
 * NetBox sync across instances (issue 16, graphql-netbox).
 *
 * netbox_sync_lease: one row. `locked_by`/`locked_until` (epoch ms) are the lease every NetBox
 * conversation (push drain, bulk sync, import, resolution) holds, so two instances on one
 * database never both find "no prefix yet" and create it twice. `hourly_slot` is the last hour
 * (epoch ms, on the job runner's clock) whose scheduled bulk sync ran: a start after a missed
 * hour runs it once, not once per missed hour.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('netbox_sync_lease', (t) => {
    t.integer('id').primary();
    t.string('locked_by', 200);
    t.bigInteger('locked_until');
    t.bigInteger('hourly_slot');
  });
  await knex('netbox_sync_lease').insert({ id: 1 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('netbox_sync_lease');
}
