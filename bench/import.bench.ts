/**
 * Import benchmark: N IP assets as a bundle and as CSV, each dry-run, apply and unchanged
 * re-import (apply again: everything SKIP), on a SQLite file or on PostgreSQL. Targets: apply
 * < 10 s, dry-run < 5 s, unchanged re-import < 5 s. While each apply runs, a probe on another
 * connection reads the list and creates an asset in the same /16 as the import, and reports how
 * long those waited (an import must not stall everyone else).
 *
 * Usage: npm run bench -- import   (IPOCKET_BENCH_SIZES=50000; IPOCKET_BENCH_DATABASE_URL=postgres://…
 * for PostgreSQL: a database is created on that server and dropped again; IPOCKET_BENCH_INPUTS=bundle
 * to skip the CSV pass). `npx tsx bench/import.bench.ts [count]` still works.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { AppConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateLatest } from '../src/db/migrate.js';
import type { PluginFile } from '../src/plugins/define-plugin.js';
import { getPlugin } from '../src/plugins/registry.js';
import { runPlugin } from '../src/plugins/runner.js';
import { SYSTEM_ACTOR } from '../src/services/context.js';
import { generateInventory } from './import-data.js';

const TARGETS: Record<string, number> = { 'dry-run (empty db)': 5, apply: 10, 'unchanged re-import': 5, 'dry-run (populated)': 5 };
const limits = { maxRows: 10_000_000, zipMaxEntries: 32, zipMaxBytes: 1 << 30 };
const PG_URL = process.env.IPOCKET_BENCH_DATABASE_URL ?? '';

function sizes(): number[] {
  if (process.argv[2] && /^\d+$/.test(process.argv[2])) return [Number(process.argv[2])];
  return (process.env.IPOCKET_BENCH_SIZES ?? '100000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
}

/** A fresh migrated database (SQLite file in dir, or a new PostgreSQL database) and how to drop it. */
async function fresh(dir: string, name: string): Promise<{ db: Knex; database: AppConfig['database']; drop: () => Promise<void> }> {
  if (!PG_URL) {
    const database = { client: 'sqlite' as const, filename: path.join(dir, `${name}.sqlite`) };
    const db = openDatabase(database);
    await migrateLatest(db);
    return { db, database, drop: async () => undefined };
  }
  const dbName = `ipocket_bench_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: PG_URL, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${dbName}`);
  const url = new URL(PG_URL);
  url.pathname = `/${dbName}`;
  const database = { client: 'pg' as const, connectionString: url.toString() };
  const db = openDatabase(database);
  await migrateLatest(db);
  return {
    db,
    database,
    drop: async () => {
      await admin.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

/**
 * While `busy` is pending: every 200 ms one read (a page of the list) and one create in a /16
 * the import writes to, through the same knex instance as the import (as the server's requests
 * would: on SQLite that is its one connection); returns the slowest of each, in ms.
 */
async function probe(other: Knex, busy: Promise<unknown>, count: number): Promise<{ read: number; write: number; writes: number; failed: number }> {
  // A free /24 inside a /16 the import fills (the generator numbers 10.<i>>16>.<i>>8>.<i&255>).
  const second = count > 60_000 ? 1 : 0;
  const prefix = `10.${second}.250`;
  let done = false;
  void busy.finally(() => (done = true)).catch(() => undefined);
  const out = { read: 0, write: 0, writes: 0, failed: 0 };
  for (let i = 0; !done; i++) {
    let t = performance.now();
    await other('ip_assets').select('id', 'ip_address').orderBy('ip_key').limit(50);
    out.read = Math.max(out.read, performance.now() - t);
    t = performance.now();
    try {
      await other('ip_assets').insert({ ip_address: `${prefix}.${i % 250}`, ip_version: 4, ip_key: `00000000000000000000ffff0a0${second}fa${(i % 250).toString(16).padStart(2, '0')}`, type: 'VM', archived: false, created_at: '2025-01-01 00:00:00', updated_at: '2025-01-01 00:00:00' }).onConflict('ip_key').ignore();
      out.writes++;
    } catch {
      out.failed++;
    }
    out.write = Math.max(out.write, performance.now() - t);
    await new Promise((r) => setTimeout(r, 200));
  }
  // Undo the probe's rows so the re-import still finds everything unchanged.
  await other('ip_assets').where('ip_address', 'like', `${prefix}.%`).delete();
  return out;
}

async function timed(db: Knex, count: number, plugin: string, files: PluginFile[], dryRun: boolean): Promise<{ seconds: number; cpu: number; summary: string; probe: string }> {
  const cpu0 = process.cpuUsage();
  const started = process.hrtime.bigint();
  const running = runPlugin(db, SYSTEM_ACTOR, { plugin: getPlugin(plugin), input: { files }, dryRun, limits });
  const probed = dryRun ? null : probe(db, running, count);
  const out = await running;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu0);
  const p = probed ? await probed : null;
  if (out.status !== 'succeeded') throw new Error(`${plugin} ${dryRun ? 'dry-run' : 'apply'}: ${out.status} ${out.error?.message ?? ''} ${JSON.stringify(out.plan?.errors.slice(0, 3))}`);
  const a = out.plan!.counts.ip_assets;
  return {
    seconds,
    cpu: (used.user + used.system) / 1e6,
    summary: `ip_assets +${a.create} ~${a.update} =${a.skip}`,
    probe: p ? `slowest read ${p.read.toFixed(0)} ms, slowest create ${p.write.toFixed(0)} ms (${p.writes} ok, ${p.failed} failed)` : '',
  };
}

export async function run(): Promise<void> {
  const inputs = (process.env.IPOCKET_BENCH_INPUTS ?? 'bundle,csv').split(',');
  const dialect = PG_URL ? 'PostgreSQL' : 'SQLite';
  const rows: Record<string, string | number>[] = [];
  for (const count of sizes()) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-bench-import-'));
    const gen = generateInventory(count);
    console.log(`${count} assets on ${dialect}: bundle ${(gen.bundle.length / 1e6).toFixed(1)} MB, CSV ${(gen.csv.reduce((n, f) => n + f.data.length, 0) / 1e6).toFixed(1)} MB`);
    try {
      for (const [input, plugin, files] of [
        ['bundle', 'bundle', [{ name: 'bundle.json', data: gen.bundle }]],
        ['csv', 'csv', gen.csv],
      ] as const) {
        if (!inputs.includes(input)) continue;
        const { db, drop } = await fresh(dir, input);
        try {
          for (const [step, dry] of [
            ['dry-run (empty db)', true],
            ['apply', false],
            ['unchanged re-import', false],
            ['dry-run (populated)', true],
          ] as const) {
            const r = await timed(db, count, plugin, files as unknown as PluginFile[], dry);
            const target = TARGETS[step]!;
            rows.push({ db: dialect, n: count, input, step, seconds: Math.round(r.seconds * 100) / 100, cpu_s: Math.round(r.cpu * 100) / 100, target, ok: r.seconds < target ? 'yes' : 'NO', result: r.summary, 'meanwhile (other connection)': r.probe });
            console.log(`${input.padEnd(6)} ${step.padEnd(22)} ${r.seconds.toFixed(2).padStart(6)} s wall, ${r.cpu.toFixed(2).padStart(6)} s CPU (target < ${target} s) ${r.summary} ${r.probe}`);
          }
        } finally {
          await db.destroy();
          await drop();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.table(rows);
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs (wall times include waiting for the CPU when others run)`);
  if (rows.some((r) => r.ok !== 'yes')) process.exitCode = 1;
}

// Run directly (npx tsx bench/import.bench.ts) as well as through bench/run.ts.
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) await run();
