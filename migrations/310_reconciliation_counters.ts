import type { Knex } from 'knex';
import { addressKeyColumn } from '../src/db/helpers/columns.js';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * What the reconciliation report (issue 15) counts and pages without reading every IP asset:
 *
 * - reconciliation_seen: IP assets per archived × /112 key block (65,536 addresses, the
 *   ip_key_blocks level-2 prefix) × UTC day last seen ('' for never), kept exact by triggers.
 *   "Unknown" (archived, seen since the cutoff day) and "reclaimable" (active, seen before it)
 *   are then a SUM over blocks × days — a few thousand rows at 1M assets — instead of a count
 *   over the assets; a range sums its whole blocks and counts only its partial edge blocks in the
 *   index. The stamp of a sighting moves a row only when its day changes.
 * - reconciliation_project_mismatches: the active IP assets whose project differs from their
 *   device's, one row each, kept by triggers on ip_assets and on hosts.project_id; the mismatch
 *   page, its count and its range filter read this small table in address order.
 *
 * The triggers fire for every writer, the bulk importer included (it does not count these
 * itself, so they ignore its `ipocket.bulk_counters` switch). On PostgreSQL the day counters are
 * deferred to COMMIT like the other shared counters (migration 150): every sighting of today
 * bumps the same row.
 */
const DAY = (row: string, column = 'last_seen_at') => `COALESCE(substr(${row}.${column}, 1, 10), '')`;
const BLOCK = (row: string) => `substr(${row}.ip_key, 1, 28)`;
const MISMATCH_OF_ASSET = (row: string) => `INSERT INTO reconciliation_project_mismatches (ip_asset_id, host_id, ip_version, ip_key)
  SELECT ${row}.id, ${row}.host_id, ${row}.ip_version, ${row}.ip_key FROM hosts h
  WHERE h.id = ${row}.host_id AND NOT ${row}.archived AND ${row}.project_id IS NOT NULL AND h.project_id IS NOT NULL AND h.project_id <> ${row}.project_id`;
const MISMATCH_OF_HOST = (row: string) => `INSERT INTO reconciliation_project_mismatches (ip_asset_id, host_id, ip_version, ip_key)
  SELECT a.id, a.host_id, a.ip_version, a.ip_key FROM ip_assets a
  WHERE a.host_id = ${row}.id AND NOT a.archived AND a.project_id IS NOT NULL AND ${row}.project_id IS NOT NULL AND a.project_id <> ${row}.project_id`;

