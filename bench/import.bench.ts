/**
 * Import benchmark on a SQLite file: 100k IP assets as a bundle and as CSV, each dry-run, apply
 * and unchanged re-import (apply again: everything SKIP). Targets: apply < 10 s, dry-run < 5 s,
 * unchanged re-import < 5 s. Usage: npx tsx bench/import.bench.ts [count]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { openDatabase } from '../src/db/connection.js';
import { migrateLatest } from '../src/db/migrate.js';
import type { PluginFile } from '../src/plugins/define-plugin.js';
import { getPlugin } from '../src/plugins/registry.js';
import { runPlugin } from '../src/plugins/runner.js';
import { SYSTEM_ACTOR } from '../src/services/context.js';
import { generateInventory } from './import-data.js';

const count = Number(process.argv[2] ?? 100_000);
const TARGETS: Record<string, number> = { 'dry-run (empty db)': 5, apply: 10, 'unchanged re-import': 5, 'dry-run (populated)': 5 };
const limits = { maxRows: 10_000_000, zipMaxEntries: 32, zipMaxBytes: 1 << 30 };

async function fresh(dir: string, name: string): Promise<Knex> {
  const db = openDatabase({ client: 'sqlite', filename: path.join(dir, `${name}.sqlite`) });
  await migrateLatest(db);
  return db;
}

async function timed(db: Knex, plugin: string, files: PluginFile[], dryRun: boolean): Promise<{ seconds: number; cpu: number; summary: string }> {
  const cpu0 = process.cpuUsage();
  const started = process.hrtime.bigint();
  const out = await runPlugin(db, SYSTEM_ACTOR, { plugin: getPlugin(plugin), input: { files }, dryRun, limits });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu0);
  if (out.status !== 'succeeded') throw new Error(`${plugin} ${dryRun ? 'dry-run' : 'apply'}: ${out.status} ${out.error?.message ?? ''} ${JSON.stringify(out.plan?.errors.slice(0, 3))}`);
  const a = out.plan!.counts.ip_assets;
  return { seconds, cpu: (used.user + used.system) / 1e6, summary: `ip_assets +${a.create} ~${a.update} =${a.skip}` };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-bench-import-'));
  const gen = generateInventory(count);
  console.log(`${count} assets: bundle ${(gen.bundle.length / 1e6).toFixed(1)} MB, CSV ${(gen.csv.reduce((n, f) => n + f.data.length, 0) / 1e6).toFixed(1)} MB (SQLite file in ${dir})`);
  const rows: { input: string; step: string; seconds: number; cpu_s: number; target: number; ok: string; result: string }[] = [];
  try {
    for (const [input, plugin, files] of [
      ['bundle', 'bundle', [{ name: 'bundle.json', data: gen.bundle }]],
      ['csv', 'csv', gen.csv],
    ] as const) {
      const db = await fresh(dir, input);
      try {
        for (const [step, dry] of [
          ['dry-run (empty db)', true],
          ['apply', false],
          ['unchanged re-import', false],
          ['dry-run (populated)', true],
        ] as const) {
          const r = await timed(db, plugin, files as unknown as PluginFile[], dry);
          const target = TARGETS[step]!;
          rows.push({ input, step, seconds: Math.round(r.seconds * 100) / 100, cpu_s: Math.round(r.cpu * 100) / 100, target, ok: r.seconds < target ? 'yes' : 'NO', result: r.summary });
          console.log(`${input.padEnd(6)} ${step.padEnd(22)} ${r.seconds.toFixed(2).padStart(6)} s wall, ${r.cpu.toFixed(2).padStart(6)} s CPU (target < ${target} s) ${r.summary}`);
        }
      } finally {
        await db.destroy();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.table(rows);
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs (wall times include waiting for the CPU when others run)`);
  if (rows.some((r) => r.ok !== 'yes')) process.exitCode = 1;
}

await main();
