import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { openDatabase } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import type { AppConfig } from '../../src/config.js';

/** Which database the suite runs on: PostgreSQL when TEST_DATABASE_URL is set, else SQLite. */
export const DIALECT: 'pg' | 'sqlite' = process.env.TEST_DATABASE_URL ? 'pg' : 'sqlite';

export interface TestDb {
  db: Knex;
  database: AppConfig['database'];
  cleanup(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: in-memory SQLite, or a new PostgreSQL
 * database on the server of TEST_DATABASE_URL (dropped again by cleanup).
 */
export async function createTestDb(): Promise<TestDb> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const database = { client: 'sqlite' as const, filename: ':memory:' };
    const db = openDatabase(database);
    await migrateLatest(db);
    return { db, database, cleanup: () => db.destroy() };
  }
  const name = `ipocket_test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = { client: 'pg' as const, connectionString: target.toString() };
  const db = openDatabase(database);
  await migrateLatest(db);
  return {
    db,
    database,
    async cleanup() {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
