import type { Knex } from 'knex';

/** One row per importer/connector run (dry-run or apply): who, when, what, counts, outcome. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('import_runs', (t) => {
    t.increments('id').primary();
    t.string('plugin', 64).notNullable();
    t.string('source', 255);
    t.string('mode', 16).notNullable();
    t.string('status', 16).notNullable();
    t.integer('user_id').references('users.id').onDelete('SET NULL');
    t.string('username', 64);
    // Options as given, with secrets replaced by "***".
    t.text('options');
    t.text('counts');
    t.text('error');
    t.string('started_at', 19).notNullable();
    t.string('finished_at', 19);
    t.index(['plugin', 'id'], 'import_runs_plugin');
    t.index(['started_at'], 'import_runs_started');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('import_runs');
}
