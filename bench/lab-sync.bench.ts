/**
 * LAIM's sync at lab scale: N lab devices (default 20,000; 40% seen by both tools) served by the
 * fake Netdisco and fake LibreNMS on 127.0.0.1, synced into an empty SQLite file — Netdisco then
 * LibreNMS, merged by serial then MAC, LibreNMS over Netdisco — then both again (the scheduled
 * re-run, which must write nothing). Target: the first merge < 30 s wall clock.
 * Each fake runs in its own process (as the real servers run elsewhere), and so does each sync:
 * its time, CPU and peak RSS are its own, and the fakes' CPU and requests served are printed
 * beside them.
 * Per source: the fetch (the connector's collect) and the reconcile (load → plan → write), apart.
 * Usage: npx tsx bench/lab-sync.bench.ts [devices] [concurrency] [sqlite|pg]
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { librenmsPlugin } from '../plugins/librenms/index.js';
import { netdiscoPlugin } from '../plugins/netdisco/index.js';
import { openDatabase } from '../src/db/connection.js';
import { generateLab } from '../test/fakes/lab-devices.js';
import { child } from './child.js';
import { freshDatabase, timedRun } from './device-sync.bench.js';
import { startFakeProcess } from './fake-process.js';
import { startedAs } from './sources.js';

const TARGET_SECONDS = 30;
const self = fileURLToPath(import.meta.url);

type Database = Parameters<typeof openDatabase>[0];
type SourceResult = Awaited<ReturnType<typeof timedRun>>;
interface StepResult {
  netdisco: SourceResult;
  librenms: SourceResult;
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  devices: number;
}

/** One sync (Netdisco then LibreNMS) in a process of its own: its peak RSS is the sync's alone. */
async function step(ndUrl: string, lnmsUrl: string, database: Database, concurrency: number): Promise<void> {
  const db = openDatabase(database);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const netdisco = await timedRun(db, { plugin: netdiscoPlugin, options: { url: ndUrl, username: 'api_user', password: 'netdisco', concurrency, page_size: 1000 } });
  const librenms = await timedRun(db, { plugin: librenmsPlugin, options: { url: lnmsUrl, token: 'librenms-token-0123456789abcdef', concurrency } });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const devices = Number(((await db('hosts').count({ n: '*' }))[0] as { n: number }).n);
  await db.destroy();
  const result: StepResult = { netdisco, librenms, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), devices };
  console.log(JSON.stringify(result));
}

export async function run(count = 20_000, concurrency = 8, kind = 'sqlite'): Promise<void> {
  // Only its sizes are printed (the fakes generate their own copies).
  const lab = ((l) => ({ netdisco: l.netdisco.length, librenms: l.librenms.length, both: l.both.length }))(generateLab(count, 0.4));
  const [nd, lnms] = await Promise.all([startFakeProcess(['netdisco', String(count), '0.4']), startFakeProcess(['librenms', String(count), '0.4'])]);
  const fresh = await freshDatabase(kind);
  try {
    const sync = async (label: string) => {
      const [nd0, ln0] = await Promise.all([nd.stats(), lnms.stats()]);
      const r = JSON.parse((await child(self, ['--step', nd.url, lnms.url, JSON.stringify(fresh.database), String(concurrency)], false)).line) as StepResult;
      const [nd1, ln1] = await Promise.all([nd.stats(), lnms.stats()]);
      const part = (name: string, x: SourceResult) => `${name} ${(x.fetchSeconds + x.reconcileSeconds).toFixed(1)} s (fetch ${x.fetchSeconds.toFixed(1)}, reconcile ${x.reconcileSeconds.toFixed(1)}; devices ${x.devices})`;
      console.log(`${label}: ${part('netdisco', r.netdisco)}, ${part('librenms', r.librenms)}; ${r.devices} devices; total ${r.seconds.toFixed(1)} s${label === 'first sync' ? ` (target < ${TARGET_SECONDS} s: ${r.seconds < TARGET_SECONDS ? 'met' : 'MISSED'})` : ''}; peak RSS ${r.maxRssMb} MB (the sync's own process); sync CPU ${r.cpuSeconds.toFixed(1)} s; fakes: Netdisco ${nd1.requests - nd0.requests} requests ${((nd1.cpuMs - nd0.cpuMs) / 1000).toFixed(1)} s CPU, LibreNMS ${ln1.requests - ln0.requests} requests ${((ln1.cpuMs - ln0.cpuMs) / 1000).toFixed(1)} s CPU; load ${os.loadavg()[0]!.toFixed(1)}`);
    };
    console.log(`${count} lab devices (${lab.netdisco} in Netdisco, ${lab.librenms} in LibreNMS, ${lab.both} in both), concurrency ${concurrency}; ${fresh.label}`);
    await sync('first sync');
    await sync('re-sync');
  } finally {
    nd.stop();
    lnms.stop();
    await fresh.drop();
  }
}

// Run directly (not through bench/run.ts, whose arguments are bench names): sizes from the command line.
const direct = startedAs('lab-sync');
if (direct && process.argv[2] === '--step') await step(process.argv[3]!, process.argv[4]!, JSON.parse(process.argv[5]!) as Database, Number(process.argv[6]));
else if (direct) await run(Number(process.argv[2] ?? 20_000), Number(process.argv[3] ?? 8), process.argv[4] ?? 'sqlite');
