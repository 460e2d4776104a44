import type { Db } from '../connection.js';
import { isPostgres } from './dialect.js';

/**
 * SQL that concatenates `expr` over the rows of a group in `orderBy` order: string_agg on
 * PostgreSQL, group_concat on SQLite (which keeps the order of an ordered subquery it reads).
 */
export function stringAggSql(db: Db, expr: string, separator: string, orderBy: string): string {
  const sep = `'${separator.replace(/'/g, "''")}'`;
  return isPostgres(db) ? `string_agg(${expr}, ${sep} ORDER BY ${orderBy})` : `group_concat(${expr}, ${sep})`;
}
