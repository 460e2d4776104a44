import { writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Knex } from 'knex';
import type { Batch } from './plugins/batch.js';
import type { Plugin } from './plugins/define-plugin.js';
import { ENTITIES, type Plan } from './plugins/reconcile/index.js';
import { getPlugin, listPlugins } from './plugins/registry.js';
import { runPlugin, type RunOutcome } from './plugins/runner.js';
import { ConnectorScheduler } from './scheduler.js';
import { SYSTEM_ACTOR } from './services/context.js';

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
  const args: ConnectorArgs = { options: {}, help: false };
  const put = (key: string, value: unknown): void => {
    const k = key.replace(/-/g, '_');
    const prior = args.options[k];
    args.options[k] = prior === undefined ? value : Array.isArray(prior) ? [...(prior as unknown[]), value] : [prior, value];
  };
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
    else if (a === '-o' || a === '--option') {
      const kv = next();
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new Error(`${a} needs key=value, got "${kv}"`);
      put(kv.slice(0, eq).trim(), kv.slice(eq + 1));
    } else if (a.startsWith('--')) {
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
  const progress = progressBar();
  let outcome: RunOutcome | null;
  if (args.config) {
    const row = (await db('connector_configs').where({ name: args.config }).first('id')) as { id: number } | undefined;
    if (!row) {
      console.error(`No saved connector configuration "${args.config}".`);
      return 1;
    }
    const res = await new ConnectorScheduler({ db, secretKey, log: () => undefined }).runNow(Number(row.id), dryRun, SYSTEM_ACTOR);
    outcome = res.outcome;
    if (!outcome) console.error(res.error?.message ?? 'The run failed.');
  } else {
    const plugin = getPlugin(args.name!);
    if (plugin.kind !== 'connector') {
      console.error(`"${plugin.name}" is an importer: use ipocket import ${plugin.name} <file>.`);
      return 2;
    }
    outcome = await runPlugin(db, SYSTEM_ACTOR, { plugin: args.out ? writingBatch(plugin, args.out) : plugin, input: { files: [] }, options: args.options, dryRun, signal, onProgress: progress.update });
  }
  progress.stop();
  if (!outcome) return 1;
  if (outcome.plan) printPlan(outcome.plan, dryRun);
  if (outcome.error) console.error(outcome.error.message);
  const verdict = outcome.applied ? 'Applied.' : outcome.status === 'succeeded' ? 'Dry-run: nothing was written.' : 'Nothing was written.';
  console.log(`${verdict} (run #${outcome.runId}, ${outcome.status})`);
  return outcome.status === 'succeeded' ? 0 : 1;
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

function progressBar(): { update: (p: { phase: string; done: number; total?: number }) => void; stop(): void } {
  const bar = new cliProgress.SingleBar({ format: ' {phase} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(p) {
      const total = p.total ?? Math.max(p.done, 1);
      const phase = p.phase.padEnd(6);
      if (!started) bar.start(total, p.done, { phase });
      else {
        bar.setTotal(total);
        bar.update(p.done, { phase });
      }
      started = true;
    },
    stop: () => void (started && bar.stop()),
  };
}

function printPlan(plan: Plan, dryRun: boolean): void {
  console.table(Object.fromEntries([...ENTITIES.map((e) => [e, { create: plan.counts[e].create, update: plan.counts[e].update, skip: plan.counts[e].skip }]), ['total', plan.totals]]));
  if (dryRun) {
    const shown = plan.changes.filter((c) => c.entity === 'ip_assets' || c.entity === 'hosts').slice(0, 50);
    for (const c of shown) {
      const diff = c.changes.map((f) => `${f.field}: ${JSON.stringify(f.before ?? null)} → ${JSON.stringify(f.after ?? null)}`).join('; ');
      console.log(`${c.action.padEnd(6)} ${c.key}${diff ? `  ${diff}` : ''}`);
    }
    // The plan keeps a bounded preview of large runs; what it left out is counted, not listed.
    const omitted = plan.changesOmitted.changed + plan.changesOmitted.skipped;
    const more = plan.changes.filter((c) => c.entity === 'ip_assets' || c.entity === 'hosts').length - shown.length + omitted;
    if (more > 0) console.log(`… and ${more} more`);
  }
  for (const e of plan.errors.slice(0, 20)) console.log(`error   ${e.location}: ${e.message}`);
  for (const w of plan.warnings.slice(0, 20)) console.log(`warning ${w.location}: ${w.message}`);
  if (plan.warnings.length > 20) console.log(`… and ${plan.warnings.length - 20} more warnings`);
}

/** IPOCKET_SCHEDULER=0 turns the cron scheduler off for this instance (e.g. a read-only replica). */
export function schedulerEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !['0', 'false', 'no', 'off'].includes((env.IPOCKET_SCHEDULER ?? '').trim().toLowerCase());
}
