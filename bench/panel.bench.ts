/**
 * The panel (issue 4): start-up time of the compiled server with the prebuilt bundle, and the
 * IP assets list as the browser loads it (HTML shell + the list API call) over 1M assets.
 * Needs `npm run build` first. Run: npm run bench -- panel
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openBenchDb } from './dataset.js';
import { benchSizes, fmt, measure } from './stats.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PASSWORD = 'bench-password-1';

async function waitFor(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${url} did not answer in time`);
}

/** Spawns `node dist/bundle/cli.mjs serve` (what `npm start` runs) and times it until /health, then /ui/login, answer 200. */
async function startOnce(dataDir: string, port: number): Promise<{ health: number; wall: number; reported: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/bundle/cli.mjs'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: '', IPOCKET_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), IPOCKET_ADMIN_PASSWORD: PASSWORD, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await waitFor(`http://127.0.0.1:${port}/health`, Date.now() + 30_000);
    const health = performance.now() - started;
    await waitFor(`http://127.0.0.1:${port}/ui/login`, Date.now() + 30_000);
    const wall = performance.now() - started;
    return { health, wall, reported: Number(/in (\d+) ms/.exec(out)?.[1] ?? NaN) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function startup(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist/bundle/cli.mjs')) || !existsSync(path.join(ROOT, 'build/adminjs/bundle.js'))) {
    console.log('skipped start-up: run `npm run build` first');
    return;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ipocket-bench-start-'));
  const port = 18_000 + Math.floor(Math.random() * 1000);
  await startOnce(dataDir, port); // first start creates the database and the admin
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await startOnce(dataDir, port));
  runs.sort((a, b) => a.wall - b.wall);
  const mid = runs[2]!;
  console.log('\nStart-up of `node dist/bundle/cli.mjs serve` (prebuilt bundle, SQLite), median of 5:');
  console.table([{ 'spawn → /health 200 (ms)': fmt(mid.health), 'spawn → /ui/login 200 (ms)': fmt(mid.wall), 'listening, reported by serve (ms)': fmt(mid.reported), 'min to /ui/login (ms)': fmt(runs[0]!.wall) }]);
}

async function listPage(n: number): Promise<void> {
  // AdminJS reads these at import time: serve the prebuilt production bundle as `npm start` does.
  process.env.NODE_ENV = 'production';
  process.env.ADMIN_JS_TMP_DIR ||= path.join(ROOT, 'build/adminjs');
  if (!existsSync(path.join(process.env.ADMIN_JS_TMP_DIR, 'bundle.js'))) {
    console.log('skipped list page: run `npm run build` first');
    return;
  }
  const [{ loadConfig }, { buildApp }, { UsersService }, { SYSTEM_ACTOR }] = await Promise.all([
    import('../src/config.js'),
    import('../src/server.js'),
    import('../src/services/users.js'),
    import('../src/services/context.js'),
  ]);
  const db = await openBenchDb(n);
  const users = new UsersService({ db, actor: SYSTEM_ACTOR });
  if (!(await users.list()).some((u) => u.username === 'bench-panel')) await users.create({ username: 'bench-panel', password: PASSWORD, role: 'viewer' });
  const config = loadConfig({ IPOCKET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ipocket-bench-panel-')), SESSION_SECRET: 'b'.repeat(40) });
  const app = await buildApp({ config, db });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const login = await fetch(`${base}/ui/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `username=bench-panel&password=${PASSWORD}` });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const get = async (p: string): Promise<{ total?: number }> => {
    const res = await fetch(base + p, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${p}: HTTP ${res.status}`);
    const text = await res.text();
    return p.includes('/api/') ? ((JSON.parse(text) as { meta?: { total: number } }).meta ?? {}) : {};
  };
  const api = '/ui/api/resources/ip_assets/actions/list';
  const cases: [string, string][] = [
    ['list page HTML shell', '/ui/resources/ip_assets'],
    ['list API, page 1 (20, by IP)', `${api}?page=1`],
    ['list API, page 1 by IP desc', `${api}?page=1&sortBy=ip_address&direction=desc`],
    ['list API, page 500', `${api}?page=500`],
    ['list API, 100 per page', `${api}?page=1&perPage=100`],
    ['filter type=BMC', `${api}?filters.type=BMC`],
    ['filter CIDR 10.1.0.0/16', `${api}?filters.ip_address=${encodeURIComponent('10.1.0.0/16')}`],
    ['filter project_id=7', `${api}?filters.project_id=7`],
    ['filter tags=critical', `${api}?filters.tags=critical`],
    ['filter notes contains "gateway"', `${api}?filters.notes=gateway`],
    ['search (reference picker) "10.1.2."', `/ui/api/resources/ip_assets/search/${encodeURIComponent('10.1.2.')}`],
  ];
  console.log(`\nPanel over HTTP, SQLite, ${n.toLocaleString('en')} assets (ms, median / p95 of 20, logged-in viewer)`);
  const rows: Record<string, string>[] = [];
  for (const [name, p] of cases) {
    let total: number | undefined;
    const s = await measure(async () => {
      total = (await get(p)).total;
    });
    rows.push({ case: name, median: fmt(s.median), p95: fmt(s.p95), total: total === undefined ? '' : total.toLocaleString('en') });
  }
  console.table(rows);
  await new Promise((r) => server.close(r));
  await db.destroy();
}

export async function run(): Promise<void> {
  await startup();
  for (const n of benchSizes()) await listPage(n);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
