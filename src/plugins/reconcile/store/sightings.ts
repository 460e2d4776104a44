import type { Knex } from 'knex';
import { bulkUpdateById, bulkUpsert, selectRaw } from '../../../db/helpers/bulk-write.js';
import type { WriteContext } from '../core/contract.js';
import type { AssetWrites, SeenAs, Sighting } from './types.js';
import { writeAssets } from './write-plan.js';

/** The scope of an importer run started by hand (an uploaded file, the CLI). */
export const MANUAL_IMPORT = 'manual import';
/** The scope of a connector run started by hand with its own options (the CLI, an ad-hoc API run). */
export const MANUAL_RUN = 'manual run';

/**
 * A source does not re-stamp last seen more often than this (devices and addresses alike): an
 * unchanged re-sync within it writes nothing, and an hourly or faster schedule rewrites each
 * row at most once an hour.
 */
export const SIGHTING_INTERVAL_MS = 3_600_000;

/** `now` minus the interval, as a stored timestamp: a sighting stamped before it is due again. */
export function sightingCutoff(now: string): string {
  return new Date(Date.parse(`${now.replace(' ', 'T')}Z`) - SIGHTING_INTERVAL_MS).toISOString().slice(0, 19).replace('T', ' ');
}

const TABLE = 'ip_asset_sightings';
const READ_CHUNK = 5000;

/** Writes one chunk of assets (write-plan.ts), then the sightings of every address it reports, stored or created. */
export async function writeAssetsSeen(writes: AssetWrites, ctx: WriteContext): Promise<void> {
  const created = await writeAssets(writes, ctx);
  if (ctx.seenAs) await writeSightings(ctx.trx, ctx.seenAs, writes.seen, created, sightingCutoff(ctx.now));
}

/**
 * Records a chunk's sightings. The stored rows' sightings of this source and scope are read first
 * (one indexed read per 5,000): a row stamped within the interval, and not moved earlier by this
 * sighting, is left alone, so a re-sync within it writes nothing. The rest go in one upsert per
 * 500 rows (SQLite) or per chunk (PostgreSQL): a new (asset, source, scope) row starts its first
 * and last seen; a known one keeps the earlier first seen (an older scan file imported later does
 * not move it forward) and the later last seen, each with the run that made it. The assets'
 * last_sighted_at follows in one update per chunk (a created asset was inserted with it).
 */
async function writeSightings(trx: Knex.Transaction, seenAs: SeenAs, stored: readonly Sighting[], created: readonly Sighting[], cutoff: string): Promise<void> {
  // Stored rows whose sighting is due; the created ones were inserted with their last_sighted_at.
  const storedDue: Sighting[] = [];
  for (let i = 0; i < stored.length; i += READ_CHUNK) {
    const part = stored.slice(i, i + READ_CHUNK);
    // Straight to the driver on SQLite (selectRaw): knex's formatting of 5,000 bindings cost more than the read.
    const rows = await selectRaw<{ ip_asset_id: number; first_seen_at: string; last_seen_at: string }>(
      trx,
      `SELECT ip_asset_id, first_seen_at, last_seen_at FROM ${TABLE} WHERE source = ? AND scope = ? AND ip_asset_id IN (${part.map(() => '?').join(', ')})`,
      [seenAs.source, seenAs.scope, ...part.map((s) => s.id)],
    );
    const known = new Map(rows.map((r) => [Number(r.ip_asset_id), r]));
    for (const s of part) {
      const k = known.get(s.id);
      if (!k || k.last_seen_at < cutoff || s.at < k.first_seen_at) storedDue.push(s);
    }
  }
  const t = `"${TABLE}"`;
  await bulkUpsert(
    trx,
    TABLE,
    ['ip_asset_id', 'source', 'scope'],
    [...created, ...storedDue].map((s) => ({ ip_asset_id: s.id, source: seenAs.source, scope: seenAs.scope, config_id: seenAs.configId, first_seen_at: s.at, last_seen_at: s.at, first_run_id: seenAs.runId, last_run_id: seenAs.runId })),
    // Every right-hand side reads the row as stored, so the order of these does not matter.
    [
      `first_run_id = CASE WHEN excluded.first_seen_at < ${t}.first_seen_at THEN excluded.first_run_id ELSE ${t}.first_run_id END`,
      `first_seen_at = CASE WHEN excluded.first_seen_at < ${t}.first_seen_at THEN excluded.first_seen_at ELSE ${t}.first_seen_at END`,
      `last_run_id = CASE WHEN excluded.last_seen_at >= ${t}.last_seen_at THEN excluded.last_run_id ELSE ${t}.last_run_id END`,
      `last_seen_at = CASE WHEN excluded.last_seen_at > ${t}.last_seen_at THEN excluded.last_seen_at ELSE ${t}.last_seen_at END`,
      `config_id = CASE WHEN excluded.last_seen_at >= ${t}.last_seen_at THEN excluded.config_id ELSE ${t}.config_id END`,
    ].join(', '),
  );
  // The asset's last sighting by any source (migration 410), in the same transaction: only moved
  // forward, so an older scan imported later, or another source's earlier stamp, leaves it be.
  await bulkUpdateById(
    trx,
    'ip_assets',
    [{ name: 'last_sighted_at', type: 'text' }],
    storedDue.map((s) => ({ id: s.id, last_sighted_at: s.at })),
    '"ip_assets".last_sighted_at IS NULL OR "ip_assets".last_sighted_at < v.column2',
  );
}
