import type { Knex } from 'knex';

/**
 * The job runner's state, one row per registered job (reaper, purges, expiry, pushes): who holds
 * it (`locked_by` until `locked_until`, renewed by a heartbeat while it runs) and which slot of its
 * schedule ran last, so several app instances claim each due slot with one conditional UPDATE and
 * a job runs once; then the outcome of its last run. Times of the claim are epoch milliseconds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('jobs', (t) => {
    t.string('name', 128).primary();
    t.string('locked_by', 160);
    t.bigInteger('locked_until');
    t.bigInteger('last_slot');
    t.string('last_started_at', 19);
    t.string('last_finished_at', 19);
    t.string('last_status', 16);
    t.text('last_error');
    t.text('last_result');
    t.integer('last_duration_ms');
    t.integer('runs').notNullable().defaultTo(0);
    t.integer('failures').notNullable().defaultTo(0);
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
