import type { Knex } from 'knex';
import { isPostgres } from './dialect.js';

/*
 * The switch of migration 120: a bulk writer turns the per-row counter triggers off for its own
 * statements and applies summed counter changes itself (src/plugins/reconcile/store/counters.ts).
 */

/**
 * Switches the counter triggers off for the rest of this transaction's statements, until
 * `countersByTrigger` (migration 120): the caller then owes a CounterDeltas.apply for what it wrote.
 */
export async function countersByWriter(trx: Knex.Transaction): Promise<void> {
  if (isPostgres(trx)) await trx.raw(`SELECT set_config('ipocket.bulk_counters', 'on', true)`);
  else await trx.raw('INSERT INTO ipocket_bulk_writes (id) VALUES (1) ON CONFLICT (id) DO NOTHING');
}

/** Switches the counter triggers back on in this transaction. */
export async function countersByTrigger(trx: Knex.Transaction): Promise<void> {
  if (isPostgres(trx)) await trx.raw(`SELECT set_config('ipocket.bulk_counters', 'off', true)`);
  else await trx.raw('DELETE FROM ipocket_bulk_writes');
}

/**
 * PostgreSQL: for the rest of this transaction, reconciliation_seen and device_counts are summed
 * per statement rather than queued per row (migration 422), and folded in at COMMIT either way.
 * For writers of thousands of rows; SQLite's per-row triggers are cheap and stay.
 */
export async function countersPerStatement(trx: Knex.Transaction): Promise<void> {
  if (isPostgres(trx)) await trx.raw(`SELECT set_config('ipocket.set_counters', 'on', true)`);
}
