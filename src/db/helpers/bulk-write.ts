import type { Knex } from 'knex';
import type { Db } from '../connection.js';
import { isPostgres, rowsOf } from './dialect.js';

/**
 * Set-based writes for imports: multi-row INSERT and UPDATE … FROM (VALUES …), chunked under
 * the bind-parameter limits (SQLite 32766, PostgreSQL 65535). One statement per chunk instead
 * of one (or several) per row is what makes a 100k-row apply take seconds.
 */
const MAX_PARAMS = 30_000;

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

export type ColumnType = 'integer' | 'text' | 'boolean';

/** Rows per statement for a given column count. */
export function chunkRows(columns: number): number {
  return Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columns)));
}

/**
 * Inserts rows in chunks with one `INSERT … VALUES (…), (…) RETURNING …` per chunk (knex's SQLite
 * multi-row insert is a compound SELECT capped at 500 terms); returns the requested columns of
 * every inserted row (order not guaranteed).
 */
export async function bulkInsert<R = Record<string, unknown>>(db: Db, table: string, rows: readonly Record<string, unknown>[], returning?: string[]): Promise<R[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  const size = chunkRows(columns.length);
  const rowSql = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  const tail = returning ? ` RETURNING ${returning.map((c) => `"${c}"`).join(', ')}` : '';
  if (!isPostgres(db)) {
    const values = rows.map((r) => columns.map((c) => r[c]));
    return (await withSqlite(db, (conn) => sqliteChunks(conn, head, rowSql, tail, values, Boolean(returning)))) as R[];
  }
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const bindings: unknown[] = [];
    for (const r of chunk) for (const c of columns) bindings.push(toInsertBinding(r[c]));
    const result = (await db.raw(head + chunk.map(() => rowSql).join(', ') + tail, bindings as never[])) as unknown;
    if (returning) out.push(...rowsOf<R>(result));
  }
  return out;
}

function toInsertBinding(value: unknown): unknown {
  // knex turns booleans into 1/0 for better-sqlite3; undefined is not bindable anywhere.
  return value === undefined ? null : value;
}

/**
 * Updates rows by id: `UPDATE t SET c = v.columnN … FROM (VALUES (…), …) AS v WHERE t.id = v.column1`.
 * Every value is CAST so PostgreSQL knows the types of untyped parameters (NULLs included).
 */
export async function bulkUpdateById(db: Db, table: string, columns: readonly { name: string; type: ColumnType }[], rows: readonly ({ id: number } & Record<string, unknown>)[]): Promise<void> {
  if (rows.length === 0) return;
  const all = [{ name: 'id', type: 'integer' as const }, ...columns];
  const rowSql = `(${all.map((c) => `CAST(? AS ${c.type})`).join(', ')})`;
  const set = columns.map((c, i) => `"${c.name}" = v.column${i + 2}`).join(', ');
  const size = chunkRows(all.length);
  if (!isPostgres(db)) {
    const head = `UPDATE "${table}" SET ${set} FROM (VALUES `;
    const values = rows.map((r) => all.map((c) => r[c.name]));
    await withSqlite(db, (conn) => sqliteChunks(conn, head, rowSql, `) AS v WHERE "${table}".id = v.column1`, values, false));
    return;
  }
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const bindings: unknown[] = [];
    for (const r of chunk) for (const c of all) bindings.push(toBinding(r[c.name], c.type));
    await db.raw(`UPDATE "${table}" SET ${set} FROM (VALUES ${chunk.map(() => rowSql).join(', ')}) AS v WHERE "${table}".id = v.column1`, bindings as never[]);
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
