import type { Knex } from 'knex';

/** Log lines of a run, appended while it runs so any instance can show a live log. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('import_run_logs', (t) => {
    t.increments('id').primary();
    t.integer('run_id').notNullable().references('import_runs.id').onDelete('CASCADE');
    t.string('level', 8).notNullable();
    t.text('message').notNullable();
    t.string('at', 19).notNullable();
    t.index(['run_id', 'id'], 'import_run_logs_run');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('import_run_logs');
}
