import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import { bundleJsonStream, bundleZipStream, csvStream, DATASETS, jsonStream, type Dataset } from '../services/exports/streams.js';
import { getPlugin, listPlugins } from '../plugins/registry.js';
import { runPlugin } from '../plugins/runner.js';
import { SYSTEM_ACTOR } from '../services/context.js';
import { OptionFlags } from './flags.js';
import { progressBar, reportOutcome } from './output.js';

export const IMPORT_USAGE = `  import <plugin> <file>... [--dry-run] [--option key=value]...
                                     run an importer (${listPlugins().map((p) => p.name).join(', ')}); apply unless --dry-run
  export <name>.<csv|json> | bundle.<json|zip> [--out FILE] [--include-archived] [--type T] [--project P] [--host H]
                                     export ${DATASETS.join(', ')} (stdout unless --out)`;

/** `ipocket import`: progress bar on stderr, summary table and the first errors on stdout; exit 1 when nothing was applied because of errors. */
export async function importCommand(db: Knex, args: { plugin?: string; files: string[]; dryRun: boolean; options: string[]; signal?: AbortSignal }): Promise<number> {
  if (!args.plugin || args.files.length === 0) {
    console.error(`Usage:\n${IMPORT_USAGE}`);
    return 2;
  }
  const plugin = getPlugin(args.plugin);
  const files = args.files.map((f) => ({ name: path.basename(f), data: readFileSync(f) }));
  const progress = progressBar();
  const outcome = await runPlugin(db, SYSTEM_ACTOR, {
    plugin,
    input: { files },
    options: OptionFlags.fromPairs('--option', args.options),
    dryRun: args.dryRun,
    source: args.files.join(', '),
    signal: args.signal,
    auditLabel: `cli_import_${plugin.name}`,
    onProgress: (p) => progress.update(p.phase, p.done, p.total),
  });
  progress.stop();
  return reportOutcome(outcome);
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
