import type { Knex } from 'knex';

/** Links a run to the saved connector configuration that started it (run history per config). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_runs', (t) => {
    t.integer('config_id').references('connector_configs.id').onDelete('SET NULL');
    t.index(['config_id', 'id'], 'import_runs_config');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_runs', (t) => {
    t.dropIndex(['config_id', 'id'], 'import_runs_config');
    t.dropColumn('config_id');
  });
}
