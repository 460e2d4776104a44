import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * PostgreSQL: a bulk transaction's pending counter deltas (migration 422) are folded at COMMIT all
 * at once, summed per counter row and in key order, instead of row by row in the order the
 * statements queued them.
 *
 * Each statement queues its keys in order, but a run of 20 statements queues the same keys 20
 * times over, so two large runs committing at once could lock two counter rows in opposite
 * orders and one would die of a deadlock (then run again whole: minutes of a 50k-VM sync). The
 * first fold of a transaction now sums every pending row it can see, which are only its own
 * (another transaction's are uncommitted until its COMMIT deletes them), bumps each counter row
 * once in (counter, archived, k1, k2) order and deletes them; the folds after it find their row
 * gone and do nothing. Two bulk commits then take their counter locks in one global order.
 */
export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  await knex.raw(`
    CREATE OR REPLACE FUNCTION counter_pending_fold() RETURNS trigger AS $$
    DECLARE r record;
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM counter_pending WHERE id = NEW.id) THEN RETURN NULL; END IF;
      FOR r IN
        SELECT counter, archived, k1, k2, SUM(n)::integer AS n FROM counter_pending
        GROUP BY counter, archived, k1, k2 HAVING SUM(n) <> 0 ORDER BY counter, archived, k1, k2
      LOOP
        IF r.counter = 1 THEN PERFORM reconciliation_seen_bump(r.archived, r.k1, r.k2, r.n);
        ELSE PERFORM device_counts_bump(r.archived, r.k1, r.k2, r.n); END IF;
      END LOOP;
      DELETE FROM counter_pending;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`);
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
