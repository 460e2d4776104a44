import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import BetterSqlite3Client from 'knex/lib/dialects/better-sqlite3/index.js';

/** How long a SQLite statement (or BEGIN) waits for another connection's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

interface RawConnection {
  /** better-sqlite3: true between BEGIN and COMMIT/ROLLBACK. */
  inTransaction: boolean;
}

interface TransactionInternals {
  begin(conn: unknown): unknown;
  query(conn: unknown, sql: string): unknown;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * knex's better-sqlite3 client, changed in how it waits for the write lock held by another
 * connection (a second instance on the same file, a CLI import):
 *
 * - Transactions begin IMMEDIATE: they take the write lock up front. A deferred BEGIN reads
 *   first and must upgrade later, which fails at once with SQLITE_BUSY when another connection
 *   wrote in between; no waiting can help it then.
 * - The wait happens here, asynchronously, up to SQLITE_BUSY_TIMEOUT_MS: a statement outside a
 *   transaction (BEGIN IMMEDIATE included) that finds the database locked is tried again after a
 *   growing pause. SQLite's own busy_timeout would sleep inside the driver and block the event
 *   loop, so a holder in the same process (two instances in one test, or the request that holds
 *   the lock) could never finish. Inside a transaction the lock is already ours: nothing to wait for.
 * When the wait runs out, SQLITE_BUSY goes up (the services answer it with 503 and Retry-After).
 */
export class WaitingSqliteClient extends BetterSqlite3Client {
  override transaction(container: unknown, config: unknown, outerTx: unknown): Knex.Transaction {
    const trx = super.transaction(container, config, outerTx) as unknown as TransactionInternals;
    // Safe after construction: knex calls begin only once a connection is acquired (asynchronously).
    trx.begin = (conn: unknown) => trx.query(conn, 'BEGIN IMMEDIATE;');
    return trx as unknown as Knex.Transaction;
  }

  async _query(conn: RawConnection, obj: unknown): Promise<unknown> {
    const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
    const run = (BetterSqlite3Client.prototype as unknown as { _query(c: RawConnection, o: unknown): Promise<unknown> })._query;
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      try {
        return await run.call(this, conn, obj);
      } catch (err) {
        if (!isBusy(err) || conn.inTransaction || Date.now() + pause > deadline) throw err;
        await sleep(pause);
      }
    }
  }
}
