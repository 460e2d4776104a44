import type { MatchKey, Matched } from './contract.js';
import type { PlanContext } from './plan.js';

/** Which stored rows (by id) records already resolved to, with the first record's location. */
export type Claims = Map<number, string>;

function values(v: string | readonly string[] | null | undefined): readonly string[] {
  if (v === null || v === undefined || v === '') return [];
  return typeof v === 'string' ? [v] : v;
}

/**
 * Resolves each record to its stored row by the entity's match keys, tried in order: the first
 * key (and, for a key with several values, the first value) that finds a stored row wins. When
 * two stored rows share a key value, the first loaded wins.
 *
 * Two records resolving to the same stored row would both plan an UPDATE of it, the later one
 * silently undoing the earlier: the second record is an ERROR (naming the first and the key
 * that matched) and is left out, so an apply writes nothing until the input says which is which.
 * With one key this cannot happen (prepare already rejects a second record of a key); with
 * several, pass `claims`, the same map for every chunk of the run.
 */
export function matchRecords<R extends { loc: string }, S extends { id: number }>(
  entity: string,
  keys: readonly MatchKey<R, S>[],
  records: readonly R[],
  rows: readonly S[],
  ctx: PlanContext,
  claims?: Claims,
): Matched<R, S>[] {
  const indexes = keys.map((k) => {
    const index = new Map<string, S>();
    for (const row of rows) {
      const v = k.stored(row);
      // The common case, one string per key, without an array per row.
      if (typeof v === 'string') {
        if (!index.has(v)) index.set(v, row);
      } else for (const one of values(v)) if (!index.has(one)) index.set(one, row);
    }
    return index;
  });
  const out: Matched<R, S>[] = [];
  for (const record of records) {
    let stored: S | undefined;
    let by: string | null = null;
    for (let i = 0; i < keys.length && stored === undefined; i++) {
      const v = keys[i]!.incoming(record);
      if (typeof v === 'string') stored = indexes[i]!.get(v);
      else for (const one of values(v)) if ((stored = indexes[i]!.get(one)) !== undefined) break;
      if (stored !== undefined) by = keys[i]!.name;
    }
    if (stored !== undefined && claims) {
      const first = claims.get(stored.id);
      if (first !== undefined) {
        ctx.error(record.loc, `matches the same stored ${entity} record as ${first} (by ${by}); give each record its own, or leave one out`);
        continue;
      }
      claims.set(stored.id, record.loc);
    }
    out.push({ record, stored, by });
  }
  return out;
}
