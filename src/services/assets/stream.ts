import type { Db } from '../../db/connection.js';
import { countOf } from '../rows.js';
import { AssetListQuerySchema, type AssetListQuery } from '../schemas/assets.js';
import { parseInput } from '../validate.js';
import { applyAssetFilter, planAssetList, resolveFilter } from './list.js';
import { ASSET_COLUMNS, withTags, type Asset, type AssetRow } from './records.js';

/**
 * The whole filtered list in numeric address order, in keyset batches (never all rows in memory).
 * `offset` skips that many rows before the first batch; `limit` is ignored. Each batch is an index
 * range walk from the last key seen, so a batch deep into the list costs what the first one does.
 */
export async function* streamAssets(db: Db, query: AssetListQuery = {}, batchSize = 1000): AsyncGenerator<Asset[]> {
  const filter = parseInput(AssetListQuerySchema, { ...query, limit: undefined }, 'query');
  const resolved = await resolveFilter(db, filter);
  if (resolved.empty) return;
  let skip = filter.offset;
  // Keyset per family: "ip_version = ? AND ip_key > ?" is an index range on the list indexes.
  for (const version of [4, 6]) {
    let lastKey: string | null = null;
    for (;;) {
      const q = applyAssetFilter(db, db('ip_assets as a'), resolved)
        .where('a.ip_version', version)
        .select(ASSET_COLUMNS.map((c) => `a.${c}`))
        .orderBy('a.ip_key')
        .limit(batchSize);
      if (lastKey !== null) q.where('a.ip_key', '>', lastKey);
      else if (skip > 0) q.offset(skip);
      const rows = (await q) as AssetRow[];
      if (lastKey === null && skip > 0) {
        // The offset may reach past this family: count what it skipped here, carry the rest on.
        if (rows.length === 0) skip -= await countOf(applyAssetFilter(db, db('ip_assets as a'), resolved).where('a.ip_version', version));
        else skip = 0;
        if (rows.length === 0) break;
      }
      if (rows.length > 0) yield await withTags(db, rows);
      if (rows.length < batchSize) break;
      lastKey = rows[rows.length - 1]!.ip_key;
    }
  }
}

/** How many assets match the list filter (limit/offset ignored), exactly. */
export async function countAssets(db: Db, query: AssetListQuery = {}): Promise<number> {
  const filter = parseInput(AssetListQuerySchema, { ...query, limit: undefined, offset: undefined }, 'query');
  const resolved = await resolveFilter(db, filter);
  if (resolved.empty) return 0;
  // The planner answers structural filters from the counters; searches past its cap are counted in full.
  const planned = await planAssetList(db, resolved).count();
  return planned.exact ? planned.total : countOf(applyAssetFilter(db, db('ip_assets as a'), resolved));
}
