/**
 * vCenter as a device source at scale: N VMs (default 50,000) on 25 ESXi hosts from the fake
 * vCenter in its own process, with `devices` on: every VM and host becomes a device with facts,
 * disks, NICs and addresses. Steps, each in a fresh child process (its own peak RSS): apply into
 * an empty SQLite file, then the unchanged re-sync, which must write nothing (no device history,
 * no device/fact/list row changed: counted before and after).
 * Targets: each run < 60 s wall clock and < 300 MB peak RSS.
 * Usage: npx tsx bench/device-sync.bench.ts [vms] [concurrency]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { vcenterPlugin } from '../plugins/vcenter/index.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateLatest } from '../src/db/migrate.js';
import { runPlugin } from '../src/plugins/runner.js';
import { SYSTEM_ACTOR } from '../src/services/context.js';
import { child, printRows } from './connector.bench.js';

const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 300;
const self = fileURLToPath(import.meta.url);
const WATCHED = ['hosts', 'device_facts', 'device_macs', 'device_disks', 'device_nics', 'device_ips', 'device_changes', 'ip_assets'];

interface StepResult {
  seconds: number;
  maxRssMb: number;
  devices: string;
  ipAssets: string;
  /** Rows of the device tables (and max updated_at) after the run: an unchanged re-sync must leave them equal. */
  fingerprint: string;
}

async function fingerprint(db: ReturnType<typeof openDatabase>): Promise<string> {
  const parts: string[] = [];
  for (const t of WATCHED) parts.push(`${t}=${Number(((await db(t).count({ n: '*' }))[0] as { n: number }).n)}`);
  const stamps = (await db('hosts').max({ u: 'updated_at' }).first()) as { u: string | null };
  const facts = (await db('device_facts').max({ s: 'last_seen_at' }).first()) as { s: string | null };
  return [...parts, `hosts.updated_at=${stamps.u}`, `facts.last_seen_at=${facts.s}`].join(' ');
}

async function step(url: string, file: string, concurrency: number): Promise<void> {
  const db = openDatabase({ client: 'sqlite', filename: file });
  const started = process.hrtime.bigint();
  const out = await runPlugin(db, SYSTEM_ACTOR, {
    plugin: vcenterPlugin,
    input: { files: [] },
    options: { url, username: 'administrator@vsphere.local', password: 'VMware1!', concurrency, devices: true },
    dryRun: false,
    limits: { maxRows: 10_000_000, zipMaxEntries: 32, zipMaxBytes: 1 << 30 },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (out.status !== 'succeeded') throw new Error(`${out.status}: ${out.error?.message ?? JSON.stringify(out.plan?.errors.slice(0, 3))}`);
  const d = out.plan!.counts.devices;
  const a = out.plan!.counts.ip_assets;
  const result: StepResult = { seconds, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), devices: `+${d.create} ~${d.update} =${d.skip}`, ipAssets: `+${a.create} ~${a.update} =${a.skip}`, fingerprint: await fingerprint(db) };
  await db.destroy();
  console.log(JSON.stringify(result));
}

export async function run(): Promise<void> {
  const vms = Number(process.argv[2] ?? process.env.IPOCKET_BENCH_VMS ?? 50_000);
  const concurrency = Number(process.argv[3] ?? 16);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-bench-devices-'));
  const file = path.join(dir, 'bench.sqlite');
  const db = openDatabase({ client: 'sqlite', filename: file });
  await migrateLatest(db);
  await db.destroy();
  const fake = await child(path.join(path.dirname(self), 'connector-fake.ts'), [String(vms), '25', '4'], true);
  const rows: Record<string, unknown>[] = [];
  try {
    console.log(`vCenter devices: ${vms} VMs on 25 hosts, concurrency ${concurrency}; fake vCenter at ${fake.line}; SQLite ${file}`);
    let previous = '';
    for (const label of ['apply', 're-sync (unchanged)']) {
      const r = JSON.parse((await child(self, ['--step', fake.line, file, String(concurrency)], false)).line) as StepResult;
      const wroteNothing = label === 'apply' ? '-' : r.fingerprint === previous ? 'yes' : `NO (${previous} → ${r.fingerprint})`;
      const ok = r.seconds < TARGET_SECONDS && r.maxRssMb < TARGET_RSS_MB && !wroteNothing.startsWith('NO') ? 'yes' : 'NO';
      rows.push({ step: label, seconds: Math.round(r.seconds * 100) / 100, 'peak RSS MB': r.maxRssMb, devices: r.devices, ip_assets: r.ipAssets, 'wrote nothing': wroteNothing, ok });
      previous = r.fingerprint;
    }
  } finally {
    fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  printRows(rows);
}

const direct = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (direct && process.argv[2] === '--step') await step(process.argv[3]!, process.argv[4]!, Number(process.argv[5]));
else if (direct) await run();
