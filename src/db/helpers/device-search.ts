import type { Knex } from 'knex';
import type { Db } from '../connection.js';
import { isPostgres } from './dialect.js';
import { containsPattern } from './text.js';

/** The device text the search matches (name, hostname, serial, asset tag, UUID): pg_trgm indexes exactly this expression. */
export const DEVICE_SEARCH_EXPRESSION = `coalesce(name, '') || ' ' || coalesce(hostname, '') || ' ' || coalesce(serial, '') || ' ' || coalesce(asset_tag, '') || ' ' || coalesce(uuid, '')`;

/**
 * Ids of devices whose searchable text contains `q` (any case), from the trigram index (FTS5
 * `hosts_search` on SQLite, pg_trgm on PostgreSQL). Shorter than a trigram: a scan with LIKE.
 */
export function deviceTextMatches(db: Db, q: string): Knex.QueryBuilder | Knex.Raw {
  const p = containsPattern(q);
  if (isPostgres(db)) return db.raw(`SELECT id FROM hosts WHERE (${DEVICE_SEARCH_EXPRESSION}) ILIKE ? ESCAPE '\\'`, [p]);
  if ([...q].length < 3) return db.raw(`SELECT id FROM hosts WHERE (${DEVICE_SEARCH_EXPRESSION}) LIKE ? ESCAPE '\\'`, [p]);
  // A quoted FTS5 phrase is a literal substring for the trigram tokenizer.
  return db.raw('SELECT rowid AS id FROM hosts_search WHERE hosts_search MATCH ?', [`"${q.replace(/"/g, '""')}"`]);
}
