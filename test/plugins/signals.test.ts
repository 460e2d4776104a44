/**
 * kill -9 and SIGTERM in the middle of a 50k import, on the real CLI and server processes: the
 * database is all-or-nothing, and no run is left "running" — the next start marks a killed run
 * interrupted, and SIGTERM interrupts the run itself (its apply rolls back) and exits non-zero.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import type { AppConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { DIALECT } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';
import { inventoryCounts } from './helpers/app.js';
import { sharedTestDatabase } from './helpers/shared-db.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'src/cli/index.ts');
const COUNT = 50_000;
const ADMIN_PASSWORD = 'signals-admin-pw';
const EDITOR_PASSWORD = 'signals-editor-pw';

let dir: string;
let database: AppConfig['database'];
let db: Knex;
let bundleFile: string;
let dropDatabase: () => Promise<void> = async () => undefined;
const children = new Set<ChildProcess>();

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-signals-'));
  ({ database, cleanup: dropDatabase } = await sharedTestDatabase('signals'));
  db = openDatabase(database);
  await migrateLatest(db);
  const s = servicesFor(db);
  await s.assets.create({ ip_address: '10.99.0.1', type: 'OS', tags: ['pre'] });
  await s.users.create({ username: 'admin', password: ADMIN_PASSWORD, role: 'superuser' });
  await s.users.create({ username: 'ed', password: EDITOR_PASSWORD, role: 'editor' });
  const assets = Array.from({ length: COUNT }, (_, i) => ({ ip_address: `10.${100 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255}`, type: 'VM', notes: `signal ${i}`, tags: ['sig'] }));
  bundleFile = path.join(dir, 'signals.json');
  writeFileSync(bundleFile, JSON.stringify({ app: 'ipocket', schema_version: '1', data: { projects: [{ name: 'signal-project' }], ip_assets: assets } }));
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await db.destroy();
  await dropDatabase();
  rmSync(dir, { recursive: true, force: true });
});

function childEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: database.client === 'pg' ? database.connectionString : `sqlite:${database.filename}`,
    IPOCKET_DATA_DIR: dir,
    HOST: '127.0.0.1',
    PORT: '0',
    IPOCKET_MAX_UPLOAD_MB: '64',
    IPOCKET_SCHEDULER: '0',
    IPOCKET_SHUTDOWN_GRACE_SECONDS: '0',
  };
}

interface Child {
  proc: ChildProcess;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      children.delete(proc);
      resolve({ code, signal });
    }),
  );
  return { proc, out: () => out, exited };
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, child: Child, ms = 180_000): Promise<T> {
  const deadline = Date.now() + ms;
  let exited = false;
  void child.exited.then(() => (exited = true));
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (exited) throw new Error(`the child exited before ${what}: ${child.out()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${child.out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** True while another process holds an open write transaction on ip_assets (the import's apply). */
async function applying(): Promise<boolean> {
  if (database.client === 'pg') {
    const r = (await db.raw(`SELECT COUNT(*) AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'ip_assets' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()`)) as { rows: { n: number }[] };
    return Number(r.rows[0]!.n) > 0;
  }
  const probe = new Database(database.filename, { timeout: 0 });
  try {
    probe.exec('BEGIN IMMEDIATE');
    probe.exec('ROLLBACK');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    probe.close();
  }
}

/** Waits until the newest apply run announced its transaction and the writes are under way. */
async function waitForApply(child: Child, sinceRun: number): Promise<number> {
  const runId = await until(
    'the apply to start',
    async () => {
      const row = (await db('import_run_logs as l').join('import_runs as r', 'r.id', 'l.run_id').where('r.id', '>', sinceRun).where('l.message', 'like', 'Planning and applying%').first('r.id')) as { id: number } | undefined;
      return row ? Number(row.id) : null;
    },
    child,
  );
  // Two looks in a row: a run-log write holds the lock for a moment too.
  await until('the apply transaction', async () => (await applying()) && (await new Promise((r) => setTimeout(r, 150)), await applying()), child);
  return runId;
}

