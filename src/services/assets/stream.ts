import type { Knex } from 'knex';
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
  let last: { version: number; key: string } | null = null;
  let skip = filter.offset;
  for (;;) {
    const q = applyAssetFilter(db, db('ip_assets as a'), resolved)
      .select(ASSET_COLUMNS.map((c) => `a.${c}`))
      .orderBy([{ column: 'a.ip_version' }, { column: 'a.ip_key' }])
      .limit(batchSize);
    if (last) {
      const { version, key } = last;
      q.where((b: Knex.QueryBuilder) => b.where('a.ip_version', '>', version).orWhere((c) => c.where('a.ip_version', version).where('a.ip_key', '>', key)));
    } else if (skip > 0) {
      q.offset(skip);
      skip = 0;
    }
    const rows = (await q) as AssetRow[];
    if (rows.length === 0) return;
    yield await withTags(db, rows);
    if (rows.length < batchSize) return;
    const tail = rows[rows.length - 1]!;
    last = { version: Number(tail.ip_version), key: tail.ip_key };
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
