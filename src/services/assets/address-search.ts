import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { isPostgres } from '../../db/helpers/dialect.js';
import { assetTextMatches, containsPattern, containsSql } from '../../db/helpers/text.js';
import { parseAddressSearch, type AddressSearch } from '../../domain/ip/search.js';

/**
 * The one reader of the address search box, shared by the IP list (REST and panel) and the range
 * drill-down. Keys (address, CIDR, address prefix) become `ip_version = ? AND ip_key BETWEEN ? AND ?`,
 * a range of the ordered list indexes; text matches address, notes and the host's name. Which
 * assets are live (searched by default) is defined once, in src/db/queries/live-assets.ts.
 */
export { parseAddressSearch };
export type { AddressSearch };

/** Hosts whose name contains the text: the hosts table is small (one per ~50 assets), so a scan of it is cheap. */
function hostsNamed(db: Db, text: string): Knex.QueryBuilder {
  return db('hosts').select('id').whereRaw(containsSql(db, 'name'), [containsPattern(text)]);
}

/** Narrows a query over `ip_assets AS <alias>` to the search. */
export function applyAddressSearch(db: Db, query: Knex.QueryBuilder, search: AddressSearch, alias = 'a'): Knex.QueryBuilder {
  if (search.kind === 'keys') {
    return query.where((b) => {
      for (const w of search.windows) b.orWhere((c) => c.where(`${alias}.ip_version`, w.version).whereBetween(`${alias}.ip_key`, [w.firstKey, w.lastKey]));
    });
  }
  const pattern = containsPattern(search.text);
  return query.where((b) => {
    b.orWhereRaw(containsSql(db, `${alias}.ip_address`), [pattern]);
    b.orWhereRaw(containsSql(db, `${alias}.notes`), [pattern]);
    b.orWhereIn(`${alias}.host_id`, hostsNamed(db, search.text));
  });
}

/**
 * The search box's text applied as a filter (the panel's IP filter): read like the REST list's
 * `q`, with text first narrowed to the ids the text indexes give (the same set, found faster).
 */
export function applySearchText(db: Db, query: Knex.QueryBuilder, text: string, alias = 'a'): Knex.QueryBuilder {
  const search = parseAddressSearch(text);
  const candidates = search.kind === 'text' ? textSearchCandidates(db, search.text) : null;
  if (candidates) query.whereIn(`${alias}.id`, candidates);
  return applyAddressSearch(db, query, search, alias);
}

/**
 * Ids matching a text search from the indexes (trigram for address and notes, ip_assets_host for
 * the hosts named), or null when the text is too short for a trigram (the caller walks in order).
 */
export function textSearchCandidates(db: Db, text: string): Knex.QueryBuilder | null {
  const matches = assetTextMatches(db, text);
  if (!matches) return null;
  return db.select('id').from(db.raw('(?) AS t', [matches])).union(db('ip_assets').select('id').whereIn('host_id', hostsNamed(db, text)));
}

/**
 * Above this many rows left by the structural filters, a text search is driven from the text
 * indexes instead of walked. On PostgreSQL a text of a trigram or more never walks (textSearchArms
 * answers it); SQLite's walk tests LIKE on every row (20k assets: 34 ms under load, the FTS5
 * candidates 4 ms), which beats FTS5 only for a few rows.
 */
export function textWalkLimit(db: Db): number {
  return isPostgres(db) ? Number.POSITIVE_INFINITY : 2_000;
}

/**
 * On PostgreSQL, the text search as two disjoint queries over `ip_assets AS a` that indexes answer
 * (pg_trgm for address and notes, ip_assets_host for the hosts named), each selecting id and the
 * list order (ip_version, ip_key), for the caller to narrow with its other filters and UNION ALL:
 * disjoint, so no de-duplication holds up a LIMIT, and no join back to ip_assets (which the
 * planner did by a scan of the whole table). Null on SQLite (FTS5 rows are another table) and
 * below a trigram.
 */
export function textSearchArms(db: Db, text: string): [Knex.QueryBuilder, Knex.QueryBuilder] | null {
  if (!isPostgres(db) || [...text].length < 3) return null;
  const pattern = containsPattern(text);
  const own = `(a.ip_address ILIKE ? ESCAPE '\\' OR a.notes ILIKE ? ESCAPE '\\')`;
  const columns = ['a.id', 'a.ip_version', 'a.ip_key'];
  return [
    db('ip_assets as a').select(columns).whereRaw(own, [pattern, pattern]),
    // NULL notes make the test NULL, not false: IS NOT TRUE keeps those rows in this arm.
    db('ip_assets as a').select(columns).whereIn('a.host_id', hostsNamed(db, text)).whereRaw(`${own} IS NOT TRUE`, [pattern, pattern]),
  ];
}
