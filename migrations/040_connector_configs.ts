import type { Knex } from 'knex';

/**
 * Saved connector configurations and their schedule state. Secret options live only in
 * `secrets`, AES-256-GCM sealed; `locked_until`/`last_slot` let several app instances agree
 * on who runs a due job (epoch milliseconds, compared in one conditional UPDATE).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('connector_configs', (t) => {
    t.increments('id').primary();
    t.string('name', 128).notNullable().unique('connector_configs_name');
    t.string('plugin', 64).notNullable();
    t.text('options').notNullable();
    t.text('secrets');
    t.string('cron', 128);
    t.boolean('enabled').notNullable().defaultTo(false);
    t.string('mode', 16).notNullable().defaultTo('dry_run');
    t.bigInteger('locked_until');
    t.string('locked_by', 128);
    t.bigInteger('last_slot');
    t.integer('last_run_id').references('import_runs.id').onDelete('SET NULL');
    t.string('last_status', 16);
    t.text('last_error');
    t.string('last_run_at', 19);
    t.string('created_at', 19).notNullable();
    t.string('updated_at', 19).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('connector_configs');
}
