import type { Knex } from 'knex';

/**
 * True when the knex instance (or transaction) talks to PostgreSQL. The one dialect test: every
 * "which SQL do I write" decision (here, in the services, the migrations) asks this.
 */
export function isPostgres(db: Knex): boolean {
  // The dialect's own name: config.client is a class when we extend the dialect (src/db/pg-client.ts).
  return (db.client as { dialect?: unknown }).dialect === 'postgresql';
}

/** Rows of a raw query result: an array on SQLite, `{rows}` on PostgreSQL. */
export function rowsOf<R>(result: unknown): R[] {
  if (Array.isArray(result)) return result as R[];
  return ((result as { rows?: R[] }).rows ?? []) as R[];
}

/**
 * The tail of a SELECT that locks its rows until the transaction ends, in id order so two
 * writers never wait for each other in a circle: PostgreSQL only (a SQLite write transaction
 * already holds the database's one write lock).
 */
export function lockInIdOrder(db: Knex): string {
  return isPostgres(db) ? ' ORDER BY id FOR UPDATE' : '';
}
