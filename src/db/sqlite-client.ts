import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import BetterSqlite3Client from 'knex/lib/dialects/better-sqlite3/index.js';

/** How long a SQLite statement (or BEGIN) waits for another connection's write lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** The pauses between tries while the write lock is taken: short at first, then every 50 ms. */
export function* lockWaitPauses(): Generator<number> {
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) yield pause;
}

/**
 * Transaction config (`db.transaction(fn, BEGIN_WITHOUT_WAITING)`): a BEGIN IMMEDIATE that finds
 * the database locked fails at once (isBusyAtBegin) instead of waiting on the connection, so the
 * caller can give the connection back while it waits (see writeTransaction).
 */
export const BEGIN_WITHOUT_WAITING: Knex.TransactionConfig = { [Symbol.for('ipocket.beginOnce')]: true } as Knex.TransactionConfig;
const BEGIN_ONCE = Symbol.for('ipocket.beginOnce');
/** Marks a query object: the statement may fail at once when locked; its runner waits and runs it again. */
const RETRY_OUTSIDE = Symbol('ipocket.retryOutside');
/** Marks the error of a statement that was not run because the database was locked, and that may simply be run again. */
const NOT_RUN = Symbol('ipocket.notRun');

/**
 * Query context (`.queryContext(SKIP_WHEN_LOCKED)`) of a best-effort write (a sliding expiry):
 * on SQLite it fails at once with SQLITE_BUSY when another connection holds the write lock,
 * instead of making the request that carries it wait for a long import to commit.
 */
export const SKIP_WHEN_LOCKED = { ipocketLockWait: false } as const;

interface RawStatement {
  reader: boolean;
  safeIntegers(on: boolean): unknown;
  all(bindings: unknown[]): unknown[];
  run(bindings: unknown[]): { lastInsertRowid: number | bigint; changes: number };
}

interface RawConnection {
  /** better-sqlite3: true between BEGIN and COMMIT/ROLLBACK. */
  inTransaction: boolean;
  prepare(sql: string): RawStatement;
}

/** Prepared statements kept per connection, least recently used dropped first. */
const STATEMENTS_KEPT = 256;
const statements = new WeakMap<RawConnection, Map<string, RawStatement>>();

/**
 * The connection's prepared statement for sql. Statements are safe to share: better-sqlite3 runs
 * each to completion synchronously, and SQLite prepares one again itself after a schema change.
 */
function statementFor(conn: RawConnection, sql: string): RawStatement {
  let kept = statements.get(conn);
  if (!kept) statements.set(conn, (kept = new Map()));
  let statement = kept.get(sql);
  if (statement) {
    kept.delete(sql);
  } else {
    statement = conn.prepare(sql);
    if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
  }
  kept.set(sql, statement);
  return statement;
}

type QueryObject = { sql?: string; queryContext?: { ipocketLockWait?: boolean }; [BEGIN_ONCE]?: boolean; [RETRY_OUTSIDE]?: boolean };

interface TransactionInternals {
  begin(conn: unknown): unknown;
  query(conn: unknown, sql: string | QueryObject): unknown;
}

