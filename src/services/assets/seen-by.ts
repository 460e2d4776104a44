import type { Db } from '../../db/connection.js';
import type { AssetSeenBy } from './wire.js';

/**
 * The sources that report an asset, most recently seen first: its rows of ip_asset_sightings (the
 * reconcile engine writes them), a primary-key range read. Archived assets keep theirs.
 */
export async function listSeenBy(db: Db, assetId: number): Promise<AssetSeenBy[]> {
  const rows = (await db('ip_asset_sightings')
    .where('ip_asset_id', assetId)
    .select('source', 'scope', 'config_id', 'first_seen_at', 'last_seen_at', 'first_run_id', 'last_run_id')
    .orderBy([{ column: 'last_seen_at', order: 'desc' }, 'source', 'scope'])) as { source: string; scope: string; config_id: number | null; first_seen_at: string; last_seen_at: string; first_run_id: number | null; last_run_id: number | null }[];
  const id = (v: number | null): number | null => (v === null ? null : Number(v));
  return rows.map((r) => ({ source: r.source, config: r.scope, config_id: id(r.config_id), first_seen_at: r.first_seen_at, last_seen_at: r.last_seen_at, first_run_id: id(r.first_run_id), run_id: id(r.last_run_id) }));
}
