import type { Knex } from 'knex';
import { isPostgres } from '../src/db/helpers/dialect.js';

/**
 * Lets a bulk writer switch off the per-row counter triggers (ip_asset_counts 007, tag counts
 * 050, ip_key_blocks 060) for its own statements and apply one aggregated update per counter row
 * at the end instead (src/plugins/reconcile/store/counters.ts). Row by row, a 50k import upserted the
 * same few hundred counter rows tens of thousands of times, and on PostgreSQL held their row locks
 * from the first chunk to the commit, so any create in the same /16 waited for the whole import.
 *
 * The switch is local to the writer's transaction, so every other write keeps its triggers:
 * - PostgreSQL: the setting `ipocket.bulk_counters` set with SET LOCAL (reset at commit/rollback).
 * - SQLite: a row in `ipocket_bulk_writes`, inserted and deleted inside the writer's transaction.
 *   SQLite has one writer at a time and readers see committed data only, so no other connection
 *   ever sees the row; a crash rolls it back with the rest.
 */
const SQLITE_TRIGGERS = ['ip_asset_counts_ins', 'ip_asset_counts_del', 'ip_asset_counts_upd', 'ip_asset_tag_counts_ins', 'ip_asset_tag_counts_del', 'ip_key_blocks_ins', 'ip_key_blocks_del', 'ip_key_blocks_upd'];
const PG_FUNCTIONS = ['ip_asset_counts_trigger', 'ip_asset_tag_counts_trigger', 'ip_key_blocks_trigger'];
const SQLITE_GUARD = 'NOT EXISTS (SELECT 1 FROM ipocket_bulk_writes)';
const PG_GUARD = `IF current_setting('ipocket.bulk_counters', true) = 'on' THEN RETURN NULL; END IF;`;

export async function up(knex: Knex): Promise<void> {
  const pg = isPostgres(knex);
  if (pg) {
    // Each function is re-created from its stored definition with the guard as its first statement.
    for (const name of PG_FUNCTIONS) {
      const rows = (await knex.raw(`SELECT pg_get_functiondef(p.oid) AS def FROM pg_proc p WHERE p.proname = ? AND p.pronamespace = current_schema()::regnamespace`, [name])) as { rows: { def: string }[] };
      const def = rows.rows[0]?.def;
      if (!def) throw new Error(`trigger function ${name} is missing`);
      const body = /\bBEGIN\b/i.exec(def.slice(def.indexOf('$function$')));
      if (!body) throw new Error(`cannot read the body of ${name}`);
      const at = def.indexOf('$function$') + body.index + body[0].length;
      await knex.raw(`${def.slice(0, at)}\n        ${PG_GUARD}${def.slice(at)}`);
    }
    return;
  }
  await knex.schema.createTable('ipocket_bulk_writes', (t) => {
    t.integer('id').primary();
  });
  // Each trigger is re-created from its stored SQL with the guard added to (or as) its WHEN clause.
  for (const name of SQLITE_TRIGGERS) {
    const row = (await knex('sqlite_master').where({ type: 'trigger', name }).first('sql')) as { sql: string } | undefined;
    if (!row) throw new Error(`trigger ${name} is missing`);
    const at = row.sql.search(/\sBEGIN\s/);
    const head = row.sql.slice(0, at);
    const when = head.search(/\sWHEN\s/);
    const guarded = when < 0 ? `${head} WHEN ${SQLITE_GUARD}` : `${head.slice(0, when)} WHEN ${SQLITE_GUARD} AND (${head.slice(when + 6)})`;
    await knex.raw(`DROP TRIGGER ${name}`);
    await knex.raw(guarded + row.sql.slice(at));
  }
}

export async function down(): Promise<void> {
  throw new Error('forward-only migration');
}
