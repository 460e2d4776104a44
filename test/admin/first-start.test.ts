/**
 * The first `serve` on an empty database: the only account is a superuser, who cannot write
 * inventory, so what it prints must say so and name the command that creates an editor.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';

let child: ChildProcess | undefined;
let tdb: TestDb | undefined;

after(async () => {
  child?.kill('SIGTERM');
  if (child && child.exitCode === null) await new Promise((r) => child!.once('exit', r));
  await tdb?.cleanup();
});

describe('first start', () => {
  test('serve tells the superuser it cannot edit inventory and how to create an editor', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, IPOCKET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ipocket-first-start-')), HOST: '127.0.0.1', PORT: '0', IPOCKET_SCHEDULER: '0', IPOCKET_BCRYPT_ROUNDS: '10', LOG_LEVEL: 'silent' };
    if (DIALECT === 'pg') {
      tdb = await createTestDb();
      if (tdb.database.client === 'pg') env.DATABASE_URL = tdb.database.connectionString;
    }
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no first-start message in 60 s:\n${out}\n${err}`)), 60_000);
      child!.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}\n${err}`)));
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        // The whole block is one console.log, so it arrives in one chunk.
        if (/Log in at/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    assert.match(out, /Created the first superuser "admin"/);
    assert.match(out, /superuser manages users but does not edit inventory/);
    assert.match(out, /npm run ipocket -- user create alice --role editor/);
  });
});
