import { tryParseAddress } from '../../domain/ip/address.js';
import { tryParseCidr } from '../../domain/ip/cidr.js';
import { assetTextMatches, containsOperator, containsPattern } from '../../db/helpers/text.js';
import { normalizeTagList } from '../../domain/tags.js';
import type { CustomFilter } from '../adapter/spec.js';

/** An address matches by key (any spelling), a CIDR by key range, anything else as text. */
export const addressFilter: CustomFilter = (db, query, value) => {
  const exact = tryParseAddress(value);
  if (exact) {
    query.where('t.ip_key', exact.key);
    return;
  }
  const cidr = value.includes('/') ? tryParseCidr(value) : null;
  if (cidr) {
    query.where('t.ip_version', cidr.version).whereBetween('t.ip_key', [cidr.firstKey, cidr.lastKey]);
    return;
  }
  query.whereRaw(`t.ip_address ${containsOperator(db)} ? ESCAPE '\\'`, [containsPattern(value)]);
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
