/**
 * While a large import's apply transaction is open, other writers keep working: on PostgreSQL a
 * create in the same /16 as the import (same ip_key_blocks and ip_asset_counts rows) goes through
 * at once instead of waiting for the import's commit, because the bulk writer no longer touches
 * the counter rows before its last step. On SQLite (one writer) reads keep answering.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { openDatabase } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { formatTimestamp } from '../../src/domain/time.js';
import { DIALECT } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';
import { sharedTestDatabase } from './helpers/shared-db.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers/apply-child.ts');

test(`others keep writing (PostgreSQL) and reading (SQLite) while an import's apply is open (${DIALECT})`, async () => {
  const { database, cleanup } = await sharedTestDatabase('lockwin');
  const db = openDatabase(database);
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, CHILD_DATABASE: JSON.stringify(database), CHILD_COUNT: '12000' }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await migrateLatest(db);
    await servicesFor(db).assets.create({ ip_address: '10.100.200.1', type: 'VM' });
    // The child writes 10.100.0.0 … 10.100.46.223 and freezes inside its transaction after the first chunk.
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`child never reached the apply: ${out}`)), 120_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('APPLYING')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`child exited early: ${out}`)));
    });
    if (DIALECT === 'pg') {
      const started = Date.now();
      await db.transaction(async (trx) => {
        // Waiting on the import's locks fails fast here instead of hanging the test.
        await trx.raw(`SET LOCAL lock_timeout = '3s'`);
        const now = formatTimestamp();
        await trx('ip_assets').insert({ ip_address: '10.100.250.7', ip_version: 4, ip_key: '00000000000000000000ffff0a64fa07', type: 'VM', archived: false, created_at: now, updated_at: now });
        await trx('ip_assets').where({ ip_address: '10.100.200.1' }).update({ archived: true });
      });
      assert.ok(Date.now() - started < 3000, 'the create did not wait for the import');
    }
    const page = await servicesFor(db).assets.list({ limit: 5 });
    assert.ok(page.items.length > 0);
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode === null && child.signalCode === null ? child.once('exit', r) : r(null)));
    await db.destroy();
    await cleanup();
  }
});
