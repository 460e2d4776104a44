/** A migrated-later database that other processes can open too: a SQLite file (WAL) or a new PostgreSQL database. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import type { AppConfig } from '../../../src/config.js';
import { createTestDb, DIALECT } from '../../helpers/db.js';

export async function sharedTestDatabase(prefix: string): Promise<{ database: AppConfig['database']; cleanup: () => Promise<void> }> {
  if (DIALECT === 'sqlite') {
    // A file, not :memory:, so a child process can open it.
    const dir = mkdtempSync(path.join(os.tmpdir(), `ipocket-${prefix}-`));
    return { database: { client: 'sqlite', filename: path.join(dir, `${prefix}.sqlite`) }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const t = await createTestDb();
  await t.db.destroy();
  const name = new URL((t.database as { connectionString: string }).connectionString).pathname.slice(1);
  return {
    database: t.database,
    cleanup: async () => {
      const admin = knexFactory({ client: 'pg', connection: process.env.TEST_DATABASE_URL, pool: { min: 0, max: 1 } });
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
