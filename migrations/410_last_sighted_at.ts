import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';
import { countSeen, createSeenTriggers } from './310_reconciliation_counters.js';

/**
 * ip_assets.last_sighted_at: the latest last_seen_at of the asset's rows in ip_asset_sightings
 * (migration 370), i.e. when any source last saw it. The reconciliation report's seen-based kinds
 * (unknown, reclaimable) read it instead of ip_assets.last_seen_at, which a run takes from what
 * its record says and so may lag a sighting by another source (issue 15: "not seen by ANY source").
 * The sighting writer (src/plugins/reconcile/store/sightings.ts) moves it forward in the same
 * transaction as each sighting upsert, one set-based statement per chunk.
 *
 * - Backfill: the latest sighting; an asset with no sighting row at all (history from before
 *   migration 370, when last_seen_at was the only stamp sources left) keeps its last_seen_at, so
 *   an address no source has reported since the upgrade still becomes reclaimable.
 * - reconciliation_seen (migration 310) is re-keyed by the day of last_sighted_at: its triggers
 *   are recreated on that column (migration 310's builder) and the counters rebuilt from the
 *   backfilled rows.
 * - The covering index of the report's range edges follows the column (its last_seen_at twin
 *   from migration 311 had no other reader and is dropped, sparing every stamp its upkeep).
 */
export async function up(knex: Knex): Promise<void> {
  // The old triggers first, so the backfill below queues no counter updates.
  const triggers = isPostgres(knex) ? ['reconciliation_seen_ins', 'reconciliation_seen_upd'] : ['reconciliation_seen_ins', 'reconciliation_seen_del', 'reconciliation_seen_upd'];
  for (const t of triggers) await knex.raw(isPostgres(knex) ? `DROP TRIGGER ${t} ON ip_assets` : `DROP TRIGGER ${t}`);
  await knex.schema.alterTable('ip_assets', (t) => {
    t.string('last_sighted_at', 19).nullable();
  });
  await knex.raw(`UPDATE ip_assets SET last_sighted_at = s.at
    FROM (SELECT ip_asset_id, MAX(last_seen_at) AS at FROM ip_asset_sightings GROUP BY ip_asset_id) s
    WHERE ip_assets.id = s.ip_asset_id`);
  await knex.raw(`UPDATE ip_assets SET last_sighted_at = last_seen_at
    WHERE last_seen_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ip_asset_sightings s WHERE s.ip_asset_id = ip_assets.id)`);
  await createSeenTriggers(knex, 'last_sighted_at');
  await knex('reconciliation_seen').delete();
  await countSeen(knex, 'last_sighted_at');
  await knex.schema.alterTable('ip_assets', (t) => {
    t.dropIndex([], 'ip_assets_archived_order_seen');
    t.index(['archived', 'ip_version', 'ip_key', 'last_sighted_at'], 'ip_assets_archived_order_sighted');
  });
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
