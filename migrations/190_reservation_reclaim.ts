import type { Knex } from 'knex';

/**
 * Reclaiming released addresses (issue 19's lifecycle jobs): a released reservation keeps its
 * record as history; the reclaim job marks it `reclaimed_at` once it is N days old. Indexed by
 * (status, released_at) so the job finds the due rows without scanning the history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ip_reservations', (t) => {
    t.string('reclaimed_at', 19);
    t.index(['status', 'released_at'], 'ip_reservations_released');
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
