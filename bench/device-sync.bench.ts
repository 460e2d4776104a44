/**
 * VMs from vCenter plus Nutanix at scale: N VMs (default 50,000), half on the fake vCenter (25
 * ESXi hosts) and half on the fake Nutanix, each fake in its own process; 10% of the Nutanix VMs
 * are also on vCenter (same name and address: one device, two sources). Both with devices on:
 * every VM and host becomes a device with facts, disks, NICs and addresses. Steps, each in a fresh
 * child process (its own peak RSS), each vCenter then Nutanix: the first sync into an empty
 * database, then the unchanged re-sync, which must write nothing (no device history, no
 * device/fact/list row changed: counted before and after). Per source: wall time of the fetch
 * (the connector's collect) and of the reconcile (load → plan → write, chunk by chunk, in one
 * transaction).
 * Targets: each sync < 60 s wall clock and < 300 MB peak RSS.
 * Usage: npx tsx bench/device-sync.bench.ts [vms] [sqlite|pg] [concurrency]
 *   built (what production runs, the reconcile worker included): npx tsc -p tsconfig.build.json --noCheck
 *   && node scripts/build-benches.mjs device-sync && node dist/bench/device-sync.bench.mjs [vms] …
 *   IPOCKET_BENCH_NODE_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=prof`) go to each step's process.
 *   IPOCKET_BENCH_PREVIEW: changed records each run keeps for its caller (default 2000, the panel's "Run now"; 0 as a scheduled run).
 *   (pg: a fresh database on IPOCKET_BENCH_PG_URL or TEST_DATABASE_URL, dropped afterwards)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';
import { nutanixPlugin } from '../plugins/nutanix/index.js';
import { vcenterPlugin } from '../plugins/vcenter/index.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateLatest } from '../src/db/migrate.js';
import { runPlugin, type RunRequest } from '../src/plugins/runner.js';
import { SYSTEM_ACTOR } from '../src/services/context.js';
import { child, printRows } from './child.js';
import { BENCH_SOURCES, startedAs } from './sources.js';

const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 300;
const PREVIEW = Number(process.env.IPOCKET_BENCH_PREVIEW ?? 2000);
const self = fileURLToPath(import.meta.url);
const WATCHED = ['hosts', 'device_facts', 'device_macs', 'device_disks', 'device_nics', 'device_ips', 'device_changes', 'ip_assets'];

interface SourceResult {
  fetchSeconds: number;
  reconcileSeconds: number;
  /** Peak RSS so far when the fetch ended (the batch in memory, before the reconcile). */
  fetchPeakRssMb: number;
  devices: string;
  ipAssets: string;
}

interface StepResult {
  seconds: number;
  maxRssMb: number;
  sources: Record<string, SourceResult>;
  /** Rows of the device tables (and max updated_at) after the run: an unchanged re-sync must leave them equal. */
  fingerprint: string;
}

type Database = Parameters<typeof openDatabase>[0];

async function fingerprint(db: ReturnType<typeof openDatabase>): Promise<string> {
  const parts: string[] = [];
  for (const t of WATCHED) parts.push(`${t}=${Number(((await db(t).count({ n: '*' }))[0] as { n: number }).n)}`);
  const stamps = (await db('hosts').max({ u: 'updated_at' }).first()) as { u: string | null };
  const facts = (await db('device_facts').max({ s: 'last_seen_at' }).first()) as { s: string | null };
  return [...parts, `hosts.updated_at=${String(stamps.u)}`, `facts.last_seen_at=${String(facts.s)}`].join(' ');
}

/**
 * IPOCKET_BENCH_PHASES=1: the highest RSS (and heap of this thread) seen in each phase the runner
 * reports (`vcenter guests`, `nutanix apply`, …), sampled every 20 ms, printed to stderr at the
 * end: where the peak is, not only how high.
 */
const phasePeaks = new Map<string, { rss: number; heap: number; total: number; anon: number }>();
let phase = 'start';
function phaseOf(name: string): void {
  phase = name;
}
function samplePhases(): () => void {
  if (!process.env.IPOCKET_BENCH_PHASES) return () => undefined;
  const sample = (): void => {
    const m = process.memoryUsage();
    const p = phasePeaks.get(phase) ?? { rss: 0, heap: 0, total: 0, anon: 0 };
    phasePeaks.set(phase, { rss: Math.max(p.rss, Math.round(m.rss / 2 ** 20)), heap: Math.max(p.heap, Math.round(m.heapUsed / 2 ** 20)), total: Math.max(p.total, Math.round(m.heapTotal / 2 ** 20)), anon: Math.max(p.anon, rssAnonMb()) });
  };
  const timer = setInterval(sample, 20);
  return () => {
    clearInterval(timer);
    sample();
    for (const [name, p] of phasePeaks) process.stderr.write(`phase ${name}: rss ${p.rss} MB (anonymous ${p.anon} MB), main heap ${p.heap} MB (of ${p.total} MB)\n`);
  };
}

