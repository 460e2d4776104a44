/**
 * The HTTP API under a mixed load: 20 clients, each with its own bearer token, for 60 s against a
 * real `ipocket serve` process (spawned, loopback only), about 80 % reads (list pages with and
 * without filters, one asset, hosts, ranges, projects, tags) and 20 % writes (creates and note
 * edits). Prints req/s, latency percentiles and every non-2xx answer. Goals: p99 < 100 ms on both
 * databases, PostgreSQL at least as fast as SQLite, 0 errors.
 *
 * Usage: npm run bench -- load   (IPOCKET_BENCH_DATABASE_URL=postgres://… for PostgreSQL: a
 * database is created there and dropped again; IPOCKET_BENCH_LOAD_SECONDS=10 for a short run;
 * IPOCKET_BENCH_LOAD_ASSETS=20000 assets seeded; IPOCKET_BENCH_LOAD_CLIENTS=20;
 * IPOCKET_BENCH_LOAD_CPU_PROFILE=<dir> writes the server's CPU profile there;
 * IPOCKET_BENCH_LOAD_REQUESTS=5000 measures that many requests instead of a time span and
 * IPOCKET_BENCH_LOAD_WARMUP=1000 sends that many first: on a shared machine, server CPU ms per
 * request over a fixed, warm span is the figure to compare).
 * Non-2xx answers of the warm-up count as failures too; /metrics' per-route table includes it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import knexFactory, { type Knex } from 'knex';
import type { AppConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateLatest } from '../src/db/migrate.js';
import { getPlugin } from '../src/plugins/registry.js';
import { runPlugin } from '../src/plugins/runner.js';
import { SYSTEM_ACTOR } from '../src/services/context.js';
import { UsersService } from '../src/services/users.js';
import { generateInventory } from './import-data.js';

/** Built (dist/bench/load.bench.mjs, scripts/build-benches.mjs) the server runs from dist/ as production does; under tsx from src/. */
const BUILT = import.meta.url.endsWith('.mjs');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), BUILT ? '../..' : '..');
const SERVER_ENTRY = BUILT ? [path.join(ROOT, 'dist/src/cli/index.js')] : ['--import', 'tsx', path.join(ROOT, 'src/cli/index.ts')];
const PG_URL = process.env.IPOCKET_BENCH_DATABASE_URL ?? '';
const SECONDS = Number(process.env.IPOCKET_BENCH_LOAD_SECONDS ?? 60);
const ASSETS = Number(process.env.IPOCKET_BENCH_LOAD_ASSETS ?? 20_000);
const CLIENTS = Number(process.env.IPOCKET_BENCH_LOAD_CLIENTS ?? 20);
/** A fixed number of measured requests instead of SECONDS: CPU per request comparable on a busy machine. */
const AMOUNT = Number(process.env.IPOCKET_BENCH_LOAD_REQUESTS ?? 0);
/** Requests sent (and checked) before measuring starts. */
const WARMUP = Number(process.env.IPOCKET_BENCH_LOAD_WARMUP ?? 0);
const PASSWORD = 'load-bench-password';
/** A folder for a V8 CPU profile of the server (open it in Chrome DevTools): where its time goes under load. */
const PROFILE_DIR = process.env.IPOCKET_BENCH_LOAD_CPU_PROFILE ?? '';
/** PostgreSQL with pg_stat_statements loaded: print the N statements that took the most time in the measured span. */
const PG_TOP = Number(process.env.IPOCKET_BENCH_LOAD_PG_TOP ?? 0);

/** CPU seconds per PostgreSQL backend (pid) and the statements run so far in the bench's database. */
interface DbSample {
  cpu: Map<number, number>;
  statements: number | null;
}

/** CPU seconds the backends used between two samples (a backend started in between counts in full) and the statements run. */
function dbUsed(a: DbSample, b: DbSample): { cpuSeconds: number; statements: number | null } {
  let cpuSeconds = 0;
  for (const [pid, s] of b.cpu) cpuSeconds += s - (a.cpu.get(pid) ?? 0);
  return { cpuSeconds, statements: a.statements === null || b.statements === null ? null : b.statements - a.statements };
}