async function lastRunId(): Promise<number> {
  const row = (await db('import_runs').max({ id: 'id' }).first()) as { id: number | null } | undefined;
  return Number(row?.id ?? 0);
}

async function runRow(id: number): Promise<{ status: string; error: string | null }> {
  return (await db('import_runs').where({ id }).first('status', 'error')) as { status: string; error: string | null };
}

async function startServer(): Promise<{ child: Child; url: string }> {
  const child = start(['serve']);
  const url = await until('the server to listen', async () => /listening on (http:\/\/\S+)/.exec(child.out())?.[1], child);
  return { child, url };
}

async function login(url: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  assert.equal(r.status, 200);
  return ((await r.json()) as { access_token: string }).access_token;
}

describe(`signals during a ${COUNT} import (${DIALECT})`, () => {
  test('kill -9 of a CLI import writes nothing, and the next start marks the run interrupted and says so', async () => {
    const before = await inventoryCounts(db);
    const since = await lastRunId();
    const cli = start(['import', 'bundle', bundleFile]);
    const runId = await waitForApply(cli, since);
    cli.proc.kill('SIGKILL');
    assert.equal((await cli.exited).signal, 'SIGKILL');
    assert.deepEqual(await inventoryCounts(db), before);
    assert.equal((await runRow(runId)).status, 'running');

    const { child, url } = await startServer();
    assert.match(child.out(), new RegExp(`Marked 1 run\\(s\\) interrupted whose process had stopped: #${runId}`));
    const token = await login(url, 'admin', ADMIN_PASSWORD);
    const run = (await (await fetch(`${url}/import/runs/${runId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string; error: string; log: { message: string }[] };
    assert.equal(run.status, 'interrupted');
    assert.match(run.error, /^Interrupted: the process running it \(.+\) stopped before the run finished; nothing was written/);
    assert.ok(run.log.some((l) => l.message === run.error));
    const running = await fetch(`${url}/import/runs?status=running`, { headers: { authorization: `Bearer ${token}` } });
    assert.deepEqual(await running.json(), []);
    child.proc.kill('SIGTERM');
    assert.deepEqual(await child.exited, { code: 0, signal: null }, 'nothing was in flight: a clean stop');
  });

  test('SIGTERM during a CLI import rolls it back, marks the run interrupted and exits non-zero', async () => {
    const before = await inventoryCounts(db);
    const since = await lastRunId();
    const cli = start(['import', 'bundle', bundleFile]);
    const runId = await waitForApply(cli, since);
    cli.proc.kill('SIGTERM');
    assert.deepEqual(await cli.exited, { code: 1, signal: null }, cli.out());
    assert.match(cli.out(), /SIGTERM: interrupting the run/);
    assert.deepEqual(await inventoryCounts(db), before);
    const run = await runRow(runId);
    assert.equal(run.status, 'interrupted');
    assert.match(run.error ?? '', /received SIGTERM before the run finished; nothing was written/);
  });

  test('SIGTERM while the server applies an upload: 503 to the uploader, nothing written, run interrupted, exit 1', async () => {
    const since = await lastRunId();
    const { child, url } = await startServer();
    const token = await login(url, 'ed', EDITOR_PASSWORD);
    const before = await inventoryCounts(db);
    const answer = fetch(`${url}/import/bundle`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: readFileSync(bundleFile) });
    const runId = await waitForApply(child, since);
    child.proc.kill('SIGTERM');
    const res = await answer;
    assert.equal(res.status, 503);
    assert.match(((await res.json()) as { detail: string }).detail, /shutting down \(SIGTERM\) before the run finished; nothing was written/);
    assert.deepEqual(await child.exited, { code: 1, signal: null }, child.out());
    assert.deepEqual(await inventoryCounts(db), before);
    assert.equal((await runRow(runId)).status, 'interrupted');
    assert.equal(await db('import_runs').where({ status: 'running' }).first(), undefined);
  });
});
