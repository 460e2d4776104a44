import type { Knex } from 'knex';

/**
 * NetBox sync (issue 16).
 *
 * netbox_outbox: pushes waiting to be sent, one row per pool or reservation (a second change
 * before the send only bumps `seq`, so the push sends the newest state once). Written in the
 * same transaction as the change; the job runner sends after commit and deletes the row only
 * when the `seq` it sent is still the row's (a change during the send stays queued). Failures
 * keep the row with attempts, the error and when to try again: an outage loses nothing.
 * `netbox_id` carries the NetBox id of a deleted pool (its row is gone by the time of the send).
 *
 * netbox_sync_runs: every sync run (push drain, bulk sync, import, resolution) with counts and log.
 *
 * netbox_conflicts: differences a sync found between a pool and NetBox; one open row per
 * (pool, kind, subject); `fingerprint` is NetBox's side as seen, so an ignored conflict stays
 * ignored until NetBox changes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('netbox_outbox', (t) => {
    t.increments('id').primary();
    t.string('entity', 16).notNullable();
    t.integer('entity_id').notNullable();
    t.integer('netbox_id');
    t.integer('seq').notNullable().defaultTo(1);
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('next_attempt_at').notNullable().defaultTo(0);
    t.text('last_error');
    t.string('enqueued_at', 19).notNullable();
    t.unique(['entity', 'entity_id']);
    t.index(['next_attempt_at']);
  });
  await knex.schema.createTable('netbox_sync_runs', (t) => {
    t.increments('id').primary();
    t.string('kind', 16).notNullable();
    t.string('status', 16).notNullable();
    t.string('started_at', 19).notNullable();
    t.string('finished_at', 19);
    t.string('actor', 128);
    t.text('counts');
    t.text('log');
    t.text('error');
  });
  await knex.schema.createTable('netbox_conflicts', (t) => {
    t.increments('id').primary();
    t.integer('pool_id').notNullable().references('range_id').inTable('ip_pools').onDelete('CASCADE');
    t.string('kind', 16).notNullable();
    t.string('subject', 64).notNullable();
    t.integer('netbox_id');
    t.integer('reservation_id');
    t.text('ours');
    t.text('theirs');
    t.text('fingerprint');
    t.string('status', 16).notNullable();
    t.string('resolution', 16);
    t.string('detected_at', 19).notNullable();
    t.string('resolved_at', 19);
    t.string('resolved_by', 128);
    t.unique(['pool_id', 'kind', 'subject']);
    t.index(['status']);
  });
  await knex.schema.alterTable('ip_reservations', (t) => {
    t.string('netbox_synced_at', 19);
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
