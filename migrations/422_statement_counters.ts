import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * PostgreSQL: a bulk writer's reconciliation_seen (migration 310/410) and device_counts (230)
 * changes are summed per statement instead of queued per row.
 *
 * Those two are the shared counters the bulk writer does not count itself (migration 120 covers
 * the others). Their per-row triggers are deferred to COMMIT (migration 150's reason: the lock of
 * a shared counter row is then held for microseconds), and a first sync of 25k VMs queued ~70k
 * of them: 69,462 upserts of the same few reconciliation_seen rows at 0.18 ms and 21,225 of
 * device_counts, ~30 s of a 49 s reconcile at 20k VMs (pg_stat_statements), all at the commit.
 *
 * With `ipocket.set_counters` on (set locally by the reconcile pipeline for its transaction:
 * src/db/helpers/bulk-counters.ts), the row triggers stay quiet (their WHEN is evaluated when the
 * row changes) and a statement trigger reads the statement's transition tables and adds one row
 * per counter key to counter_pending: a few rows per 5,000-row statement. A deferred trigger on
 * counter_pending folds those into the counters at COMMIT and deletes them, so the shared rows
 * are still locked only at the end, and a transaction that turns the switch on owes nothing.
 * SQLite's triggers run in-process, per row, for microseconds: unchanged there.
 */
const NOT_SET = `current_setting('ipocket.set_counters', true) IS DISTINCT FROM 'on'`;
const SET = `current_setting('ipocket.set_counters', true) = 'on'`;
const SEEN = 1;
const DEVICES = 2;

const seenKeys = (t: string) => `${t}.archived, substr(${t}.ip_key, 1, 28), COALESCE(substr(${t}.last_sighted_at, 1, 10), '')`;
const deviceKeys = (t: string) => `${t}.archived_at IS NOT NULL, ${t}.kind, COALESCE(${t}.platform, '')`;

/** The statement's rows summed per key into counter_pending, in key order (two writers lock counter rows in the same order at COMMIT). */
const pendingInsert = (counter: number, keys: (t: string) => string, parts: { table: string; sign: number }[]): string => `
  INSERT INTO counter_pending (counter, archived, k1, k2, n)
  SELECT ${counter}, a, k1, k2, SUM(d) FROM (
    ${parts.map((p) => `SELECT ${keys(p.table)}, ${p.sign} FROM ${p.table}`).join(' UNION ALL ')}
  ) AS c(a, k1, k2, d) GROUP BY a, k1, k2 HAVING SUM(d) <> 0 ORDER BY a, k1, k2`;

export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  await knex.schema.createTable('counter_pending', (t) => {
    t.bigIncrements('id');
    t.smallint('counter').notNullable();
    t.boolean('archived').notNullable();
    t.string('k1', 32).notNullable();
    t.string('k2', 32).notNullable();
    t.integer('n').notNullable();
  });
  await knex.raw(`
    CREATE FUNCTION counter_pending_fold() RETURNS trigger AS $$
    BEGIN
      IF NEW.counter = ${SEEN} THEN PERFORM reconciliation_seen_bump(NEW.archived, NEW.k1, NEW.k2, NEW.n);
      ELSE PERFORM device_counts_bump(NEW.archived, NEW.k1, NEW.k2, NEW.n); END IF;
      DELETE FROM counter_pending WHERE id = NEW.id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`);
  await knex.raw('CREATE CONSTRAINT TRIGGER counter_pending_fold AFTER INSERT ON counter_pending DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION counter_pending_fold()');

  for (const [table, counter, keys, rowTriggers] of [
    ['ip_assets', SEEN, seenKeys, ['reconciliation_seen_ins', 'reconciliation_seen_upd']],
    ['hosts', DEVICES, deviceKeys, ['device_counts_ins', 'device_counts_upd']],
  ] as const) {
    // The row triggers, re-created from their stored definitions with the switch in their WHEN.
    for (const name of rowTriggers) {
      const rows = (await knex.raw(`SELECT pg_get_triggerdef(t.oid) AS def FROM pg_trigger t WHERE t.tgname = ? AND t.tgrelid = ?::regclass`, [name, table])) as { rows: { def: string }[] };
      const def = rows.rows[0]?.def;
      if (!def) throw new Error(`trigger ${name} on ${table} is missing`);
      const guarded = / WHEN \(/.test(def) ? def.replace(/ WHEN \((.*)\) EXECUTE FUNCTION /, ` WHEN (($1) AND ${NOT_SET}) EXECUTE FUNCTION `) : def.replace(/ FOR EACH ROW EXECUTE FUNCTION /, ` FOR EACH ROW WHEN (${NOT_SET}) EXECUTE FUNCTION `);
      if (guarded === def) throw new Error(`trigger ${name} on ${table}: unexpected definition ${def}`);
      await knex.raw(`DROP TRIGGER ${name} ON ${table}`);
      await knex.raw(guarded);
    }
    // One function per event: a trigger's transition tables are named by the trigger, and each event has its own.
    const events = [
      ['ins', 'INSERT', 'REFERENCING NEW TABLE AS new_rows', [{ table: 'new_rows', sign: 1 }]],
      ['del', 'DELETE', 'REFERENCING OLD TABLE AS old_rows', [{ table: 'old_rows', sign: -1 }]],
      ['upd', 'UPDATE', 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows', [{ table: 'old_rows', sign: -1 }, { table: 'new_rows', sign: 1 }]],
    ] as const;
    for (const [suffix, event, referencing, parts] of events) {
      const fn = `${table}_set_counters_${suffix}`;
      await knex.raw(`CREATE FUNCTION ${fn}() RETURNS trigger AS $$
        BEGIN ${pendingInsert(counter, keys, [...parts])}; RETURN NULL; END $$ LANGUAGE plpgsql`);
      await knex.raw(`CREATE TRIGGER ${fn} AFTER ${event} ON ${table} ${referencing} FOR EACH STATEMENT WHEN (${SET}) EXECUTE FUNCTION ${fn}()`);
    }
  }
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
