import type { Knex } from 'knex';
import { isPostgres } from './helpers/dialect.js';

/**
 * Refreshes the query planner's statistics where they are missing or stale. SQLite's planner
 * picks the list indexes well only with ANALYZE statistics; PostgreSQL's autovacuum keeps its own.
 * Cheap when nothing changed; call it after bulk writes (imports) and periodically.
 */
export async function refreshPlannerStats(db: Knex): Promise<void> {
  if (isPostgres(db)) return;
  await db.raw('PRAGMA optimize');
}

/** Runs refreshPlannerStats every `everyMs` (default hourly) until stopped; never keeps the process alive. */
export function schedulePlannerStats(db: Knex, everyMs = 3_600_000): () => void {
  const timer = setInterval(() => void refreshPlannerStats(db).catch((err: unknown) => console.warn('PRAGMA optimize failed:', err)), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
