/**
 * The HTTP API under load (loopback only, bounded): a list page of 50 with filters, /metrics and
 * /sd/node at 100k and 1M assets on SQLite. The server runs in this process; autocannon runs in a
 * child process so it does not share the event loop. Targets at 1M: list page p50 < 15 ms,
 * /metrics < 100 ms, /sd/node (all targets) < 2 s.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/server.js';
import { openBenchDb } from './dataset.js';
import { benchSizes, fmt } from './stats.js';

const run$ = promisify(execFile);
const AUTOCANNON = path.join(process.cwd(), 'node_modules', '.bin', 'autocannon');

interface Result {
  latency: { p50: number; p99: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

/** One autocannon run: `duration` seconds or `amount` requests, against loopback only. */
async function cannon(url: string, opts: { connections: number; duration?: number; amount?: number }): Promise<Result> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error('benchmarks only talk to loopback');
  const args = ['-j', '-n', '-c', String(opts.connections), '-t', '60'];
  if (opts.amount) args.push('-a', String(opts.amount));
  else args.push('-d', String(opts.duration ?? 8));
  const { stdout } = await run$(AUTOCANNON, [...args, url], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as Result;
}

const LIST_CASES: [string, string][] = [
  ['list page 50', '/ip-assets?limit=50'],
  ['list page 50, project + type', '/ip-assets?limit=50&project_id=7&type=VM'],
  ['list page 50, project + type + tag', '/ip-assets?limit=50&project_id=7&type=VM&tags=web'],
  ['list page 50, unassigned-only', '/ip-assets?limit=50&unassigned-only=true'],
  ['list page 50, offset 500k', '/ip-assets?limit=50&offset=500000'],
];

export async function run(): Promise<void> {
  for (const n of benchSizes()) {
    const db = await openBenchDb(n);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-bench-api-'));
    const config = loadConfig({ IPOCKET_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    const app = await buildApp({ config, db });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const rows: Record<string, string>[] = [];
    // Server CPU per request (this process; autocannon runs in a child): comparable even when the machine is busy.
    const measured = async (name: string, url: string, opts: Parameters<typeof cannon>[1]): Promise<void> => {
      const c0 = process.cpuUsage();
      const r = await cannon(base + url, opts);
      const cpu = process.cpuUsage(c0);
      rows.push({
        case: name,
        p50: fmt(r.latency.p50),
        p99: fmt(r.latency.p99),
        max: fmt(r.latency.max),
        'req/s': r.requests.average.toFixed(1),
        requests: String(r.requests.total),
        'server CPU ms/req': fmt((cpu.user + cpu.system) / 1000 / Math.max(1, r.requests.total)),
        'non-2xx': String(r.non2xx + r.errors),
      });
    };

    // Cold /metrics: the first scrape computes range utilization synchronously.
    let t = process.hrtime.bigint();
    await fetch(`${base}/metrics`).then((r) => r.text());
    const cold = Number(process.hrtime.bigint() - t) / 1e6;
    for (const [name, url] of LIST_CASES) await measured(name, url, { connections: 2, duration: 8 });
    await measured('/metrics (warm; ranges refreshed in background)', '/metrics', { connections: 1, duration: 8 });
    await measured('/sd/node (all targets)', '/sd/node', { connections: 1, amount: n >= 1_000_000 ? 6 : 20 });
    await measured('/sd/node?group_by=project', '/sd/node?group_by=project', { connections: 1, amount: n >= 1_000_000 ? 6 : 20 });
    t = process.hrtime.bigint();
    const sd = await fetch(`${base}/sd/node`).then((r) => r.json() as Promise<{ targets: string[] }[]>);
    const sdMs = Number(process.hrtime.bigint() - t) / 1e6;

    console.log(`\nHTTP API on SQLite, ${n.toLocaleString('en')} assets (ms; autocannon, loopback; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
    console.table(rows);
    console.log(`cold /metrics (first scrape, computes 1000 ranges' utilization): ${fmt(cold)} ms`);
    console.log(`/sd/node: ${sd[0]?.targets.length.toLocaleString('en')} targets in one group, one fetch+parse ${fmt(sdMs)} ms`);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await db.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
