import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { assetTextMatches, containsOperator, containsPattern } from '../../db/helpers/text.js';
import { normalizeTagList } from '../../domain/tags.js';

/*
 * The panel's per-column filters of the IP list (its Tags and Notes filter boxes), over
 * `ip_assets AS <alias>`. The address box is applySearchText (address-search.ts), shared with
 * the REST list's q.
 */

/**
 * Assets carrying any of the tags named ("a, b"), as `id IN (…)`: the tagged ids are read once
 * from the tag index (one probe per row with EXISTS made COUNT walk every asset).
 */
export function whereTaggedAny(db: Db, query: Knex.QueryBuilder, value: string, alias = 'a'): void {
  const { names } = normalizeTagList(value);
  if (names.length === 0) {
    query.whereRaw('1 = 0');
    return;
  }
  query.whereIn(`${alias}.id`, db('ip_asset_tags as at').join('tags as g', 'g.id', 'at.tag_id').select('at.ip_asset_id').whereIn('g.name', names));
}

/**
 * Notes containing the text: candidates come from the asset text index (trigram FTS5 on SQLite,
 * pg_trgm on PostgreSQL; it covers address and notes), then the notes themselves are checked.
 */
export function whereNotesContain(db: Db, query: Knex.QueryBuilder, value: string, alias = 'a'): void {
  const candidates = assetTextMatches(db, value);
  if (candidates) query.whereRaw(`${alias}.id IN (?)`, [candidates]);
  query.whereRaw(`${alias}.notes ${containsOperator(db)} ? ESCAPE '\\'`, [containsPattern(value)]);
}
