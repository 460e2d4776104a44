import type { Knex } from 'knex';
import { tryParseAddress } from '../../domain/ip/address.js';
import type { Db } from '../../db/connection.js';
import { containsOperator, containsPattern } from '../../db/helpers/text.js';
import type { AssetListFilter } from '../schemas/assets.js';

/** Filter values resolved to ids; `empty` means the filter can match nothing (unknown project or tags). */
export interface ResolvedFilter {
  filter: AssetListFilter;
  projectId: number | 'unassigned' | undefined;
  tagIds: number[];
  empty: boolean;
}

/** Looks up project and tag names once, so the main query only compares ids. */
export async function resolveFilter(db: Db, filter: AssetListFilter): Promise<ResolvedFilter> {
  let projectId: ResolvedFilter['projectId'] = filter.unassigned_only ? 'unassigned' : filter.project_id;
  let empty = false;
  if (projectId === undefined && filter.project) {
    if (filter.project.toLowerCase() === 'unassigned') projectId = 'unassigned';
    else {
      const row = (await db('projects').select('id').where({ name: filter.project }).first()) as { id: number } | undefined;
      if (row) projectId = Number(row.id);
      else empty = true;
    }
  }
  let tagIds: number[] = [];
  if (filter.tags && filter.tags.length > 0) {
    const rows = (await db('tags').select('id').whereIn('name', filter.tags)) as { id: number }[];
    tagIds = rows.map((r) => Number(r.id));
    const unknown = rows.length < new Set(filter.tags).size;
    if (filter.tag_match === 'all' && unknown) empty = true;
    if (filter.tag_match === 'any' && tagIds.length === 0) empty = true;
  }
  return { filter, projectId, tagIds, empty };
}

/** Adds every WHERE clause of the list filter to a query over `ip_assets as a`. */
export function applyAssetFilter(db: Db, query: Knex.QueryBuilder, resolved: ResolvedFilter): Knex.QueryBuilder {
  const { filter: f, projectId, tagIds } = resolved;
  if (resolved.empty) return query.whereRaw('1 = 0');
  if (f.archived === 'active') query.where('a.archived', false);
  else if (f.archived === 'archived') query.where('a.archived', true);
  if (projectId === 'unassigned') query.whereNull('a.project_id');
  else if (projectId !== undefined) query.where('a.project_id', projectId);
  if (f.type && f.type.length > 0) query.whereIn('a.type', f.type);
  if (f.host_id !== undefined) query.where('a.host_id', f.host_id);
  if (f.q) applyTextSearch(db, query, f.q);
  if (tagIds.length > 0) applyTagFilter(db, query, f.tag_match, tagIds);
  return query;
}

function applyTextSearch(db: Db, query: Knex.QueryBuilder, q: string): void {
  const op = containsOperator(db);
  const pattern = containsPattern(q);
  const exact = tryParseAddress(q);
  query.where((b) => {
    // A complete address matches by key (index) as well, so "::ffff:10.0.0.1" finds 10.0.0.1.
    if (exact) b.orWhere('a.ip_key', exact.key);
    b.orWhereRaw(`a.ip_address ${op} ? ESCAPE '\\'`, [pattern]);
    b.orWhereRaw(`a.notes ${op} ? ESCAPE '\\'`, [pattern]);
  });
}

function applyTagFilter(db: Db, query: Knex.QueryBuilder, match: AssetListFilter['tag_match'], tagIds: number[]): void {
  const tagged = (ids: number[]): Knex.QueryBuilder => db('ip_asset_tags as t').select(db.raw('1')).whereRaw('t.ip_asset_id = a.id').whereIn('t.tag_id', ids);
  if (match === 'any') query.whereExists(tagged(tagIds));
  else if (match === 'not') query.whereNotExists(tagged(tagIds));
  else for (const id of tagIds) query.whereExists(tagged([id]));
}