export async function up(knex: Knex): Promise<void> {
  const pg = isPostgres(knex);
  await knex.schema.createTable('reconciliation_seen', (t) => {
    t.boolean('archived').notNullable();
    if (pg) t.specificType('block', 'varchar(28) COLLATE "C"').notNullable();
    else t.string('block', 28).notNullable();
    t.string('day', 10).notNullable();
    t.integer('n').notNullable();
    t.primary(['archived', 'block', 'day']);
  });
  await knex.schema.createTable('reconciliation_project_mismatches', (t) => {
    t.integer('ip_asset_id').primary();
    t.integer('host_id').notNullable();
    t.smallint('ip_version').notNullable();
    addressKeyColumn(knex, t, 'ip_key').notNullable();
    t.index(['ip_version', 'ip_key'], 'reconciliation_mismatch_order');
    t.index(['host_id'], 'reconciliation_mismatch_host');
  });
  const assetChanged = (o: string, n: string, distinct: string) =>
    `${o}.archived ${distinct} ${n}.archived OR ${o}.ip_key ${distinct} ${n}.ip_key OR ${o}.project_id ${distinct} ${n}.project_id OR ${o}.host_id ${distinct} ${n}.host_id`;
  if (pg) {
    await knex.raw(`
      CREATE FUNCTION reconciliation_seen_bump(a boolean, b varchar, d varchar, delta integer) RETURNS void AS $$
      BEGIN
        INSERT INTO reconciliation_seen (archived, block, day, n) VALUES (a, b, d, delta)
        ON CONFLICT (archived, block, day) DO UPDATE SET n = reconciliation_seen.n + EXCLUDED.n;
      END $$ LANGUAGE plpgsql`);
    await createSeenTriggers(knex, 'last_seen_at');
    await knex.raw(`
      CREATE FUNCTION reconciliation_mismatch_asset_trigger() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN DELETE FROM reconciliation_project_mismatches WHERE ip_asset_id = OLD.id; END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN ${MISMATCH_OF_ASSET('NEW')}; END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await knex.raw('CREATE TRIGGER reconciliation_mismatch_ins AFTER INSERT OR DELETE ON ip_assets FOR EACH ROW EXECUTE FUNCTION reconciliation_mismatch_asset_trigger()');
    await knex.raw(`CREATE TRIGGER reconciliation_mismatch_upd AFTER UPDATE OF archived, ip_key, project_id, host_id ON ip_assets FOR EACH ROW
      WHEN (${assetChanged('OLD', 'NEW', 'IS DISTINCT FROM')}) EXECUTE FUNCTION reconciliation_mismatch_asset_trigger()`);
    await knex.raw(`
      CREATE FUNCTION reconciliation_mismatch_host_trigger() RETURNS trigger AS $$
      BEGIN
        DELETE FROM reconciliation_project_mismatches WHERE host_id = NEW.id;
        ${MISMATCH_OF_HOST('NEW')};
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER reconciliation_mismatch_host AFTER UPDATE OF project_id ON hosts FOR EACH ROW
      WHEN (OLD.project_id IS DISTINCT FROM NEW.project_id) EXECUTE FUNCTION reconciliation_mismatch_host_trigger()`);
  } else {
    await createSeenTriggers(knex, 'last_seen_at');
    await knex.raw(`CREATE TRIGGER reconciliation_mismatch_ins AFTER INSERT ON ip_assets BEGIN ${MISMATCH_OF_ASSET('NEW')}; END`);
    await knex.raw(`CREATE TRIGGER reconciliation_mismatch_del AFTER DELETE ON ip_assets BEGIN DELETE FROM reconciliation_project_mismatches WHERE ip_asset_id = OLD.id; END`);
    await knex.raw(`CREATE TRIGGER reconciliation_mismatch_upd AFTER UPDATE OF archived, ip_key, project_id, host_id ON ip_assets
      WHEN ${assetChanged('OLD', 'NEW', 'IS NOT')}
      BEGIN DELETE FROM reconciliation_project_mismatches WHERE ip_asset_id = OLD.id; ${MISMATCH_OF_ASSET('NEW')}; END`);
    await knex.raw(`CREATE TRIGGER reconciliation_mismatch_host AFTER UPDATE OF project_id ON hosts
      WHEN OLD.project_id IS NOT NEW.project_id
      BEGIN DELETE FROM reconciliation_project_mismatches WHERE host_id = NEW.id; ${MISMATCH_OF_HOST('NEW')}; END`);
  }
  // Existing rows (the migration runs on populated databases too).
  await countSeen(knex, 'last_seen_at');
  await knex.raw(`INSERT INTO reconciliation_project_mismatches (ip_asset_id, host_id, ip_version, ip_key)
    SELECT a.id, a.host_id, a.ip_version, a.ip_key FROM ip_assets a JOIN hosts h ON h.id = a.host_id
    WHERE NOT a.archived AND a.project_id IS NOT NULL AND h.project_id IS NOT NULL AND h.project_id <> a.project_id`);
}

/**
 * The triggers that keep reconciliation_seen by the day of `column` (last_seen_at here; migration
 * 410 moves them to last_sighted_at): on PostgreSQL one deferred function for insert, delete and
 * update; on SQLite one trigger each. The update trigger fires only when a counted key changes.
 */
export async function createSeenTriggers(knex: Knex, column: string): Promise<void> {
  const day = (row: string) => DAY(row, column);
  const changed = (o: string, n: string, distinct: string) => `${o}.archived ${distinct} ${n}.archived OR ${o}.ip_key ${distinct} ${n}.ip_key OR ${day(o)} ${distinct} ${day(n)}`;
  if (isPostgres(knex)) {
    await knex.raw(`
      CREATE OR REPLACE FUNCTION reconciliation_seen_trigger() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM reconciliation_seen_bump(OLD.archived, ${BLOCK('OLD')}, ${day('OLD')}, -1); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM reconciliation_seen_bump(NEW.archived, ${BLOCK('NEW')}, ${day('NEW')}, 1); END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    const deferred = 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW';
    await knex.raw(`CREATE CONSTRAINT TRIGGER reconciliation_seen_ins AFTER INSERT OR DELETE ON ip_assets ${deferred} EXECUTE FUNCTION reconciliation_seen_trigger()`);
    await knex.raw(`CREATE CONSTRAINT TRIGGER reconciliation_seen_upd AFTER UPDATE OF archived, ip_key, ${column} ON ip_assets ${deferred}
      WHEN (${changed('OLD', 'NEW', 'IS DISTINCT FROM')}) EXECUTE FUNCTION reconciliation_seen_trigger()`);
    return;
  }
  const bump = (row: 'NEW' | 'OLD', d: number): string =>
    `INSERT INTO reconciliation_seen (archived, block, day, n) VALUES (${row}.archived, ${BLOCK(row)}, ${day(row)}, ${d})
     ON CONFLICT (archived, block, day) DO UPDATE SET n = n + excluded.n;`;
  await knex.raw(`CREATE TRIGGER reconciliation_seen_ins AFTER INSERT ON ip_assets BEGIN ${bump('NEW', 1)} END`);
  await knex.raw(`CREATE TRIGGER reconciliation_seen_del AFTER DELETE ON ip_assets BEGIN ${bump('OLD', -1)} END`);
  await knex.raw(`CREATE TRIGGER reconciliation_seen_upd AFTER UPDATE OF archived, ip_key, ${column} ON ip_assets
    WHEN ${changed('OLD', 'NEW', 'IS NOT')} BEGIN ${bump('OLD', -1)} ${bump('NEW', 1)} END`);
}

/** reconciliation_seen from the stored rows, by the day of `column`. */
export async function countSeen(knex: Knex, column: string): Promise<void> {
  await knex.raw(`INSERT INTO reconciliation_seen (archived, block, day, n)
    SELECT a.archived, ${BLOCK('a')}, ${DAY('a', column)}, COUNT(*) FROM ip_assets a GROUP BY a.archived, ${BLOCK('a')}, ${DAY('a', column)}`);
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
