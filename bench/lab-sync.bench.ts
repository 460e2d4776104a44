/**
 * LAIM's sync at lab scale: N lab devices (default 20,000; 40% seen by both tools) served by the
 * fake Netdisco and fake LibreNMS on 127.0.0.1, synced into an empty SQLite file — Netdisco then
 * LibreNMS, merged by serial then MAC, LibreNMS over Netdisco — then both again (the scheduled
 * re-run, which must write nothing). Target: the first merge < 30 s wall clock.
 * Each fake runs in its own process (as the real servers run elsewhere): the sync's time, CPU
 * and RSS are its own, and the fakes' CPU and requests served are printed beside them.
 * Per source: the fetch (the connector's collect) and the reconcile (load → plan → write), apart.
 * Usage: npx tsx bench/lab-sync.bench.ts [devices] [concurrency] [sqlite|pg]
 */
import os from 'node:os';
import { librenmsPlugin } from '../plugins/librenms/index.js';
import { netdiscoPlugin } from '../plugins/netdisco/index.js';
import { openDatabase } from '../src/db/connection.js';
import { generateLab } from '../test/fakes/lab-devices.js';
import { freshDatabase, timedRun } from './device-sync.bench.js';
import { startFakeProcess } from './fake-process.js';
import { startedAs } from './sources.js';

const TARGET_SECONDS = 30;

export async function run(count = 20_000, concurrency = 8, kind = 'sqlite'): Promise<void> {
  const lab = generateLab(count, 0.4);
  const [nd, lnms] = await Promise.all([startFakeProcess(['netdisco', String(count), '0.4']), startFakeProcess(['librenms', String(count), '0.4'])]);
  const fresh = await freshDatabase(kind);
  const db = openDatabase(fresh.database);
  try {
    const sync = async (label: string) => {
      const [nd0, ln0] = await Promise.all([nd.stats(), lnms.stats()]);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const a = await timedRun(db, { plugin: netdiscoPlugin, options: { url: nd.url, username: 'api_user', password: 'netdisco', concurrency, page_size: 1000 } });
      const b = await timedRun(db, { plugin: librenmsPlugin, options: { url: lnms.url, token: 'librenms-token-0123456789abcdef', concurrency } });
      const secs = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const [nd1, ln1] = await Promise.all([nd.stats(), lnms.stats()]);
      const devices = Number(((await db('hosts').count({ n: '*' }))[0] as { n: number }).n);
      const part = (name: string, r: typeof a) => `${name} ${(r.fetchSeconds + r.reconcileSeconds).toFixed(1)} s (fetch ${r.fetchSeconds.toFixed(1)}, reconcile ${r.reconcileSeconds.toFixed(1)}; devices ${r.devices})`;
      console.log(`${label}: ${part('netdisco', a)}, ${part('librenms', b)}; ${devices} devices; total ${secs.toFixed(1)} s${label === 'first sync' ? ` (target < ${TARGET_SECONDS} s: ${secs < TARGET_SECONDS ? 'met' : 'MISSED'})` : ''}; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; sync CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; fakes: Netdisco ${nd1.requests - nd0.requests} requests ${((nd1.cpuMs - nd0.cpuMs) / 1000).toFixed(1)} s CPU, LibreNMS ${ln1.requests - ln0.requests} requests ${((ln1.cpuMs - ln0.cpuMs) / 1000).toFixed(1)} s CPU; load ${os.loadavg()[0]!.toFixed(1)}`);
    };
    console.log(`${count} lab devices (${lab.netdisco.length} in Netdisco, ${lab.librenms.length} in LibreNMS, ${lab.both.length} in both), concurrency ${concurrency}; ${fresh.label}`);
    await sync('first sync');
    await sync('re-sync');
  } finally {
    await db.destroy();
    nd.stop();
    lnms.stop();
    await fresh.drop();
  }
}

// Run directly (not through bench/run.ts, whose arguments are bench names): sizes from the command line.
if (startedAs('lab-sync')) await run(Number(process.argv[2] ?? 20_000), Number(process.argv[3] ?? 8), process.argv[4] ?? 'sqlite');
