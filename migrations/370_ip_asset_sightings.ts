import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * Which sources see each IP asset (issue 15, last seen per source): one row per asset, source
 * (the plugin: nmap, vcenter, push, csv, …) and scope (the saved configuration's name, the push
 * source, or "manual import"/"manual run" for runs started by hand), with the first and last
 * sighting and the runs that made them. Every applied run that reports the address upserts its
 * row (one statement per chunk), so only last_seen_at and last_run_id move on a re-sync.
 * Archiving an asset keeps its rows; deleting it deletes them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ip_asset_sightings', (t) => {
    t.integer('ip_asset_id').notNullable().references('ip_assets.id').onDelete('CASCADE');
    t.string('source', 64).notNullable();
    t.string('scope', 128).notNullable();
    // The saved configuration the last sighting came from (null: a run started by hand or a push).
    t.integer('config_id').references('connector_configs.id').onDelete('SET NULL');
    t.string('first_seen_at', 19).notNullable();
    t.string('last_seen_at', 19).notNullable();
    t.integer('first_run_id');
    t.integer('last_run_id');
    t.primary(['ip_asset_id', 'source', 'scope']);
  });
  // A re-sync rewrites every row it reports: with free room in each page and no index on the
  // columns it changes, PostgreSQL updates them in place (HOT) instead of growing the key index.
  if (isPostgres(knex)) await knex.raw('ALTER TABLE ip_asset_sightings SET (fillfactor = 70)');
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
