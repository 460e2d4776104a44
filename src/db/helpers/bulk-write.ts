import type { Knex } from 'knex';
import type { Db } from '../connection.js';
import { isPostgres, rowsOf } from './dialect.js';

/**
 * Set-based writes for imports: on SQLite multi-row INSERT and UPDATE … FROM (VALUES …) under its
 * bind-parameter limit, on PostgreSQL one array parameter per column (unnest). One statement per
 * chunk instead of one (or several) per row is what makes a 100k-row apply take seconds.
 */

/** The slice of better-sqlite3's API used here. */
interface SqliteConnection {
  prepare(sql: string): { all(params: unknown[]): unknown[]; run(params: unknown[]): unknown };
}

/** Rows per statement on SQLite: prepared once and reused for every full chunk. */
const SQLITE_ROWS = 500;

/**
 * Runs fn on the raw better-sqlite3 connection behind db (the transaction's own connection
 * when db is a transaction). At 100k rows knex's per-binding SQL formatting costs more than
 * SQLite's insert itself, so the bulk paths hand prepared statements straight to the driver.
 */
async function withSqlite<T>(db: Db, fn: (conn: SqliteConnection) => T): Promise<T> {
  const client = db.client as Knex.Client & { acquireConnection(): Promise<SqliteConnection>; releaseConnection(c: SqliteConnection): Promise<void> };
  const conn = await client.acquireConnection();
  try {
    return fn(conn);
  } finally {
    // A transaction's client hands out its one connection and keeps it; only release pool connections.
    if (!(db as Knex.Transaction).isTransaction) await client.releaseConnection(conn);
  }
}

function sqliteValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** Runs `head + (row),(row)… + tail` over rows in chunks on SQLite, reusing one statement per chunk size. */
function sqliteChunks(conn: SqliteConnection, head: string, rowSql: string, tail: string, rows: readonly unknown[][], returning: boolean): unknown[] {
  const out: unknown[] = [];
  const cache = new Map<number, ReturnType<SqliteConnection['prepare']>>();
  for (let i = 0; i < rows.length; i += SQLITE_ROWS) {
    const chunk = rows.slice(i, i + SQLITE_ROWS);
    let stmt = cache.get(chunk.length);
    if (!stmt) cache.set(chunk.length, (stmt = conn.prepare(head + new Array(chunk.length).fill(rowSql).join(', ') + tail)));
    const params = chunk.flat().map(sqliteValue);
    if (returning) out.push(...stmt.all(params));
    else stmt.run(params);
  }
  return out;
}

export type ColumnType = 'integer' | 'text' | 'boolean' | 'double precision';

/**
 * Inserts rows in chunks with one `INSERT … VALUES (…), (…) RETURNING …` per chunk on SQLite
 * (knex's SQLite multi-row insert is a compound SELECT capped at 500 terms) and one
 * `INSERT … SELECT * FROM unnest(…) RETURNING …` on PostgreSQL; returns the requested columns
 * of every inserted row (order not guaranteed).
 */
