import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Knex } from 'knex';
import { SYSTEM_ACTOR } from '../services/context.js';
import { bundleJsonStream, bundleZipStream, csvStream, DATASETS, jsonStream, type Dataset } from '../services/exports/streams.js';
import { ENTITIES } from './reconcile/index.js';
import { getPlugin, listPlugins } from './registry.js';
import { runPlugin } from './runner.js';

export const IMPORT_USAGE = `  import <plugin> <file>... [--dry-run] [--option key=value]...
                                     run an importer (${listPlugins().map((p) => p.name).join(', ')}); apply unless --dry-run
  export <name>.<csv|json> | bundle.<json|zip> [--out FILE] [--include-archived] [--type T] [--project P] [--host H]
                                     export ${DATASETS.join(', ')} (stdout unless --out)`;

/** `key=value` flags into an options object (repeated keys become lists). */
function parseOptionFlags(flags: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of flags) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new Error(`--option needs key=value, got "${f}"`);
    const key = f.slice(0, eq).trim();
    const value = f.slice(eq + 1);
    const prior = out[key];
    out[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return out;
}

/** `ipocket import`: progress bar on stderr, summary table and the first errors on stdout; exit 1 when nothing was applied because of errors. */
export async function importCommand(db: Knex, args: { plugin?: string; files: string[]; dryRun: boolean; options: string[]; signal?: AbortSignal }): Promise<number> {
  if (!args.plugin || args.files.length === 0) {
    console.error(`Usage:\n${IMPORT_USAGE}`);
    return 2;
  }
  const plugin = getPlugin(args.plugin);
  const files = args.files.map((f) => ({ name: path.basename(f), data: readFileSync(f) }));
  const bar = new cliProgress.SingleBar({ format: ' {phase} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true, noTTYOutput: false }, cliProgress.Presets.shades_classic);
  let started = false;
  const outcome = await runPlugin(db, SYSTEM_ACTOR, {
    plugin,
    input: { files },
    options: parseOptionFlags(args.options),
    dryRun: args.dryRun,
    source: args.files.join(', '),
    signal: args.signal,
    auditLabel: `cli_import_${plugin.name}`,
    onProgress: (p) => {
      const total = p.total ?? Math.max(p.done, 1);
      if (!started) {
        bar.start(total, p.done, { phase: p.phase.padEnd(5) });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(p.done, { phase: p.phase.padEnd(5) });
      }
    },
  });
  if (started) bar.stop();
  const plan = outcome.plan;
  if (plan) {
    console.table(
      Object.fromEntries([
        ...ENTITIES.map((e) => [e, { create: plan.counts[e].create, update: plan.counts[e].update, skip: plan.counts[e].skip }]),
        ['total', plan.totals],
      ]),
    );
    for (const e of plan.errors.slice(0, 20)) console.log(`error   ${e.location}: ${e.message}`);
    if (plan.errors.length > 20) console.log(`… and ${plan.errors.length - 20} more errors`);
    for (const w of plan.warnings.slice(0, 20)) console.log(`warning ${w.location}: ${w.message}`);
    if (plan.warnings.length > 20) console.log(`… and ${plan.warnings.length - 20} more warnings`);
  }
  if (outcome.error) console.error(outcome.error.message);
  const verdict = outcome.applied ? 'Applied.' : outcome.status === 'succeeded' ? 'Dry-run: nothing was written.' : 'Nothing was written.';
  console.log(`${verdict} (run #${outcome.runId}, ${outcome.status})`);
  return outcome.status === 'succeeded' ? 0 : 1;
}

/** `ipocket export`: streams one export to a file or stdout. */
export async function exportCommand(db: Knex, args: { name?: string; out?: string; includeArchived: boolean; type?: string; project?: string; host?: string }): Promise<number> {
  const m = /^(ip-assets|hosts|vendors|projects|tags|ranges|bundle)\.(csv|json|zip)$/.exec(args.name ?? '');
  if (!m || (m[1] === 'bundle' ? m[2] === 'csv' : m[2] === 'zip')) {
    console.error(`Usage:\n${IMPORT_USAGE}`);
    return 2;
  }
  const filter = { includeArchived: args.includeArchived, types: args.type?.split(',').map((t) => t.trim().toUpperCase()).filter(Boolean), project: args.project, host: args.host };
  const stream =
    m[1] === 'bundle'
      ? m[2] === 'zip'
        ? bundleZipStream(db, filter)
        : bundleJsonStream(db, filter)
      : m[2] === 'csv'
        ? csvStream(db, m[1] as Dataset, filter)
        : jsonStream(db, m[1] as Dataset, filter);
  await pipeline(stream, args.out ? createWriteStream(args.out) : process.stdout);
  if (args.out) console.error(`Wrote ${args.out}`);
  return 0;
}
