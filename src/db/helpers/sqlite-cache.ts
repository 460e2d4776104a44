import type { Db } from '../connection.js';
import { isPostgres } from './dialect.js';

/** Records from which a run counts as bulk. */
const BULK_RECORDS = 10_000;
/** SQLite page cache during a bulk run, in KiB (negative = KiB for PRAGMA cache_size). */
const BULK_CACHE_KIB = 8 * 1024;

/**
 * Runs fn with a smaller SQLite page cache when the run is large. The connection's normal cache
 * (64 MB, connection.ts) serves the panel's reads over a big table; a 100k-row write would fill
 * all of it with pages it never reads again, adding its full size to the process's memory. A
 * bulk write streams its pages through an 8 MB cache (SQLite spills to the WAL as it goes) at
 * no measurable cost; the normal size comes back afterwards. No-op on PostgreSQL.
 */
export async function withBulkCache<T>(db: Db, records: number, fn: () => Promise<T>): Promise<T> {
  if (records < BULK_RECORDS || isPostgres(db)) return fn();
  const before = cacheSize(await db.raw('PRAGMA cache_size'));
  if (before === null || (before < 0 ? -before : before * 4) <= BULK_CACHE_KIB) return fn();
  await db.raw(`PRAGMA cache_size = ${-BULK_CACHE_KIB}`);
  try {
    return await fn();
  } finally {
    // Only a cache size: a failure here must not hide the run's own outcome.
    await db.raw(`PRAGMA cache_size = ${Math.trunc(before)}`).catch(() => undefined);
  }
}

function cacheSize(result: unknown): number | null {
  const row = Array.isArray(result) ? (result[0] as { cache_size?: unknown } | undefined) : undefined;
  const v = Number(row?.cache_size);
  return Number.isFinite(v) ? v : null;
}
