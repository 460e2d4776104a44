/** kill -9 in the middle of an apply leaves the database exactly as it was before the run. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import knexFactory from 'knex';
import type { AppConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { createTestDb, DIALECT } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';
import { inventoryCounts } from './helpers/app.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers/apply-child.ts');

test(`a killed apply leaves the database as it was (${DIALECT})`, async () => {
  let database: AppConfig['database'];
  let cleanup: () => Promise<void>;
  if (DIALECT === 'sqlite') {
    // A file (not :memory:) so a second process can open it: WAL, as in production.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-crash-'));
    database = { client: 'sqlite', filename: path.join(dir, 'crash.sqlite') };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const t = await createTestDb();
    await t.db.destroy();
    const pgDatabase = t.database as { client: 'pg'; connectionString: string };
    database = pgDatabase;
    const name = new URL(pgDatabase.connectionString).pathname.slice(1);
    cleanup = async () => {
      const admin = knexFactory({ client: 'pg', connection: process.env.TEST_DATABASE_URL, pool: { min: 0, max: 1 } });
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    };
  }
  let db = openDatabase(database);
  try {
    await migrateLatest(db);
    const s = servicesFor(db);
    const p = await s.projects.create({ name: 'before' });
    await s.assets.create({ ip_address: '10.99.0.1', type: 'OS', project_id: p.id, tags: ['pre'] });
    await s.assets.create({ ip_address: '10.99.0.2', type: 'VM' });
    const before = await inventoryCounts(db);
    await db.destroy();

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, CHILD_DATABASE: JSON.stringify(database), CHILD_COUNT: '30000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child never reached the apply: ${out} ${err}`)), 120_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('APPLYING')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`child exited early: ${out} ${err}`)));
    });
    assert.ok(!out.includes('FINISHED'));
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    db = openDatabase(database);
    assert.deepEqual(await inventoryCounts(db), before);
    assert.equal(await db('projects').where({ name: 'crash-project' }).first(), undefined);
    // The run itself was recorded when it started, and shows it never finished.
    const run = (await db('import_runs').orderBy('id', 'desc').first()) as { status: string; mode: string };
    assert.deepEqual([run.mode, run.status], ['apply', 'running']);
    // The database is still usable: a normal write works.
    await servicesFor(db).assets.create({ ip_address: '10.99.0.3', type: 'VM' });
  } finally {
    await db.destroy().catch(() => undefined);
    await cleanup();
  }
});
