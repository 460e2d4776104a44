import { assetTextMatches, containsOperator, containsPattern } from '../../db/helpers/text.js';
import { normalizeTagList } from '../../domain/tags.js';
import { applySearchText } from '../../services/assets/address-search.js';
import type { CustomFilter } from '../adapter/spec.js';

/** The IP filter reads its text like the REST list's `q` and the drill-down's search (one reader). */
export const addressFilter: CustomFilter = (db, query, value) => {
  applySearchText(db, query, value, 't');
};

/**
 * Assets carrying any of the tags named ("a, b"), as `id IN (…)`: the tagged ids are read once
 * from the tag index (one probe per row with EXISTS made COUNT walk every asset).
 */
export const tagFilter: CustomFilter = (db, query, value) => {
  const { names } = normalizeTagList(value);
  if (names.length === 0) {
    query.whereRaw('1 = 0');
    return;
  }
  query.whereIn('t.id', db('ip_asset_tags as at').join('tags as g', 'g.id', 'at.tag_id').select('at.ip_asset_id').whereIn('g.name', names));
};

/**
 * Notes containing the text: candidates come from the asset text index (trigram FTS5 on SQLite,
 * pg_trgm on PostgreSQL; it covers address and notes), then the notes themselves are checked.
 */
export const notesFilter: CustomFilter = (db, query, value) => {
  const candidates = assetTextMatches(db, value);
  if (candidates) query.whereRaw('t.id IN (?)', [candidates]);
  query.whereRaw(`t.notes ${containsOperator(db)} ? ESCAPE '\\'`, [containsPattern(value)]);
};