export async function bulkInsert<R = Record<string, unknown>>(db: Db, table: string, rows: readonly Record<string, unknown>[], returning?: string[]): Promise<R[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  const rowSql = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) `;
  const tail = returning ? ` RETURNING ${returning.map((c) => `"${c}"`).join(', ')}` : '';
  if (!isPostgres(db)) {
    const values = rows.map((r) => columns.map((c) => r[c]));
    return (await withSqlite(db, (conn) => sqliteChunks(conn, `${head}VALUES `, rowSql, tail, values, Boolean(returning)))) as R[];
  }
  const types = await pgColumnTypes(db, table);
  const select = `SELECT * FROM unnest(${columns.map((c) => `?::${types.get(c) ?? 'text'}[]`).join(', ')})`;
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += PG_ROWS) {
    const chunk = rows.slice(i, i + PG_ROWS);
    const arrays = columns.map((c) => chunk.map((r) => toInsertBinding(r[c])));
    const result = (await db.raw(head + select + tail, arrays as never[])) as unknown;
    if (returning) out.push(...rowsOf<R>(result));
  }
  return out;
}

/**
 * Rows per statement on PostgreSQL, where each column travels as one array parameter
 * (`INSERT … SELECT * FROM unnest($1::int[], …)`): a VALUES list of thousands of rows × columns
 * parameters cost the server about twice the CPU of the insert itself to parse, and the driver
 * as much again to encode, for the same rows.
 */
const PG_ROWS = 10_000;

/** Column name → base type (`integer`, `character varying`, …) of a table, read once per process. */
const pgTypes = new Map<string, Promise<Map<string, string>>>();

function pgColumnTypes(db: Db, table: string): Promise<Map<string, string>> {
  let types = pgTypes.get(table);
  if (!types) {
    types = (async () => {
      const result = (await db.raw(
        `SELECT attname AS name, format_type(atttypid, NULL) AS type FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped`,
        [`"${table}"`],
      )) as unknown;
      return new Map(rowsOf<{ name: string; type: string }>(result).map((r) => [r.name, r.type]));
    })();
    // A failed read (e.g. the transaction was aborted) is not remembered.
    types.catch(() => pgTypes.delete(table));
    pgTypes.set(table, types);
  }
  return types;
}

function toInsertBinding(value: unknown): unknown {
  // knex turns booleans into 1/0 for better-sqlite3; undefined is not bindable anywhere.
  return value === undefined ? null : value;
}

/**
 * Updates rows by id: `UPDATE t SET c = v.columnN … FROM (VALUES (…), …) AS v WHERE t.id = v.column1`
 * (on PostgreSQL `FROM unnest(…) AS v(column1, …)`, one typed array per column). Every value is
 * CAST so PostgreSQL knows the types of untyped parameters (NULLs included). `onlyIf`, when
 * given, is ANDed to the WHERE: it may read the stored row as `"<table>".<column>` and the new
 * values as `v.column2`… (in the order of `columns`), so a row it rejects is not written at all.
 */
export async function bulkUpdateById(
  db: Db,
  table: string,
  columns: readonly { name: string; type: ColumnType }[],
  rows: readonly ({ id: number } & Record<string, unknown>)[],
  onlyIf?: string,
): Promise<void> {
  if (rows.length === 0) return;
  const all = [{ name: 'id', type: 'integer' as const }, ...columns];
  const rowSql = `(${all.map((c) => `CAST(? AS ${c.type})`).join(', ')})`;
  const set = columns.map((c, i) => `"${c.name}" = v.column${i + 2}`).join(', ');
  const where = `"${table}".id = v.column1${onlyIf ? ` AND (${onlyIf})` : ''}`;
  if (!isPostgres(db)) {
    const head = `UPDATE "${table}" SET ${set} FROM (VALUES `;
    const values = rows.map((r) => all.map((c) => r[c.name]));
    await withSqlite(db, (conn) => sqliteChunks(conn, head, rowSql, `) AS v WHERE ${where}`, values, false));
    return;
  }
  const unnest = `unnest(${all.map((c) => `?::${c.type}[]`).join(', ')}) AS v(${all.map((_, i) => `column${i + 1}`).join(', ')})`;
  for (let i = 0; i < rows.length; i += PG_ROWS) {
    const chunk = rows.slice(i, i + PG_ROWS);
    const arrays = all.map((c) => chunk.map((r) => toBinding(r[c.name], c.type)));
    await db.raw(`UPDATE "${table}" SET ${set} FROM ${unnest} WHERE ${where}`, arrays as never[]);
  }
}

function toBinding(value: unknown, type: ColumnType): unknown {
  if (value === undefined) return null;
  // better-sqlite3 binds no booleans; 1/0 casts to a boolean on PostgreSQL too.
  if (type === 'boolean' && typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** Selects rows whose column is in the values, in chunks (one query per few thousand values). */
export async function selectIn<R>(db: Db, table: string, columns: string[], column: string, values: readonly (string | number)[]): Promise<R[]> {
  const out: R[] = [];
  const size = 5000;
  for (let i = 0; i < values.length; i += size) {
    out.push(...((await db(table).select(columns).whereIn(column, values.slice(i, i + size) as (string | number)[])) as R[]));
  }
  return out;
}

/** A read on SQLite straight through the driver (see withSqlite), through knex on PostgreSQL. */
export async function selectRaw<R>(db: Db, sql: string, bindings: readonly unknown[]): Promise<R[]> {
  if (isPostgres(db)) return rowsOf<R>(await db.raw(sql, bindings as never[]));
  return withSqlite(db, (conn) => conn.prepare(sql).all(bindings.map(sqliteValue)) as R[]);
}

/**
 * Adds to counter rows: `INSERT … ON CONFLICT (key) DO UPDATE SET n = n + excluded.n`, 1,000 rows
 * per statement. Each row is the key columns' values followed by the amount (the `n` column).
 */
export async function upsertAddCount(trx: Knex.Transaction, table: string, key: readonly string[], rows: readonly unknown[][]): Promise<void> {
  const columns = [...key, 'n'];
  const row = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await trx.raw(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => row).join(', ')} ON CONFLICT (${key.join(', ')}) DO UPDATE SET n = ${table}.n + excluded.n`,
      chunk.flat() as never[],
    );
  }
}

/**
 * Inserts rows, or on a key conflict runs `onConflict` (the SET list of `DO UPDATE SET …`, which
 * may read `excluded.<column>` and the stored row as `"<table>".<column>`): one statement per
 * chunk, as bulkInsert (VALUES on SQLite, one array per column on PostgreSQL). Two rows of one
 * call must not share a key (PostgreSQL refuses to update a row twice in one statement).
 */
export async function bulkUpsert(db: Db, table: string, key: readonly string[], rows: readonly Record<string, unknown>[], onConflict: string): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) `;
  const tail = ` ON CONFLICT (${key.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${onConflict}`;
  if (!isPostgres(db)) {
    const values = rows.map((r) => columns.map((c) => r[c]));
    await withSqlite(db, (conn) => sqliteChunks(conn, `${head}VALUES `, `(${columns.map(() => '?').join(', ')})`, tail, values, false));
    return;
  }
  const types = await pgColumnTypes(db, table);
  const select = `SELECT * FROM unnest(${columns.map((c) => `?::${types.get(c) ?? 'text'}[]`).join(', ')})`;
  for (let i = 0; i < rows.length; i += PG_ROWS) {
    const chunk = rows.slice(i, i + PG_ROWS);
    await db.raw(head + select + tail, columns.map((c) => chunk.map((r) => toInsertBinding(r[c]))) as never[]);
  }
}
