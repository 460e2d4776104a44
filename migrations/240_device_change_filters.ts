import type { Knex } from 'knex';

/**
 * The Device changes page filters the history by field and by user, newest first: an index per
 * filter in page order ((field, id), (changed_by, id)) makes each a short index range instead of
 * a walk of the whole history (per device and per run already have theirs, in 202).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('device_changes', (t) => {
    t.index(['field', 'id'], 'device_changes_field_id_idx');
    t.index(['changed_by', 'id'], 'device_changes_changed_by_id_idx');
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