interface BenchDatabase {
  database: AppConfig['database'];
  url: string;
  drop: () => Promise<void>;
  /** PostgreSQL only: the server's backends for this database (CPU from /proc) and statements run (pg_stat_statements, when loaded). */
  sample?: () => Promise<DbSample>;
  /** PostgreSQL with pg_stat_statements: the statements that took the most time since `since` (a snapshot of the view). */
  topStatements?: (since: Map<string, StatementTimes>, n: number) => Promise<Record<string, unknown>[]>;
  statementTimes?: () => Promise<Map<string, StatementTimes>>;
}

interface StatementTimes {
  query: string;
  calls: number;
  planMs: number;
  execMs: number;
}

async function freshDatabase(dir: string): Promise<BenchDatabase> {
  if (!PG_URL) {
    const filename = path.join(dir, 'load.sqlite');
    return { database: { client: 'sqlite', filename }, url: `sqlite:${filename}`, drop: async () => undefined };
  }
  const name = `ipocket_load_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: PG_URL, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const statementTimes = async (): Promise<Map<string, StatementTimes>> => {
    const sql = `SELECT queryid::text AS id, query, calls, total_plan_time AS plan, total_exec_time AS exec FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = ?)`;
    const rows = (await admin.raw<{ rows: { id: string; query: string; calls: string; plan: number; exec: number }[] }>(sql, [name])).rows;
    return new Map(rows.map((r) => [r.id, { query: r.query, calls: Number(r.calls), planMs: r.plan, execMs: r.exec }]));
  };
  return {
    database: { client: 'pg', connectionString: url.toString() },
    url: url.toString(),
    drop: async () => {
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
    sample: async () => {
      // Backends that ended since the last sample are lost from the sum: the pool keeps its connections while busy.
      const pids = (await admin.raw<{ rows: { pid: number }[] }>('SELECT pid FROM pg_stat_activity WHERE datname = ?', [name])).rows.map((r) => r.pid);
      let statements: number | null = null;
      try {
        const sql = 'SELECT sum(calls) AS n FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = ?)';
        statements = Number((await admin.raw<{ rows: { n: string | null }[] }>(sql, [name])).rows[0]?.n ?? 0);
      } catch {
        // pg_stat_statements is not loaded there (shared_preload_libraries) or not created in that database.
      }
      return { cpu: new Map(pids.map((pid) => [pid, processCpuSeconds(pid) || 0])), statements };
    },
    statementTimes,
    topStatements: async (since, n) => {
      const now = await statementTimes();
      const spent = [...now].map(([id, t]) => {
        const b = since.get(id);
        return { query: t.query, calls: t.calls - (b?.calls ?? 0), planMs: t.planMs - (b?.planMs ?? 0), execMs: t.execMs - (b?.execMs ?? 0) };
      });
      return spent
        .filter((t) => t.calls > 0)
        .sort((a, b) => b.planMs + b.execMs - (a.planMs + a.execMs))
        .slice(0, n)
        .map((t) => ({ calls: t.calls, 'plan ms/call': (t.planMs / t.calls).toFixed(3), 'exec ms/call': (t.execMs / t.calls).toFixed(3), 'total ms': Math.round(t.planMs + t.execMs), query: t.query.replace(/\s+/g, ' ').slice(0, 140) }));
    },
  };
}

async function seed(db: Knex): Promise<void> {
  const gen = generateInventory(ASSETS);
  const out = await runPlugin(db, SYSTEM_ACTOR, { plugin: getPlugin('bundle'), input: { files: [{ name: 'seed.json', data: gen.bundle }] }, dryRun: false, limits: { maxRows: 10_000_000, zipMaxEntries: 32, zipMaxBytes: 1 << 30 } });
  if (out.status !== 'succeeded') throw new Error(`seed failed: ${out.error?.message ?? out.status}`);
  const users = new UsersService({ db, actor: SYSTEM_ACTOR });
  await users.create({ username: 'loader', password: PASSWORD, role: 'editor' });
}

/** CPU seconds (user + system) the process has used so far, from /proc (Linux). */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Count and mean duration per route, from the server's own request histogram. */
async function routeTimes(base: string): Promise<Record<string, { count: number; 'mean ms': number }>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sums = new Map<string, { sum: number; count: number }>();
  for (const m of text.matchAll(/^ipocket_http_request_duration_seconds_(sum|count)\{([^}]*)\} (\S+)$/gm)) {
    const labels = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    const key = `${labels.method} ${labels.route} ${labels.status}`;
    const e = sums.get(key) ?? { sum: 0, count: 0 };
    if (m[1] === 'sum') e.sum += Number(m[3]);
    else e.count += Number(m[3]);
    sums.set(key, e);
  }
  return Object.fromEntries([...sums].filter(([, e]) => e.count > 0).map(([k, e]) => [k, { count: e.count, 'mean ms': Math.round((e.sum / e.count) * 10000) / 10 }]));
}

/** One request of the mix, chosen by a counter so every run sends the same sequence. */
function pick(n: number, token: string): { method: 'GET' | 'POST' | 'PATCH'; path: string; headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  const asset = (k: number): string => `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
  const k = (n * 7919) % Math.max(1, ASSETS - 10);
  // IPv4 asset numbers (every 10th generated asset is IPv6).
  const v4 = k % 10 === 9 ? k - 1 : k;
  switch (n % 20) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
      return { method: 'GET', path: `/ip-assets?limit=50&offset=${k % 5000}`, headers };
    case 5:
    case 6:
      return { method: 'GET', path: `/ip-assets?limit=50&project_id=${1 + (n % 25)}&type=VM`, headers };
    case 7:
      return { method: 'GET', path: `/ip-assets?limit=50&tags=web`, headers };
    case 8:
    case 9:
      return { method: 'GET', path: `/ip-assets/${asset(v4)}`, headers };
    case 10:
    case 11:
      return { method: 'GET', path: `/hosts?limit=50&offset=${k % 500}`, headers };
    case 12:
      return { method: 'GET', path: '/ranges', headers };
    case 13:
      return { method: 'GET', path: '/projects', headers };
    case 14:
      return { method: 'GET', path: '/tags', headers };
    case 15:
      return { method: 'GET', path: `/ip-assets?limit=50&q=team-${n % 13}`, headers };
    case 16:
    case 17:
      // New addresses in 172.16.0.0/12: never in the seed, never twice.
      return { method: 'POST', path: '/ip-assets', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ ip_address: `172.${16 + ((n >> 16) & 15)}.${(n >> 8) & 255}.${n & 255}`, type: 'VM', tags: ['load'] }) };
    default:
      return { method: 'PATCH', path: `/ip-assets/${asset(v4)}`, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ notes: `load ${n}` }) };
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-bench-load-'));
  const bench = await freshDatabase(dir);
  const { database, url: databaseUrl, drop, sample } = bench;
  // How the server reaches PostgreSQL matters to its CPU per request: a socket directory as host is a Unix socket.
  const dialect = database.client === 'pg' ? `PostgreSQL (${decodeURIComponent(new URL(PG_URL).hostname).startsWith('/') ? 'Unix socket' : 'TCP'})` : 'SQLite';
  const db = openDatabase(database);
  await migrateLatest(db);
  await seed(db);
  await db.destroy();

  const server = spawn(process.execPath, [...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), ...SERVER_ENTRY, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, IPOCKET_DATA_DIR: dir, HOST: '127.0.0.1', PORT: '0', IPOCKET_SCHEDULER: '0', IPOCKET_ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  server.stdout.on('data', (d: Buffer) => (out += d.toString()));
  server.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
      server.stdout.on('data', () => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      server.on('exit', () => reject(new Error(`server exited: ${out}`)));
    });
    if (!base.startsWith('http://127.0.0.1:')) throw new Error('benchmarks only talk to loopback');
    const tokens: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const r = await fetch(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'loader', password: PASSWORD }) });
      tokens.push(((await r.json()) as { access_token: string }).access_token);
    }
    let n = 0;
    let client = 0;
    const statuses = new Map<string, number>();
    const fire = (span: { duration: number } | { amount: number }): Promise<autocannon.Result> => new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: base,
          connections: CLIENTS,
          ...span,
          timeout: 30,
          initialContext: {},
          requests: [
            {
              // One token per connection (the context lives as long as the connection's pipeline).
              setupRequest: (req, context) => {
                const c = context as { token?: string };
                c.token ??= tokens[client++ % tokens.length]!;
                return { ...req, ...pick(n++, c.token) };
              },
              onResponse: (status) => {
                if (status >= 300) statuses.set(String(status), (statuses.get(String(status)) ?? 0) + 1);
              },
            },
          ],
        },
        (err, res) => (err ? reject(err) : resolve(res)),
      );
      instance.on('reqError', (err: Error) => statuses.set(`error ${err.message}`, (statuses.get(`error ${err.message}`) ?? 0) + 1));
    });
    // A warm-up (the same mix, answers checked, figures not kept) leaves module loading and JIT out.
    const warm = WARMUP > 0 ? await fire({ amount: WARMUP }) : null;
    const cpu0 = process.cpuUsage();
    const serverCpu0 = processCpuSeconds(server.pid!);
    const db0 = await sample?.();
    const statements0 = PG_TOP > 0 ? await bench.statementTimes?.().catch(() => undefined) : undefined;
    const result = await fire(AMOUNT > 0 ? { amount: AMOUNT } : { duration: SECONDS });
    const cpu = process.cpuUsage(cpu0);
    const serverCpu = processCpuSeconds(server.pid!) - serverCpu0;
    const db1 = await sample?.();
    const dbSpent = db0 && db1 ? dbUsed(db0, db1) : null;
    const perRequest = (x: number): string => (x / Math.max(1, result.requests.total)).toFixed(2);
    const routes = await routeTimes(base);
    const span = AMOUNT > 0 ? `${AMOUNT.toLocaleString('en')} requests` : `${SECONDS} s`;
    console.log(`\nMixed API load on ${dialect}: ${CLIENTS} clients, ${span}${warm ? ` after ${WARMUP.toLocaleString('en')} warm-up requests` : ''}, ${ASSETS.toLocaleString('en')} seeded assets (loopback; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs)`);
    console.table([
      {
        db: dialect,
        'req/s': Math.round(result.requests.average),
        requests: result.requests.total,
        'p50 ms': result.latency.p50,
        'p90 ms': result.latency.p90,
        'p99 ms': result.latency.p99,
        'max ms': result.latency.max,
        'non-2xx': result.non2xx,
        errors: result.errors + result.timeouts,
        'server CPU ms/req': perRequest(serverCpu * 1000),
        ...(dbSpent ? { 'PG CPU ms/req': perRequest(dbSpent.cpuSeconds * 1000) } : {}),
        ...(dbSpent?.statements != null ? { 'statements/req': perRequest(dbSpent.statements) } : {}),
        'bench CPU s': ((cpu.user + cpu.system) / 1e6).toFixed(1),
      },
    ]);
    if (statements0) {
      console.log(`The ${PG_TOP} statements that took the most PostgreSQL time (pg_stat_statements):`);
      console.table(await bench.topStatements!(statements0, PG_TOP));
    }
    console.log('Mean server time per route (ms, from /metrics):');
    console.table(routes);
    if (statuses.size > 0) console.log('Non-2xx answers and errors:', Object.fromEntries(statuses));
    const warmFailures = warm ? warm.non2xx + warm.errors + warm.timeouts : 0;
    if (warmFailures + result.non2xx + result.errors + result.timeouts > 0 || result.latency.p99 >= 100) process.exitCode = 1;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode === null ? server.once('exit', r) : r(null)));
    if (process.env.IPOCKET_BENCH_LOAD_KEEP) console.log(`Kept the database: ${databaseUrl}`);
    else {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) await run();