interface RunnerInternals {
  connection: unknown;
  run(): Promise<unknown>;
  query(obj: QueryObject): Promise<unknown>;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** True for the SQLITE_BUSY of a BEGIN_WITHOUT_WAITING transaction: nothing ran, it can start again. */
export function isBusyAtBegin(err: unknown): boolean {
  return isBusy(err) && (err as { [NOT_RUN]?: boolean })[NOT_RUN] === true;
}

/**
 * knex's better-sqlite3 client, changed in how it waits for the write lock held by another
 * connection (a second instance on the same file, a CLI import, this process's import worker):
 *
 * - Transactions begin IMMEDIATE: they take the write lock up front. A deferred BEGIN reads
 *   first and must upgrade later, which fails at once with SQLITE_BUSY when another connection
 *   wrote in between; no waiting can help it then.
 * - The wait is asynchronous, up to SQLITE_BUSY_TIMEOUT_MS, with growing pauses. SQLite's own
 *   busy_timeout would sleep inside the driver and block the event loop, so a holder in the same
 *   process could never finish. Inside a transaction the lock is already ours: nothing to wait for.
 * - A waiting statement does not keep the pool's connection: a single statement outside a
 *   transaction, and a BEGIN_WITHOUT_WAITING transaction (writeTransaction), give it back between
 *   tries, so reads (WAL lets them read beside the writer) never queue behind a waiting write.
 *   Other BEGINs (migrations) and later statements of a multi-statement query wait in place.
 * When the wait runs out, SQLITE_BUSY goes up (the services answer it with 503 and Retry-After).
 */
export class WaitingSqliteClient extends BetterSqlite3Client {
  override transaction(container: unknown, config: unknown, outerTx: unknown): Knex.Transaction {
    const trx = super.transaction(container, config, outerTx) as unknown as TransactionInternals;
    const once = (config as { [BEGIN_ONCE]?: boolean } | undefined)?.[BEGIN_ONCE] === true;
    // Safe after construction: knex calls begin only once a connection is acquired (asynchronously).
    trx.begin = (conn: unknown) => trx.query(conn, once ? { sql: 'BEGIN IMMEDIATE;', [BEGIN_ONCE]: true } : 'BEGIN IMMEDIATE;');
    return trx as unknown as Knex.Transaction;
  }

  override runner(builder: unknown): unknown {
    const runner = super.runner(builder) as RunnerInternals;
    const run = runner.run.bind(runner);
    const query = runner.query.bind(runner);
    let statements = 0;
    runner.query = (obj) => {
      // Only a first statement can run again from the start: nothing of the query has happened yet.
      if (statements++ === 0) obj[RETRY_OUTSIDE] = true;
      return query(obj);
    };
    runner.run = async () => {
      const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
      for (const pause of lockWaitPauses()) {
        statements = 0;
        try {
          return await run();
        } catch (err) {
          if (!(err as { [NOT_RUN]?: boolean })[NOT_RUN] || Date.now() + pause > deadline) throw err;
          // The pool has the connection back; the next try acquires one again.
          runner.connection = undefined;
          await sleep(pause);
        }
      }
      throw new Error('unreachable');
    };
    return runner;
  }

  /**
   * knex's better-sqlite3 _query, with the connection's prepared statements kept (statementFor):
   * preparing was a fifth of the SQLite time of an API request, and a key-space search runs the
   * same few statement shapes again and again.
   */
  private runStatement(conn: RawConnection, obj: QueryObject & { bindings?: unknown[]; options?: unknown; response?: unknown; context?: unknown }): QueryObject {
    if (!obj.sql) throw new Error('The query is empty');
    const self = this as unknown as { _optSafeIntegers(o: unknown): boolean | undefined; _formatBindings(b: unknown): unknown[] };
    const statement = statementFor(conn, obj.sql);
    const safeIntegers = self._optSafeIntegers(obj.options);
    // A kept statement remembers the last setting: set it both ways.
    statement.safeIntegers(safeIntegers ?? false);
    const bindings = self._formatBindings(obj.bindings);
    if (statement.reader) {
      obj.response = statement.all(bindings);
      return obj;
    }
    const response = statement.run(bindings);
    obj.response = response;
    obj.context = { lastID: response.lastInsertRowid, changes: response.changes };
    return obj;
  }

  async _query(conn: RawConnection, obj: QueryObject): Promise<unknown> {
    const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
    for (const pause of lockWaitPauses()) {
      try {
        return this.runStatement(conn, obj);
      } catch (err) {
        if (!isBusy(err) || conn.inTransaction || obj.queryContext?.ipocketLockWait === false) throw err;
        if (obj[BEGIN_ONCE] || obj[RETRY_OUTSIDE]) throw Object.assign(err as Error, { [NOT_RUN]: true });
        if (Date.now() + pause > deadline) throw err;
        await sleep(pause);
      }
    }
    throw new Error('unreachable');
  }
}
