import type { Knex } from 'knex';
import type { AssetType } from '../../domain/asset-types.js';
import type { Db } from '../../db/connection.js';
import { stringAggSql } from '../../db/helpers/string-agg.js';
import { toBool } from '../context.js';
import type { Asset } from './wire.js';

export type { Asset };

export interface AssetRow {
  id: number;
  ip_address: string;
  ip_version: number;
  ip_key: string;
  type: AssetType;
  project_id: number | null;
  host_id: number | null;
  notes: string | null;
  archived: boolean | number;
  last_seen_at: string | null;
  created_at: string;
  updated_at: string;
}

export const ASSET_COLUMNS = ['id', 'ip_address', 'ip_version', 'ip_key', 'type', 'project_id', 'host_id', 'notes', 'archived', 'last_seen_at', 'created_at', 'updated_at'];

export function toAsset(row: AssetRow, tags: string[]): Asset {
  return {
    id: Number(row.id),
    ip_address: row.ip_address,
    type: row.type,
    project_id: row.project_id === null ? null : Number(row.project_id),
    host_id: row.host_id === null ? null : Number(row.host_id),
    notes: row.notes,
    archived: toBool(row.archived),
    created_at: row.created_at,
    updated_at: row.updated_at,
    tags,
    last_seen_at: row.last_seen_at ?? null,
  };
}

/** Between tag names in `tag_names`: tag names are [a-z0-9_-], so a control character never collides. */
const TAG_SEPARATOR = '\u001f';

/**
 * The asset columns of `ip_assets AS <alias>` and, in one more column (`tag_names`), its tag
 * names in name order: an asset or a page of them in one query instead of a second one for the
 * tags (on PostgreSQL every round trip costs the server's one thread more than the lookup).
 */
export function assetColumnsWithTags(db: Db, alias: string): (string | Knex.Raw)[] {
  const names = `SELECT t.name FROM ip_asset_tags AS at JOIN tags AS t ON t.id = at.tag_id WHERE at.ip_asset_id = ${alias}.id ORDER BY t.name`;
  return [...ASSET_COLUMNS.map((c) => `${alias}.${c}`), db.raw(`(SELECT ${stringAggSql(db, 'tn.name', TAG_SEPARATOR, 'tn.name')} FROM (${names}) AS tn) AS tag_names`)];
}

/** A row selected with assetColumnsWithTags, as the wire shape. */
export function toTaggedAsset(row: AssetRow & { tag_names: string | null }): Asset {
  return toAsset(row, row.tag_names ? row.tag_names.split(TAG_SEPARATOR) : []);
}

export interface TagChip {
  name: string;
  color: string;
}

/** Each asset's tags by name (with colour, for chips), in one query per 500 ids. */
export async function tagChipsByAsset(db: Db, ids: readonly number[]): Promise<Map<number, TagChip[]>> {
  const map = new Map<number, TagChip[]>(ids.map((id) => [id, []]));
  for (let i = 0; i < ids.length; i += 500) {
    const rows = (await db('ip_asset_tags as at')
      .join('tags as t', 't.id', 'at.tag_id')
      .select('at.ip_asset_id as id', 't.name', 't.color')
      .whereIn('at.ip_asset_id', ids.slice(i, i + 500))
      .orderBy('t.name')) as { id: number; name: string; color: string }[];
    for (const r of rows) map.get(Number(r.id))?.push({ name: r.name, color: r.color });
  }
  return map;
}

/** Sorted tag names for each asset id. */
export async function tagsByAsset(db: Db, ids: readonly number[]): Promise<Map<number, string[]>> {
  const chips = await tagChipsByAsset(db, ids);
  return new Map([...chips].map(([id, list]) => [id, list.map((c) => c.name)]));
}

/** Rows with their tags, in the order given. */
export async function withTags(db: Db, rows: AssetRow[]): Promise<Asset[]> {
  const tags = await tagsByAsset(db, rows.map((r) => Number(r.id)));
  return rows.map((r) => toAsset(r, tags.get(Number(r.id)) ?? []));
}
