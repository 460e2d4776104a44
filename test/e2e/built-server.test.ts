/**
 * The artifact users run: `npm start` / the `ipocket` bin start dist/bundle/cli.mjs (the esbuild
 * bundle of the server, with AdminJS's component bundler stubbed out). The other suites import the
 * sources; this one proves the bundle itself serves the panel, the API docs and the CLI.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { isLoopback, launchChromium, shot } from './harness.js';

const CLI = path.resolve('dist/bundle/cli.mjs');

let child: ChildProcess | undefined;
let browser: Browser | undefined;
let tdb: TestDb | undefined;
let env: NodeJS.ProcessEnv;
let url = '';
let adminPassword = '';

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `node dist/bundle/cli.mjs serve` on a free port and reads the URL and first admin's password it prints. */
async function serve(): Promise<void> {
  child = spawn(process.execPath, [CLI, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bundled server printed no login details in 30 s:\n${out}\n${err}`)), 30_000);
    child!.once('exit', (code) => reject(new Error(`the bundled server exited with ${code}:\n${out}\n${err}`)));
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(out);
      const password = /Password \(shown once[^)]*\): (\S+)/.exec(out);
      if (listening && password) {
        url = listening[1]!;
        adminPassword = password[1]!;
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

describe('the bundled server (dist/bundle/cli.mjs)', () => {
  before(async () => {
    if (!existsSync(CLI) || !existsSync('build/adminjs/bundle.js')) throw new Error('dist/bundle/cli.mjs or build/adminjs/bundle.js is missing: run `npm run build` first (.ci/run does).');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ipocket-bundled-'));
    env = { PATH: process.env.PATH, HOME: process.env.HOME, IPOCKET_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', IPOCKET_SCHEDULER: 'off' };
    if (DIALECT === 'pg') {
      tdb = await createTestDb();
      env.DATABASE_URL = tdb.database.client === 'pg' ? tdb.database.connectionString : '';
    }
    await serve();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await tdb?.cleanup();
  });

  test('the first admin logs in with the printed password and the panel renders from the prebuilt bundle', async () => {
    const page = await browser!.newPage({ viewport: { width: 1366, height: 900 } });
    const requested: string[] = [];
    const failed: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/`);
    assert.equal(new URL(page.url()).pathname, '/ui/login');
    await page.fill('#username', 'admin');
    await page.fill('#password', adminPassword);
    // The generated password was printed to a log: the first login asks for a new one first.
    await Promise.all([page.waitForURL(`${url}/ui/pages/change-password`), page.click('button:has-text("Log in")')]);
    await page.waitForSelector('[data-testid="password-required"]');
    await page.fill('#current_password', adminPassword);
    await page.fill('#new_password', 'bundled-admin-own-1');
    await page.fill('#confirm_password', 'bundled-admin-own-1');
    await Promise.all([page.waitForURL(`${url}/ui`), page.click('button:has-text("Change password")')]);
    await page.waitForSelector('[data-testid="total-ip_assets"]');
    assert.match(await page.locator('[data-testid="build-info"]').first().innerText(), /ipocket v\d/);
    await shot(page, 'bundled-01-dashboard');

    // A write through an AdminJS action: adapter, services and audit all run from the bundle.
    await page.goto(`${url}/ui/resources/users/actions/new`);
    await page.fill('[name="username"]', 'vera');
    await page.fill('[name="password"]', 'bundled-pass-1');
    await page.click('button[type="submit"]');
    await page.waitForSelector('tbody >> text=vera');
    await page.goto(`${url}/ui/resources/audit_log`);
    await page.waitForSelector('text=vera');
    await shot(page, 'bundled-02-audit-log');

    assert.deepEqual(failed, [], 'every request of the panel answered');
    assert.deepEqual(errors, [], 'no script error in the page');
    assert.deepEqual(requested.filter((u) => !isLoopback(u)), [], 'nothing leaves loopback');
    await page.close();
  });

  test('the API docs, /health and /metrics answer', async () => {
    const docs = await fetch(`${url}/docs`);
    assert.equal(docs.status, 200);
    assert.match(await docs.text(), /swagger/i);
    const health = (await (await fetch(`${url}/health`)).json()) as { status: string; version: string };
    assert.equal(health.status, 'ok');
    const metrics = await fetch(`${url}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /ipocket_/);
  });

  test('the CLI commands run from the bundle and see what the panel wrote', () => {
    const created = cli('user', 'create', 'eddie', '--role', 'editor', '--password', 'bundled-pass-2');
    assert.equal(created.status, 0, created.stderr);
    const listed = cli('user', 'list');
    assert.equal(listed.status, 0, listed.stderr);
    const lines = listed.stdout.split('\n');
    assert.ok(lines.some((l) => /'vera'.*'viewer'/.test(l)), `the user made in the panel is listed:\n${listed.stdout}`);
    assert.ok(lines.some((l) => /'eddie'.*'editor'/.test(l)), `the user made by the CLI is listed:\n${listed.stdout}`);
    const unknown = cli('frobnicate');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /Unknown command "frobnicate"/);
  });
});
