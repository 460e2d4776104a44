import type { Knex } from 'knex';

/**
 * Missing devices (issue 15, last seen and stale). A complete run of a source that no longer
 * reports a device marks that source's facts row missing (when, by which run, and the archive
 * delay its configuration asked for); nothing is deleted. The device row carries the summary the
 * list filters and the archive job read through indexes: `missing_since` once every source that
 * reported it has it missing, and `archive_at` when a policy will archive it.
 * A sync job (the seeds' trigger) is its runs: each run names the job (its first run's id) and the
 * first carries the job's plan, so status and history answer from any instance and after a restart.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('device_facts', (t) => {
    t.string('missing_since', 19);
    t.integer('missing_run_id');
    // Days after which the configuration that marked it archives a device missing everywhere; null: never.
    t.integer('archive_after_days');
  });
  await knex.schema.alterTable('hosts', (t) => {
    t.string('missing_since', 19);
    t.string('archive_at', 19);
    t.index(['archived_at', 'missing_since', 'id'], 'hosts_missing_idx');
    t.index(['archive_at'], 'hosts_archive_at_idx');
  });
  await knex.schema.alterTable('import_runs', (t) => {
    t.integer('sync_job_id');
    t.text('sync_job');
    t.index(['sync_job_id'], 'import_runs_sync_job_idx');
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
