/**
 * LAIM's sync at lab scale: N lab devices (default 20,000; 40% seen by both tools) served by the
 * fake Netdisco and fake LibreNMS on 127.0.0.1, synced into an empty SQLite file — Netdisco then
 * LibreNMS, merged by serial then MAC, LibreNMS over Netdisco — then both again (the scheduled
 * re-run, which must write nothing). Target: the first merge < 30 s wall clock.
 * Usage: npx tsx bench/lab-sync.bench.ts [devices] [concurrency]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { librenmsPlugin } from '../plugins/librenms/index.js';
import { netdiscoPlugin } from '../plugins/netdisco/index.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateLatest } from '../src/db/migrate.js';
import { runPlugin } from '../src/plugins/runner.js';
import { SYSTEM_ACTOR } from '../src/services/context.js';
import { generateLab } from '../test/fakes/lab-devices.js';
import { librenmsFromLab, startFakeLibrenms } from '../test/fakes/librenms.js';
import { netdiscoFromLab, startFakeNetdisco } from '../test/fakes/netdisco.js';

const TARGET_SECONDS = 30;

export async function run(count = 20_000, concurrency = 8): Promise<void> {
  const lab = generateLab(count, 0.4);
  const [nd, lnms] = await Promise.all([startFakeNetdisco({ devices: netdiscoFromLab(lab) }), startFakeLibrenms({ devices: librenmsFromLab(lab) })]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-bench-lab-'));
  const db = openDatabase({ client: 'sqlite', filename: path.join(dir, 'bench.sqlite') });
  try {
    await migrateLatest(db);
    const sync = async (label: string) => {
      const t0 = performance.now();
      const a = await runPlugin(db, SYSTEM_ACTOR, { plugin: netdiscoPlugin, input: { files: [] }, options: { url: nd.url, username: 'api_user', password: 'netdisco', concurrency, page_size: 1000 }, dryRun: false });
      const t1 = performance.now();
      const b = await runPlugin(db, SYSTEM_ACTOR, { plugin: librenmsPlugin, input: { files: [] }, options: { url: lnms.url, token: 'librenms-token-0123456789abcdef', concurrency }, dryRun: false });
      const t2 = performance.now();
      if (a.status !== 'succeeded' || b.status !== 'succeeded') throw new Error(`${a.status}/${b.status}: ${a.error?.message ?? b.error?.message ?? ''}`);
      const devices = Number(((await db('hosts').count({ n: '*' }))[0] as { n: number }).n);
      const secs = (t2 - t0) / 1000;
      console.log(`${label}: netdisco ${((t1 - t0) / 1000).toFixed(1)} s (${JSON.stringify(a.plan!.counts.devices)}), librenms ${((t2 - t1) / 1000).toFixed(1)} s (${JSON.stringify(b.plan!.counts.devices)}); ${devices} devices; total ${secs.toFixed(1)} s${label === 'first sync' ? ` (target < ${TARGET_SECONDS} s: ${secs < TARGET_SECONDS ? 'met' : 'MISSED'})` : ''}; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    };
    console.log(`${count} lab devices (${lab.netdisco.length} in Netdisco, ${lab.librenms.length} in LibreNMS, ${lab.both.length} in both), concurrency ${concurrency}`);
    await sync('first sync');
    await sync('re-sync');
  } finally {
    await db.destroy();
    await Promise.all([nd.close(), lnms.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly (not through bench/run.ts, whose arguments are bench names): sizes from the command line.
if (import.meta.url === `file://${process.argv[1]}`) await run(Number(process.argv[2] ?? 20_000), Number(process.argv[3] ?? 8));
