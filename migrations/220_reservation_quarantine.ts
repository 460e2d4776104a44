import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * Quarantine of released addresses (issue 19): a released address is held back from allocation
 * until the reclaim job reclaims it (N days after release: the pool's `quarantine_days`, else the
 * job's default). A RELEASED row without `reclaimed_at` therefore HOLDS its address like a live
 * one: the one-holder unique index, the ip_reservation_blocks counters the key space searches
 * through (so allocation skips it without enumerating anything) and a per-pool QUARANTINED
 * counter in ip_pool_counts (utilization shows it) all cover it, and reclaiming drops it from them.
 *
 * Written with literals (not imported) so this step stays what it was when later code changes.
 */
const HELD = (r: string): string => `(${r}status IN ('RESERVED', 'ASSIGNED') OR (${r}status = 'RELEASED' AND ${r}reclaimed_at IS NULL))`;
const QUARANTINED = (r: string): string => `(${r}status = 'RELEASED' AND ${r}reclaimed_at IS NULL)`;

export async function up(knex: Knex): Promise<void> {
  const pg = isPostgres(knex);
  await knex.schema.alterTable('ip_pools', (t) => {
    // Null: the reclaim job's default (30 days, the seed's reclaim_released_ips); 0: no quarantine.
    t.smallint('quarantine_days');
  });

  // Released before this step and already handed out again (a later row at the same key), or used
  // by a live IP asset since: nothing is left to hold back, and keeping them would give the
  // address two holders. They count as reclaimed now.
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  await knex.raw(
    `UPDATE ip_reservations SET reclaimed_at = ? WHERE status = 'RELEASED' AND reclaimed_at IS NULL AND (
       EXISTS (SELECT 1 FROM ip_reservations o WHERE o.ip_version = ip_reservations.ip_version AND o.ip_key = ip_reservations.ip_key AND o.id > ip_reservations.id)
       OR EXISTS (SELECT 1 FROM ip_assets a WHERE a.archived = ? AND a.ip_version = ip_reservations.ip_version AND a.ip_key = ip_reservations.ip_key))`,
    [now, false],
  );

  await knex.raw('DROP INDEX ip_reservations_one_live');
  await knex.raw(`CREATE UNIQUE INDEX ip_reservations_one_holder ON ip_reservations (ip_version, ip_key) WHERE ${HELD('')}`);
  await knex.raw('DROP INDEX ip_reservations_live_prefixes');
  await knex.raw(`CREATE INDEX ip_reservations_held_prefixes ON ip_reservations (ip_version, ip_key, ip_last_key) WHERE ${HELD('')} AND ip_type = 'ipv6_prefix'`);

  if (pg) await postgresTriggers(knex);
  else await sqliteTriggers(knex);

  // The counters now count every holding row: rebuilt from the rows once.
  await knex('ip_reservation_blocks').del();
  for (const [level, digits, prefix] of [[1, 30, false], [2, 28, false], [3, 12, true], [4, 14, true]] as const) {
    await knex.raw(
      `INSERT INTO ip_reservation_blocks (level, block, n) SELECT ${level}, substr(ip_key, 1, ${digits}), COUNT(*) FROM ip_reservations
       WHERE ${HELD('')} AND ip_type ${prefix ? '=' : '<>'} 'ipv6_prefix' GROUP BY substr(ip_key, 1, ${digits})`,
    );
  }
  await knex.raw(`INSERT INTO ip_pool_counts (pool_id, status, n) SELECT pool_id, 'QUARANTINED', COUNT(*) FROM ip_reservations WHERE ${QUARANTINED('')} GROUP BY pool_id`);
}

async function postgresTriggers(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE OR REPLACE FUNCTION ip_reservation_blocks_trigger() RETURNS trigger AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') AND ${HELD('OLD.')} THEN PERFORM ip_reservation_blocks_bump(OLD.ip_key, OLD.ip_type = 'ipv6_prefix', -1); END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') AND ${HELD('NEW.')} THEN PERFORM ip_reservation_blocks_bump(NEW.ip_key, NEW.ip_type = 'ipv6_prefix', 1); END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`);
  await knex.raw('DROP TRIGGER ip_reservation_blocks_upd ON ip_reservations');
  await knex.raw(`CREATE TRIGGER ip_reservation_blocks_upd AFTER UPDATE OF status, ip_key, ip_type, reclaimed_at ON ip_reservations FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.ip_key IS DISTINCT FROM NEW.ip_key OR OLD.ip_type IS DISTINCT FROM NEW.ip_type OR OLD.reclaimed_at IS DISTINCT FROM NEW.reclaimed_at)
    EXECUTE FUNCTION ip_reservation_blocks_trigger()`);
  await knex.raw(`
    CREATE FUNCTION ip_pool_quarantine_trigger() RETURNS trigger AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') AND ${QUARANTINED('OLD.')} THEN
        UPDATE ip_pool_counts SET n = n - 1 WHERE pool_id = OLD.pool_id AND status = 'QUARANTINED';
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') AND ${QUARANTINED('NEW.')} THEN
        INSERT INTO ip_pool_counts (pool_id, status, n) VALUES (NEW.pool_id, 'QUARANTINED', 1)
        ON CONFLICT (pool_id, status) DO UPDATE SET n = ip_pool_counts.n + 1;
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`);
  await knex.raw('CREATE TRIGGER ip_pool_quarantine_ins AFTER INSERT OR DELETE ON ip_reservations FOR EACH ROW EXECUTE FUNCTION ip_pool_quarantine_trigger()');
  await knex.raw(`CREATE TRIGGER ip_pool_quarantine_upd AFTER UPDATE OF status, reclaimed_at, pool_id ON ip_reservations FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.reclaimed_at IS DISTINCT FROM NEW.reclaimed_at OR OLD.pool_id IS DISTINCT FROM NEW.pool_id)
    EXECUTE FUNCTION ip_pool_quarantine_trigger()`);
}

async function sqliteTriggers(knex: Knex): Promise<void> {
  for (const name of ['ins', 'ins_prefix', 'del', 'del_prefix', 'upd']) await knex.raw(`DROP TRIGGER ip_reservation_blocks_${name}`);
  const addr = (row: 'NEW' | 'OLD'): string => `${HELD(`${row}.`)} AND ${row}.ip_type <> 'ipv6_prefix'`;
  const prefix = (row: 'NEW' | 'OLD'): string => `${HELD(`${row}.`)} AND ${row}.ip_type = 'ipv6_prefix'`;
  const pair = (row: 'NEW' | 'OLD', d: number, isPrefix: boolean): string =>
    isPrefix
      ? `INSERT INTO ip_reservation_blocks (level, block, n) VALUES (3, substr(${row}.ip_key, 1, 12), ${d}), (4, substr(${row}.ip_key, 1, 14), ${d}) ON CONFLICT (level, block) DO UPDATE SET n = n + excluded.n;`
      : `INSERT INTO ip_reservation_blocks (level, block, n) VALUES (1, substr(${row}.ip_key, 1, 30), ${d}), (2, substr(${row}.ip_key, 1, 28), ${d}) ON CONFLICT (level, block) DO UPDATE SET n = n + excluded.n;`;
  for (const [suffix, event, row, d] of [['ins', 'INSERT', 'NEW', 1], ['del', 'DELETE', 'OLD', -1]] as const) {
    await knex.raw(`CREATE TRIGGER ip_reservation_blocks_${suffix} AFTER ${event} ON ip_reservations WHEN ${addr(row)} BEGIN ${pair(row, d, false)} END`);
    await knex.raw(`CREATE TRIGGER ip_reservation_blocks_${suffix}_prefix AFTER ${event} ON ip_reservations WHEN ${prefix(row)} BEGIN ${pair(row, d, true)} END`);
  }
  // Updates: the old row's count out, the new row's in, each only when it holds (one trigger per case).
  const changed = `OLD.status IS NOT NEW.status OR OLD.ip_key IS NOT NEW.ip_key OR OLD.ip_type IS NOT NEW.ip_type OR OLD.reclaimed_at IS NOT NEW.reclaimed_at`;
  const cols = 'status, ip_key, ip_type, reclaimed_at';
  await knex.raw(`CREATE TRIGGER ip_reservation_blocks_upd_out AFTER UPDATE OF ${cols} ON ip_reservations WHEN (${changed}) AND ${addr('OLD')} BEGIN ${pair('OLD', -1, false)} END`);
  await knex.raw(`CREATE TRIGGER ip_reservation_blocks_upd_out_prefix AFTER UPDATE OF ${cols} ON ip_reservations WHEN (${changed}) AND ${prefix('OLD')} BEGIN ${pair('OLD', -1, true)} END`);
  await knex.raw(`CREATE TRIGGER ip_reservation_blocks_upd_in AFTER UPDATE OF ${cols} ON ip_reservations WHEN (${changed}) AND ${addr('NEW')} BEGIN ${pair('NEW', 1, false)} END`);
  await knex.raw(`CREATE TRIGGER ip_reservation_blocks_upd_in_prefix AFTER UPDATE OF ${cols} ON ip_reservations WHEN (${changed}) AND ${prefix('NEW')} BEGIN ${pair('NEW', 1, true)} END`);

  const qChanged = `OLD.status IS NOT NEW.status OR OLD.reclaimed_at IS NOT NEW.reclaimed_at OR OLD.pool_id IS NOT NEW.pool_id`;
  const add = `INSERT INTO ip_pool_counts (pool_id, status, n) VALUES (NEW.pool_id, 'QUARANTINED', 1) ON CONFLICT (pool_id, status) DO UPDATE SET n = n + 1;`;
  const sub = `UPDATE ip_pool_counts SET n = n - 1 WHERE pool_id = OLD.pool_id AND status = 'QUARANTINED';`;
  await knex.raw(`CREATE TRIGGER ip_pool_quarantine_ins AFTER INSERT ON ip_reservations WHEN ${QUARANTINED('NEW.')} BEGIN ${add} END`);
  await knex.raw(`CREATE TRIGGER ip_pool_quarantine_del AFTER DELETE ON ip_reservations WHEN ${QUARANTINED('OLD.')} BEGIN ${sub} END`);
  await knex.raw(`CREATE TRIGGER ip_pool_quarantine_upd_out AFTER UPDATE OF status, reclaimed_at, pool_id ON ip_reservations WHEN (${qChanged}) AND ${QUARANTINED('OLD.')} BEGIN ${sub} END`);
  await knex.raw(`CREATE TRIGGER ip_pool_quarantine_upd_in AFTER UPDATE OF status, reclaimed_at, pool_id ON ip_reservations WHEN (${qChanged}) AND ${QUARANTINED('NEW.')} BEGIN ${add} END`);
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
