import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id').primary();
    t.integer('user_id').references('users.id').onDelete('SET NULL');
    t.string('username', 64);
    t.string('target_type', 32).notNullable();
    t.integer('target_id');
    t.string('target_label', 255);
    t.string('action', 16).notNullable();
    t.text('changes');
    t.string('created_at', 19).notNullable();
    t.index(['target_type', 'target_id', 'id'], 'audit_log_target');
    t.index(['created_at'], 'audit_log_created');
    t.index(['user_id'], 'audit_log_user');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
}
