import type { Knex } from 'knex';

/**
 * Run liveness: which process runs an import/connector run (host:pid:random) and when it last
 * said so. A run whose process is gone (same host, pid not alive) or whose heartbeat is stale is
 * marked interrupted on start-up and periodically, while a live instance's runs are left alone.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_runs', (t) => {
    t.string('instance_id', 160);
    t.string('heartbeat_at', 19);
    t.index(['status'], 'import_runs_status');
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
