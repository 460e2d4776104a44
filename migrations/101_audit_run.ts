import type { Knex } from 'knex';

/**
 * audit_log.run_id: the import or connector run an entry was written by. Runs write one entry per
 * address they create or change (beside their IMPORT_RUN summary), so an address's history shows
 * them, named and linked. No index: entries are read by target, and the column stays cheap to bulk write.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.integer('run_id');
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
