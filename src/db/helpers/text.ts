import { isPostgres, type Db } from '../connection.js';

/** Case-insensitive "contains" operator: ILIKE on PostgreSQL, LIKE (ASCII case-insensitive) on SQLite. */
export function containsOperator(db: Db): 'ilike' | 'like' {
  return isPostgres(db) ? 'ilike' : 'like';
}

/** A LIKE pattern matching the text anywhere, with %, _ and \ escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}

/** The ESCAPE clause that goes with containsPattern. */
export const LIKE_ESCAPE = "ESCAPE '\\'";
