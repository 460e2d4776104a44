import { createHash } from 'node:crypto';
import PgClient from 'knex/lib/dialects/postgres/index.js';

/**
 * Distinct statement texts a process prepares on PostgreSQL. Each prepared statement lives on
 * every pooled connection that ran it (server memory per connection), so the set is bounded;
 * statements beyond it run unnamed as before.
 */
export const MAX_PREPARED_STATEMENTS = 256;
/** A text is prepared from its second run on: a one-off statement never takes a slot. */
const SEEN_LIMIT = 4096;
/** One data-manipulation statement: a prepared statement holds exactly one command. */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

interface QueryObject {
  sql?: string;
  options?: Record<string, unknown>;
}

/**
 * knex's PostgreSQL client with named prepared statements for the texts the app runs again and
 * again (the session lookup, a list page, an asset's detail). Under load, planning was a quarter
 * of PostgreSQL's time (pg_stat_statements in bench/load.bench.ts): a named statement is parsed
 * once per connection, and after five runs PostgreSQL keeps a generic plan when it costs no more
 * than the custom ones. IPOCKET_PG_PREPARE=0 turns it off (behind a transaction-pooling proxy
 * such as PgBouncer < 1.21, where a statement prepared on one server connection is unknown on the
 * next).
 */
export class PreparingPgClient extends PgClient {
  _query(connection: unknown, obj: QueryObject): Promise<unknown> {
    const name = ENABLED ? statementName(obj) : undefined;
    if (name) obj.options = { ...obj.options, name };
    return (PgClient.prototype as unknown as { _query(c: unknown, o: QueryObject): Promise<unknown> })._query.call(this, connection, obj);
  }
}

// Process-wide, not per client: knex builds a transaction's client from the prototype alone (no
// constructor, no instance fields), and a name is the hash of its text, the same on every pool.
const ENABLED = process.env.IPOCKET_PG_PREPARE !== '0';
const named = new Map<string, string>();
let seen = new Set<string>();

/** The statement's name once its text has run before and a slot is free; undefined runs it unnamed. */
export function statementName(obj: QueryObject): string | undefined {
  const sql = obj.sql;
  if (!sql || obj.options?.name !== undefined) return undefined;
  // A named text passed the checks below when it got its name: every later run is one lookup.
  const known = named.get(sql);
  if (known) return known;
  if (named.size >= MAX_PREPARED_STATEMENTS || !PREPARABLE.test(sql) || sql.includes(';')) return undefined;
  if (!seen.has(sql)) {
    if (seen.size >= SEEN_LIMIT) seen = new Set();
    seen.add(sql);
    return undefined;
  }
  const name = `ipocket_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
  named.set(sql, name);
  return name;
}
