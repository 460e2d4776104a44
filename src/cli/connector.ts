import { writeFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { ConnectorScheduler } from '../jobs/connector-runs.js';
import type { Batch } from '../plugins/batch.js';
import { pluginCatalog } from '../plugins/catalog.js';
import type { Plugin } from '../plugins/define-plugin.js';
import { getPlugin, listPlugins } from '../plugins/registry.js';
import { runPlugin, type RunOutcome } from '../plugins/runner.js';
import { ConnectorConfigsService } from '../services/connector-configs.js';
import { SYSTEM_ACTOR } from '../services/context.js';
import { OptionFlags } from './flags.js';
import { progressBar, reportOutcome } from './output.js';

export const CONNECTOR_USAGE = `  connector <name> --dry-run|--apply [--<option> value]... [-o key=value]... [--out batch.json]
                                     run a connector (${listPlugins().filter((p) => p.kind === 'connector').map((p) => p.name).join(', ')}); --out also writes the collected batch
  connector --config <saved name> --dry-run|--apply
                                     run a saved connector configuration (its stored secrets)`;

interface ConnectorArgs {
  name?: string;
  config?: string;
  mode?: 'dry-run' | 'apply';
  out?: string;
  options: Record<string, unknown>;
  help: boolean;
}

/** Reads `--key value`, `--key=value`, bare `--flag` (true) and `-o key=value`; option names take - or _. */
export function parseConnectorArgs(argv: readonly string[]): ConnectorArgs {
  const options = new OptionFlags();
  const args: ConnectorArgs = { options: options.values, help: false };
  const put = (key: string, value: unknown): void => options.put(key, value);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--dry-run' || a === '--apply') {
      if (args.mode && args.mode !== a.slice(2)) throw new Error('Use either --dry-run or --apply.');
      args.mode = a.slice(2) as ConnectorArgs['mode'];
    } else if (a === '--help' || a === '-h') args.help = true;
    else if (a === '--out') args.out = next();
    else if (a === '--config') args.config = next();
    else if (a === '-o' || a === '--option') options.putPair(a, next());
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) put(a.slice(2, eq), a.slice(eq + 1));
      else if (argv[i + 1] === undefined || /^-(-|o$)/.test(argv[i + 1]!)) put(a.slice(2), 'true');
      else put(a.slice(2), next());
    } else if (!args.name) args.name = a;
    else throw new Error(`Unexpected argument "${a}".`);
  }
  return args;
}

/** `ipocket connector`: progress bar on stderr, summary table, per-IP changes of a dry-run; exit 1 when the run failed. */
export async function connectorCommand(db: Knex, secretKey: string, argv: readonly string[], signal?: AbortSignal): Promise<number> {
  const args = parseConnectorArgs(argv);
  if (args.help || (!args.name && !args.config) || !args.mode) {
    console.error(`Usage:\n${CONNECTOR_USAGE}`);
    return args.help ? 0 : 2;
  }
  const dryRun = args.mode === 'dry-run';
  // Only a dry run prints changed records (the first few): an applied run keeps none in memory.
  const previewLimit = dryRun ? 1000 : 0;
  const progress = progressBar();
  let outcome: RunOutcome | null;
  if (args.config) {
    const id = await new ConnectorConfigsService({ db, actor: SYSTEM_ACTOR }, secretKey, pluginCatalog).idByName(args.config);
    if (id === null) {
      console.error(`No saved connector configuration "${args.config}".`);
      return 1;
    }
    const res = await new ConnectorScheduler({ db, secretKey, log: () => undefined }).runNow(id, dryRun, SYSTEM_ACTOR, { previewLimit });
    outcome = res.outcome;
    if (!outcome) console.error(res.error?.message ?? 'The run failed.');
  } else {
    const plugin = getPlugin(args.name!);
    if (plugin.kind !== 'connector') {
      console.error(`"${plugin.name}" is an importer: use ipocket import ${plugin.name} <file>.`);
      return 2;
    }
    outcome = await runPlugin(db, SYSTEM_ACTOR, { plugin: args.out ? writingBatch(plugin, args.out) : plugin, input: { files: [] }, options: args.options, dryRun, signal, previewLimit, onProgress: (p) => progress.update(p.phase, p.done, p.total) });
  }
  progress.stop();
  if (!outcome) return 1;
  return reportOutcome(outcome, { changes: dryRun });
}

/** The plugin, writing its collected batch to a file before the plan. */
function writingBatch(plugin: Plugin, file: string): Plugin {
  return {
    ...plugin,
    async collect(input, options, ctx) {
      const batch: Batch = await plugin.collect(input, options, ctx);
      writeFileSync(file, JSON.stringify(batch, null, 1));
      console.error(`Wrote the batch to ${file} (${batch.ip_assets.length} IP assets, ${batch.hosts.length} hosts)`);
      return batch;
    },
  };
}
