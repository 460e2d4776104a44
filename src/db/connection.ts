import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { AppConfig } from '../config.js';
import { isPostgres } from './helpers/dialect.js';
import { PreparingPgClient } from './pg-client.js';
import { SQLITE_BUSY_TIMEOUT_MS, WaitingSqliteClient } from './sqlite-client.js';

export type Db = Knex | Knex.Transaction;

// PostgreSQL returns COUNT(*) and BIGINT as strings; our counts fit in a double.
pg.types.setTypeParser(20, (v: string) => Number(v));

/** The PostgreSQL connection string each knex was opened with: knex keeps only its parsed parts. */
const pgOpenedWith = new WeakMap<Knex, string>();

/** Opens the configured database: SQLite file (created with its folder) or PostgreSQL. */
export function openDatabase(database: AppConfig['database']): Knex {
  if (database.client === 'pg') {
    const db = knexFactory({
      // Named prepared statements for the texts run again and again (see PreparingPgClient).
      client: PreparingPgClient,
      connection: database.connectionString,
      pool: { min: 0, max: 10 },
    });
    pgOpenedWith.set(db, database.connectionString);
    return db;
  }
  if (database.filename !== ':memory:') mkdirSync(path.dirname(path.resolve(database.filename)), { recursive: true });
  return knexFactory({
    // Transactions begin IMMEDIATE; lock waits are asynchronous and bounded (see WaitingSqliteClient).
    client: WaitingSqliteClient,
    connection: { filename: database.filename },
    useNullAsDefault: true,
    // One connection: SQLite has one writer, and a single connection keeps transactions simple.
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        // The set-up below may wait inside the driver; afterwards WaitingSqliteClient waits instead.
        conn.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('cache_size = -65536');
        conn.pragma('temp_store = MEMORY');
        // Gather planner statistics the database lacks (bounded work; see refreshPlannerStats).
        conn.pragma('analysis_limit = 2000');
        conn.pragma('optimize = 0x10002');
        conn.pragma('busy_timeout = 0');
        done(null, conn);
      },
    },
  });
}

/**
 * What a worker thread opens to work on the same database as `db` (runOnOwnConnection): the SQLite
 * file, or the PostgreSQL connection string; null for an in-memory SQLite database (tests), which
 * no other connection can see.
 */
export function ownConnectionDatabase(db: Knex): AppConfig['database'] | null {
  if (isPostgres(db)) {
    const connectionString = pgOpenedWith.get(db);
    return connectionString === undefined ? null : { client: 'pg', connectionString };
  }
  const filename = sqliteFile(db);
  return filename === null ? null : { client: 'sqlite', filename };
}

/** The SQLite file db talks to; null on PostgreSQL and for an in-memory database (no other connection can share it). */
export function sqliteFile(db: Knex): string | null {
  if (isPostgres(db)) return null;
  const filename = (db.client as { config: { connection?: { filename?: unknown } } }).config.connection?.filename;
  return typeof filename === 'string' && filename !== '' && filename !== ':memory:' && !filename.startsWith('file::memory:') ? filename : null;
}
