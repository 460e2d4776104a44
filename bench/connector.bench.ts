/**
 * vCenter connector at scale: 50,000 VMs on 25 ESXi hosts served by the fake vCenter in its own
 * process, in two address mixes: every VM an IPv4 and one in four also an IPv6 (62,525 IP assets),
 * and full dual stack (100,025 IP assets). Per mix: a dry-run, then an apply into an empty SQLite
 * file, then both again against the filled file (the scheduled re-run), each in a fresh child
 * process so its peak RSS (getrusage maxRSS) is that run's alone.
 * Targets: each run < 60 s wall clock and < 300 MB peak RSS.
 * Usage: npx tsx bench/connector.bench.ts [vms] [concurrency]
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
import { child, printRows } from './child.js';

export { child, printRows };

const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 300;
const self = fileURLToPath(import.meta.url);

interface StepResult {
  seconds: number;
  maxRssMb: number;
  ipAssets: string;
  hosts: string;
  warnings: number;
}

/** One run (in the child process): prints a StepResult as JSON. */
async function step(url: string, file: string, dryRun: boolean, concurrency: number): Promise<void> {
  const db = openDatabase({ client: 'sqlite', filename: file });
  const started = process.hrtime.bigint();
  const out = await runPlugin(db, SYSTEM_ACTOR, {
    plugin: vcenterPlugin,
    input: { files: [] },
    options: { url, username: 'administrator@vsphere.local', password: 'VMware1!', concurrency },
    dryRun,
    limits: { maxRows: 10_000_000, zipMaxEntries: 32, zipMaxBytes: 1 << 30 },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await db.destroy();
  if (out.status !== 'succeeded') throw new Error(`${out.status}: ${out.error?.message ?? JSON.stringify(out.plan?.errors.slice(0, 3))}`);
  const a = out.plan!.counts.ip_assets;
  const result: StepResult = { seconds, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ipAssets: `+${a.create} ~${a.update} =${a.skip}`, hosts: `+${out.plan!.counts.hosts.create}`, warnings: out.plan!.warnings.length };
  console.log(JSON.stringify(result));
}

export async function run(): Promise<void> {
  const vms = Number(process.argv[2] ?? process.env.IPOCKET_BENCH_VMS ?? 50_000);
  const concurrency = Number(process.argv[3] ?? 16);
  const rows: Record<string, unknown>[] = [];
  for (const [mix, ipv6Every] of [['v4 + 1/4 v6', 4], ['dual stack', 1]] as const) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-bench-connector-'));
    const file = path.join(dir, 'bench.sqlite');
    const db = openDatabase({ client: 'sqlite', filename: file });
    await migrateLatest(db);
    await db.destroy();
    const fake = await child(path.join(path.dirname(self), 'connector-fake.ts'), [String(vms), '25', String(ipv6Every)], true);
    try {
      console.log(`vCenter connector, ${mix}: ${vms} VMs on 25 hosts, concurrency ${concurrency}; fake vCenter at ${fake.line} (own process); SQLite ${file}`);
      // The scheduled case too: the same inventory again, against the filled database.
      for (const [label, mode] of [['dry-run', 'dry-run'], ['apply', 'apply'], ['re-run dry-run', 'dry-run'], ['re-run apply', 'apply']] as const) {
        const r = JSON.parse((await child(self, ['--step', mode, fake.line, file, String(concurrency)], false)).line) as StepResult;
        const ok = r.seconds < TARGET_SECONDS && r.maxRssMb < TARGET_RSS_MB ? 'yes' : 'NO';
        rows.push({ mix, step: label, seconds: Math.round(r.seconds * 100) / 100, 'peak RSS MB': r.maxRssMb, ok, ip_assets: r.ipAssets, hosts: r.hosts, warnings: r.warnings });
        console.log(`${label.padEnd(14)} ${r.seconds.toFixed(2)} s, peak RSS ${r.maxRssMb} MB (targets < ${TARGET_SECONDS} s, < ${TARGET_RSS_MB} MB): ${ok}`);
      }
    } finally {
      fake.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  printRows(rows);
}

const direct = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (direct && process.argv[2] === '--step') await step(process.argv[4]!, process.argv[5]!, process.argv[3] === 'dry-run', Number(process.argv[6]));
else if (direct) await run();
