/**
 * A PostgreSQL database holding a bench's dataset. Large datasets take minutes to build, so with
 * IPOCKET_BENCH_KEEP=1 the database is named for the bench and its size, kept afterwards and
 * reused by the next run (migrated to the branch's latest first); otherwise it is a fresh one,
 * dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { openDatabase } from '../src/db/connection.js';
import { migrateLatest } from '../src/db/migrate.js';

export interface BenchDatabase {
  db: Knex;
  label: string;
  drop(): Promise<void>;
}

/** `serverUrl`'s server gets database `<base>_<size>` (kept) or `<base>_<random>`, migrated and filled by `generate`. */
export async function pgBenchDataset(serverUrl: string, base: string, size: number, generate: (db: Knex) => Promise<void>): Promise<BenchDatabase> {
  const keep = process.env.IPOCKET_BENCH_KEEP === '1';
  const name = keep ? `${base}_${size}` : `${base}_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const exists = keep && ((await admin.raw('SELECT 1 FROM pg_database WHERE datname = ?', [name])) as { rows: unknown[] }).rows.length > 0;
  if (exists) {
    const db = openDatabase({ client: 'pg', connectionString: url.toString() });
    // A kept database is only complete once its marker table exists (a build cut short is rebuilt).
    if (await db.schema.hasTable('ipocket_bench_complete')) {
      await migrateLatest(db);
      return { db, label: 'PostgreSQL (kept dataset)', drop: async () => { await db.destroy(); await admin.destroy(); } };
    }
    await db.destroy();
    await admin.raw(`DROP DATABASE ${name} WITH (FORCE)`);
  }
  await admin.raw(`CREATE DATABASE ${name}`);
  const db = openDatabase({ client: 'pg', connectionString: url.toString() });
  await migrateLatest(db);
  await generate(db);
  if (keep) await db.schema.createTable('ipocket_bench_complete', (t) => t.integer('id'));
  return {
    db,
    label: 'PostgreSQL',
    async drop() {
      await db.destroy();
      if (!keep) await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
