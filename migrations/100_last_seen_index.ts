import type { Knex } from 'knex';

/** The "not seen for N days" filter reads assets last seen before a cutoff: a range of this index. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ip_assets', (t) => {
    t.index(['last_seen_at'], 'ip_assets_last_seen');
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
