import type { Db } from '../../db/connection.js';

/**
 * Set-based writes for imports: multi-row INSERT and UPDATE … FROM (VALUES …), chunked under
 * the bind-parameter limits (SQLite 32766, PostgreSQL 65535). One statement per chunk instead
 * of one (or several) per row is what makes a 100k-row apply take seconds.
 */
const MAX_PARAMS = 30_000;

export type ColumnType = 'integer' | 'text' | 'boolean';

/** Rows per statement for a given column count. */
export function chunkRows(columns: number): number {
  return Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columns)));
}

/** Inserts rows in chunks; returns the requested columns of every inserted row (order not guaranteed). */
export async function bulkInsert<R = Record<string, unknown>>(db: Db, table: string, rows: readonly Record<string, unknown>[], returning?: string[]): Promise<R[]> {
  if (rows.length === 0) return [];
  const size = chunkRows(Object.keys(rows[0]!).length);
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    if (returning) out.push(...((await db(table).insert(chunk).returning(returning)) as R[]));
    else await db(table).insert(chunk);
  }
  return out;
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
