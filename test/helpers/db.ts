import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import knexFactory, { type Knex } from 'knex';
import { MIGRATIONS } from '../../migrations/index.js';
import { openDatabase } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import type { AppConfig } from '../../src/config.js';

/** Which database the suite runs on: PostgreSQL when TEST_DATABASE_URL is set, else SQLite. */
export const DIALECT: 'pg' | 'sqlite' = process.env.TEST_DATABASE_URL ? 'pg' : 'sqlite';

/** A `migrate` for createTestDb: every migration whose name sorts before `first` (the schema a migration test starts from). */
export function migrateBefore(first: string): (db: Knex) => Promise<unknown> {
  const older = MIGRATIONS.filter(([name]) => name < first);
  return (db) =>
    db.migrate.latest({
      migrationSource: {
        getMigrations: async () => older.map(([n]) => n),
        getMigrationName: (n: string) => n,
        getMigration: async (n: string) => older.find(([m]) => m === n)![1],
      },
    });
}

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
  const database = pgDatabase(url, name);
  let db: Knex;
  if (migrate === migrateLatest) {
    // A copy of the migrated template is the same schema and rows at a fraction of the cost.
    await admin.raw(`CREATE DATABASE ${name} TEMPLATE ${await migratedTemplate(admin, url)}`);
    db = openDatabase(database);
  } else {
    await admin.raw(`CREATE DATABASE ${name}`);
    db = openDatabase(database);
    await migrate(db);
  }
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

function pgDatabase(url: string, name: string): { client: 'pg'; connectionString: string } {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return { client: 'pg', connectionString: target.toString() };
}

/** A digest of what the schema is made from: the migrations and the src/db and src/domain code they import. */
function schemaDigest(): string {
  const hash = createHash('sha256');
  for (const dir of ['migrations', 'src/db', 'src/domain']) {
    for (const file of (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f)).sort()) hash.update(file).update(readFileSync(path.join(dir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The name of a database migrated to the latest schema, on the server of `url`, made once per
 * content of the migrations (each test file is its own process, so the cluster keeps it). It is
 * migrated under a scratch name and renamed when complete, so a file running beside another that
 * makes it too never copies a half-migrated template.
 */
async function migratedTemplate(admin: Knex, url: string): Promise<string> {
  const template = `ipocket_template_${schemaDigest()}`;
  const exists = async () => Number(((await admin('pg_database').where({ datname: template }).count({ n: '*' })) as { n: string }[])[0]?.n) > 0;
  if (await exists()) return template;
  const scratch = `${template}_${randomBytes(4).toString('hex')}`;
  await admin.raw(`CREATE DATABASE ${scratch}`);
  const db = openDatabase(pgDatabase(url, scratch));
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
  try {
    await admin.raw(`ALTER DATABASE ${scratch} RENAME TO ${template}`);
  } catch (error) {
    await admin.raw(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    if (!(await exists())) throw error;
  }
  return template;
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

/** A migrated test database for the whole file: created before its first test, dropped after its last. */
export function fileTestDb(): { readonly db: Knex } {
  let t: TestDb | undefined;
  before(async () => {
    t = await createTestDb();
  });
  after(async () => t?.cleanup());
  return {
    get db(): Knex {
      if (!t) throw new Error('the test database is created in before(): use it inside a test');
      return t.db;
    },
  };
}
