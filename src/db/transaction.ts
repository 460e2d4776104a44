import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { ServiceUnavailableError } from '../domain/errors.js';
import type { Db } from './connection.js';
import { isPostgres } from './helpers/dialect.js';
import { isLockTimeout, isTransactionConflict } from './errors.js';
import { inWriteQueue } from './write-queue.js';
import { BEGIN_WITHOUT_WAITING, isBusyAtBegin, lockWaitPauses, SQLITE_BUSY_TIMEOUT_MS } from './sqlite-client.js';

/** Runs of one transaction PostgreSQL may abort for a deadlock before we give up (each rolled back whole). */
const MAX_ATTEMPTS = 5;

/**
 * Runs fn in a write transaction, reusing db when it already is one ("only the opener commits").
 * The opener runs fn again, a bounded number of times, when PostgreSQL aborts it to break a
 * deadlock or a serialisation conflict (everything it did was rolled back), and turns a lock
 * wait that ran out (SQLite busy_timeout, PostgreSQL lock_timeout) into a 503 with Retry-After.
 * SQLite transactions begin IMMEDIATE (see WaitingSqliteClient), so they wait for the lock up front:
 * in this process's queue of writers first (inWriteQueue), then at its head for the lock, with the
 * connection back in the pool between tries (reads go on meanwhile), up to SQLITE_BUSY_TIMEOUT_MS.
 */
export async function writeTransaction<T>(db: Db, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  if ((db as Knex.Transaction).isTransaction) return fn(db as Knex.Transaction);
  if (isPostgres(db)) return openTransaction(db as Knex, fn);
  return inWriteQueue(db.client as object, () => openTransaction(db as Knex, fn));
}

async function openTransaction<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const lockDeadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  const pauses = lockWaitPauses();
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn, BEGIN_WITHOUT_WAITING);
    } catch (err) {
      const pause = isBusyAtBegin(err) ? (pauses.next().value as number) : null;
      if (pause !== null && Date.now() + pause <= lockDeadline) {
        // fn has not run: the database was locked before the transaction began.
        await sleep(pause);
        attempt--;
        continue;
      }
      if (isTransactionConflict(err) && attempt < MAX_ATTEMPTS) {
        // Jittered, growing pause so the transactions that collided do not collide again.
        await sleep(Math.random() * 20 * attempt);
        continue;
      }
      if (isLockTimeout(err)) throw new ServiceUnavailableError();
      throw err;
    }
  }
}

/**
 * Locks the rows a read-modify-write selects until the transaction ends (PostgreSQL FOR UPDATE;
 * a waiting transaction then reads the committed row). SQLite needs nothing: a write
 * transaction holds the database's only write lock from BEGIN IMMEDIATE on. Callers that lock
 * several rows order them (by id), so two transactions never wait for each other in a circle.
 */
export function forUpdate<Q extends Knex.QueryBuilder>(db: Db, query: Q): Q {
  return isPostgres(db) ? (query.forUpdate() as Q) : query;
}