/** Linux: the anonymous part of RSS (heaps, malloc arenas), as against mapped files (the node binary). */
function rssAnonMb(): number {
  try {
    const kb = /RssAnon:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** One source's run, timed: the fetch ends when the runner moves to the plan phase. */
export async function timedRun(db: ReturnType<typeof openDatabase>, req: Omit<RunRequest, 'onProgress' | 'dryRun' | 'input' | 'limits'>): Promise<SourceResult> {
  const t0 = performance.now();
  let fetched = 0;
  let fetchPeakRssMb = 0;
  const out = await runPlugin(db, SYSTEM_ACTOR, {
    ...req,
    input: { files: [] },
    dryRun: false,
    // The panel's "Run now" shows 2,000 changes, the most any caller keeps (a scheduled run keeps none).
    previewLimit: PREVIEW,
    limits: { maxRows: 10_000_000, zipMaxEntries: 32, zipMaxBytes: 1 << 30 },
    onProgress: (p) => {
      phaseOf(`${req.plugin.name} ${p.phase}`);
      if (p.phase !== 'plan' || fetched !== 0) return;
      fetched = performance.now();
      fetchPeakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    },
  } as RunRequest);
  const t1 = performance.now();
  if (out.status !== 'succeeded') throw new Error(`${req.plugin.name} ${out.status}: ${out.error?.message ?? JSON.stringify(out.plan?.errors.slice(0, 3))}`);
  const d = out.plan!.counts.devices;
  const a = out.plan!.counts.ip_assets;
  return { fetchSeconds: (fetched - t0) / 1000, reconcileSeconds: (t1 - fetched) / 1000, fetchPeakRssMb, devices: `+${d.create} ~${d.update} =${d.skip}`, ipAssets: `+${a.create} ~${a.update} =${a.skip}` };
}

async function step(vcenterUrl: string, nutanixUrl: string, database: Database, concurrency: number): Promise<void> {
  const db = openDatabase(database);
  const stopSampling = samplePhases();
  const started = performance.now();
  const sources: Record<string, SourceResult> = {};
  sources.vcenter = await timedRun(db, { plugin: vcenterPlugin, options: { url: vcenterUrl, username: 'administrator@vsphere.local', password: 'VMware1!', concurrency, devices: true } });
  sources.nutanix = await timedRun(db, { plugin: nutanixPlugin, options: { url: nutanixUrl, username: 'admin', password: 'Nutanix/4u' } });
  const seconds = (performance.now() - started) / 1000;
  stopSampling();
  const result: StepResult = { seconds, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), sources, fingerprint: await fingerprint(db) };
  await db.destroy();
  console.log(JSON.stringify(result));
}

/** A migrated, empty database for the run, and how to drop it. */
export async function freshDatabase(kind: string): Promise<{ database: Database; label: string; drop(): Promise<void> }> {
  if (kind === 'pg') {
    const base = process.env.IPOCKET_BENCH_PG_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:55432/postgres';
    const name = `ipocket_bench_sync_${randomBytes(4).toString('hex')}`;
    const admin = knexFactory({ client: 'pg', connection: base, pool: { min: 0, max: 1 } });
    await admin.raw(`CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    const database: Database = { client: 'pg', connectionString: url.toString() };
    const db = openDatabase(database);
    await migrateLatest(db);
    await db.destroy();
    return { database, label: `PostgreSQL ${name}`, drop: async () => { await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); await admin.destroy(); } };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-bench-devices-'));
  const database: Database = { client: 'sqlite', filename: path.join(dir, 'bench.sqlite') };
  const db = openDatabase(database);
  await migrateLatest(db);
  await db.destroy();
  return { database, label: `SQLite ${database.filename}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

const round = (s: number): number => Math.round(s * 10) / 10;

export async function run(): Promise<void> {
  const vms = Number(process.argv[2] ?? process.env.IPOCKET_BENCH_VMS ?? 50_000);
  const kind = process.argv[3] ?? 'sqlite';
  const concurrency = Number(process.argv[4] ?? 16);
  const half = Math.floor(vms / 2);
  const overlap = Math.floor((vms - half) / 10);
  const { database, label, drop } = await freshDatabase(kind);
  const vcenter = await child(path.join(BENCH_SOURCES, 'connector-fake.ts'), [String(half), '25', '4'], true);
  const nutanix = await child(path.join(BENCH_SOURCES, 'connector-fake.ts'), ['nutanix', String(vms - half), String(overlap)], true);
  const rows: Record<string, unknown>[] = [];
  const stepFlags = process.env.IPOCKET_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  try {
    console.log(`vCenter + Nutanix devices: ${half} VMs on vCenter (25 hosts, concurrency ${concurrency}) at ${vcenter.line}, ${vms - half} on Nutanix (${overlap} also on vCenter) at ${nutanix.line}; ${label}`);
    let previous = '';
    for (const name of ['first sync', 're-sync (unchanged)']) {
      const r = JSON.parse((await child(self, ['--step', vcenter.line, nutanix.line, JSON.stringify(database), String(concurrency)], false, stepFlags)).line) as StepResult;
      const wroteNothing = name === 'first sync' ? '-' : r.fingerprint === previous ? 'yes' : `NO (${previous} → ${r.fingerprint})`;
      const ok = r.seconds < TARGET_SECONDS && r.maxRssMb < TARGET_RSS_MB && !wroteNothing.startsWith('NO') ? 'yes' : 'NO';
      const v = r.sources.vcenter!;
      const n = r.sources.nutanix!;
      rows.push({ step: name, seconds: round(r.seconds), 'vcenter fetch/reconcile s': `${round(v.fetchSeconds)} / ${round(v.reconcileSeconds)}`, 'nutanix fetch/reconcile s': `${round(n.fetchSeconds)} / ${round(n.reconcileSeconds)}`, 'peak RSS MB (after fetch vc/nx)': `${r.maxRssMb} (${v.fetchPeakRssMb}/${n.fetchPeakRssMb})`, devices: `${v.devices} | ${n.devices}`, ip_assets: `${v.ipAssets} | ${n.ipAssets}`, 'wrote nothing': wroteNothing, ok });
      previous = r.fingerprint;
    }
  } finally {
    vcenter.stop();
    nutanix.stop();
    await drop();
  }
  printRows(rows);
}

const direct = startedAs('device-sync');
if (direct && process.argv[2] === '--step') await step(process.argv[3]!, process.argv[4]!, JSON.parse(process.argv[5]!) as Database, Number(process.argv[6]));
else if (direct) await run();
