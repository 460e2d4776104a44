import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * PostgreSQL: the counter triggers (ip_asset_counts 007, ip_key_blocks 060, ip_asset_tag_counts
 * 050) fire at COMMIT instead of after each row (deferred constraint triggers).
 *
 * Every create bumps a handful of shared counter rows (its project × type, its /24 and /16 key
 * blocks, each tag). Fired at once, the upsert took those row locks in the middle of the writer's
 * transaction and held them through every later round trip of it (select back, audit, commit), so
 * parallel creates of the same kind queued one behind the other for the whole transaction: under
 * the mixed load test that upsert averaged 69 ms, almost all of it lock waiting, and the waiting
 * transactions held pool connections every other request needed. Deferred, the locks are taken
 * just before the commit and held for microseconds.
 *
 * The bulk writer's switch (migration 120: `ipocket.bulk_counters` set locally while its own
 * statements run) moves from the function bodies into the triggers' WHEN clauses: a constraint
 * trigger's WHEN is evaluated when the row changes, not at COMMIT, so rows the bulk writer counts
 * itself are never queued, whatever the setting is by the time the transaction commits.
 * SQLite has a single writer and keeps its triggers as they are.
 */
const BODY_GUARD = `IF current_setting('ipocket.bulk_counters', true) = 'on' THEN RETURN NULL; END IF;`;
const NOT_BULK = `current_setting('ipocket.bulk_counters', true) IS DISTINCT FROM 'on'`;

export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  // The function bodies lose the guard migration 120 put first in them (re-created from their stored text).
  for (const name of ['ip_asset_counts_trigger', 'ip_key_blocks_trigger', 'ip_asset_tag_counts_trigger']) {
    const rows = (await knex.raw(`SELECT pg_get_functiondef(p.oid) AS def FROM pg_proc p WHERE p.proname = ? AND p.pronamespace = current_schema()::regnamespace`, [name])) as { rows: { def: string }[] };
    const def = rows.rows[0]?.def ?? '';
    if (!def.includes(BODY_GUARD)) throw new Error(`trigger function ${name} does not have the expected guard`);
    await knex.raw(def.replace(BODY_GUARD, ''));
  }

  const deferred = 'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW';
  await knex.raw('DROP TRIGGER ip_asset_counts_ins ON ip_assets');
  await knex.raw('DROP TRIGGER ip_asset_counts_upd ON ip_assets');
  await knex.raw(`CREATE CONSTRAINT TRIGGER ip_asset_counts_ins AFTER INSERT OR DELETE ON ip_assets ${deferred}
    WHEN (${NOT_BULK}) EXECUTE FUNCTION ip_asset_counts_trigger()`);
  await knex.raw(`CREATE CONSTRAINT TRIGGER ip_asset_counts_upd AFTER UPDATE OF archived, project_id, type ON ip_assets ${deferred}
    WHEN ((OLD.archived IS DISTINCT FROM NEW.archived OR OLD.project_id IS DISTINCT FROM NEW.project_id OR OLD.type IS DISTINCT FROM NEW.type) AND ${NOT_BULK})
    EXECUTE FUNCTION ip_asset_counts_trigger()`);

  await knex.raw('DROP TRIGGER ip_key_blocks_ins ON ip_assets');
  await knex.raw('DROP TRIGGER ip_key_blocks_upd ON ip_assets');
  await knex.raw(`CREATE CONSTRAINT TRIGGER ip_key_blocks_ins AFTER INSERT OR DELETE ON ip_assets ${deferred}
    WHEN (${NOT_BULK}) EXECUTE FUNCTION ip_key_blocks_trigger()`);
  await knex.raw(`CREATE CONSTRAINT TRIGGER ip_key_blocks_upd AFTER UPDATE OF archived, ip_key ON ip_assets ${deferred}
    WHEN ((OLD.archived IS DISTINCT FROM NEW.archived OR OLD.ip_key IS DISTINCT FROM NEW.ip_key) AND ${NOT_BULK})
    EXECUTE FUNCTION ip_key_blocks_trigger()`);

  await knex.raw('DROP TRIGGER ip_asset_tag_counts_change ON ip_asset_tags');
  await knex.raw(`CREATE CONSTRAINT TRIGGER ip_asset_tag_counts_change AFTER INSERT OR DELETE ON ip_asset_tags ${deferred}
    WHEN (${NOT_BULK}) EXECUTE FUNCTION ip_asset_tag_counts_trigger()`);
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
