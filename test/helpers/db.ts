import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
 * database on the server of TEST_DATABASE_URL (dropped again by cleanup). `migrate` brings it to
 * another schema (a migration test starts at an older one).
 */
export async function createTestDb(migrate: (db: Knex) => Promise<unknown> = migrateLatest): Promise<TestDb> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const database = { client: 'sqlite' as const, filename: ':memory:' };
    const db = openDatabase(database);
    await migrate(db);
    return { db, database, cleanup: () => db.destroy() };
  }
  const name = `ipocket_test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = { client: 'pg' as const, connectionString: target.toString() };
  const db = openDatabase(database);
  await migrate(db);
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

/**
 * Two app instances' connections to ONE database: a SQLite file both open (in the temp dir), or a
 * fresh PostgreSQL database of TEST_DATABASE_URL opened twice.
 */
export async function twoConnections(dialect: 'pg' | 'sqlite' = DIALECT): Promise<{ a: Knex; b: Knex; cleanup(): Promise<void> }> {
  if (dialect === 'pg') {
    const t = await createTestDb();
    const b = openDatabase(t.database);
    return { a: t.db, b, cleanup: async () => (await b.destroy(), await t.cleanup()) };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-shared-'));
  const database = { client: 'sqlite' as const, filename: path.join(dir, 'shared.sqlite') };
  const a = openDatabase(database);
  await migrateLatest(a);
  const b = openDatabase(database);
  return { a, b, cleanup: async () => (await a.destroy(), await b.destroy(), rmSync(dir, { recursive: true, force: true })) };
}
