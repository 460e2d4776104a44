import type { Knex } from 'knex';
import type { AppConfig } from '../config.js';
import { ownConnectionDatabase } from '../db/connection.js';
import { fromWorkerError, runOnOwnConnection, toWorkerError, type OwnConnectionTask, type WorkerError } from '../db/own-connection.js';
import type { Actor } from '../services/context.js';
import { batchSize, type Batch } from './batch.js';
import type { Plugin, PluginContext, PluginInput, PluginProgress } from './define-plugin.js';
import { ImportLimitError } from './errors.js';
import type { ImportLimits } from './limits.js';
import { fullCollector } from './reconcile-on-own-connection.js';
import { prepareBatch, reconcile, type ReconcileOptions, type ReconcileResult } from './reconcile/index.js';
import { listPlugins } from './registry.js';

/**
 * The database (a SQLite file, PostgreSQL) on which this run's collect and reconcile both go to one worker thread, or
 * null to run them here. A connector's run (no files: a remote system's whole inventory) is the
 * large one: 25k VMs are ~50 MB of parsed records and twice that while they are reconciled. Held
 * on the server's thread, that memory grows its heap, and V8 keeps those pages committed long
 * after the run (the main heap reached ~100 MB committed next to the worker's ~150 MB, 50k VMs).
 * In a worker it is all freed when the thread exits. A plugin not in the registry (a test's) cannot
 * be found by the worker, which loads plugins by name; it runs here.
 */
export function collectsOnOwnConnection(db: Knex, plugin: Plugin, input: PluginInput): AppConfig['database'] | null {
  if (plugin.kind !== 'connector' || input.files.length > 0 || !listPlugins().includes(plugin)) return null;
  return ownConnectionDatabase(db);
}

/** Checks what a plugin collected against the run's limits and names its scope; returns the "Read …" log line. */
export function acceptCollected(batch: Batch, source: string, limits: ImportLimits): string {
  // A complete device inventory covers what this configuration's earlier runs reported.
  if (batch.devicesComplete) batch.devicesComplete.scope = source;
  const size = batchSize(batch);
  if (size > limits.maxRows) throw new ImportLimitError(`The input has ${size} records; the limit is ${limits.maxRows} (IPOCKET_IMPORT_MAX_ROWS).`);
  return `Read ${batch.ip_assets.length} IP asset(s), ${batch.hosts.length} host(s), ${batch.projects.length} project(s), ${batch.vendors.length} vendor(s), ${batch.tags.length} tag(s), ${batch.ranges.length} range(s)`;
}

type PlainReconcileOptions = Omit<ReconcileOptions, 'onProgress' | 'signal' | 'afterChunk'>;

/** Plain data: options (secrets included) cross to the worker, never out of the process. */
interface CollectJob {
  actor: Actor;
  plugin: string;
  options: Record<string, unknown>;
  source: string;
  dryRun: boolean;
  limits: ImportLimits;
  now: Date;
  reconcile: PlainReconcileOptions;
}

type CollectEvent = { type: 'log'; level: 'info' | 'warn' | 'error'; message: string } | { type: 'progress'; progress: PluginProgress } | { type: 'collected'; records: number };

/** The collect failed (the run is rejected or failed by the error's kind); or it was reconciled. */
export type CollectOutcome = { collected: false; error: Error } | ({ collected: true; records: number } & ReconcileResult);
type TaskResult = { collected: false; error: WorkerError } | ({ collected: true; records: number } & ReconcileResult);

export interface CollectHooks {
  signal: AbortSignal;
  log: PluginContext['log'];
  progress: PluginContext['progress'];
  /** The collect succeeded: awaited before the reconcile starts (the run writes its log first). */
  collected(records: number): Promise<void>;
}

/**
 * Runs a connector's collect, then the reconcile of what it collected (prepare → plan → apply in
 * one transaction, or the dry-run), in one worker on its own connection (collectsOnOwnConnection
 * says when). Log lines and progress come back as events; aborting `signal` aborts the worker's.
 * An error of the reconcile rejects; one of the collect is returned, to be judged as the runner
 * judges it.
 */
export async function collectAndReconcile(database: AppConfig['database'], job: CollectJob, hooks: CollectHooks): Promise<CollectOutcome> {
  const result = await runOnOwnConnection<TaskResult>(database, { module: import.meta.url, name: 'collectAndReconcileTask', input: job }, {
    signal: hooks.signal,
    onEvent: (event) => {
      const e = event as CollectEvent;
      if (e.type === 'log') hooks.log(e.level, e.message);
      else if (e.type === 'progress') hooks.progress(e.progress);
      else return hooks.collected(e.records);
    },
  });
  return result.collected ? result : { collected: false, error: fromWorkerError(result.error) };
}

/** The worker's side of collectAndReconcile. */
export const collectAndReconcileTask: OwnConnectionTask<CollectJob, TaskResult> = async (db, job, { signal, emit }) => {
  const gc = fullCollector();
  const plugin = listPlugins().find((p) => p.name === job.plugin);
  if (!plugin) throw new Error(`No plugin named ${job.plugin} in the worker.`);
  const ctx: PluginContext = {
    log: (level, message) => emit({ type: 'log', level, message } satisfies CollectEvent),
    progress: (progress) => emit({ type: 'progress', progress } satisfies CollectEvent),
    signal,
    dryRun: job.dryRun,
    limits: job.limits,
    now: job.now,
  };
  // Held in an object so that it can be let go once prepared (the reconcile keeps the prepared copy only).
  const held: { batch?: Batch } = {};
  try {
    held.batch = await plugin.collect({ files: [] }, job.options as never, ctx);
    ctx.log('info', acceptCollected(held.batch, job.source, job.limits));
  } catch (err) {
    return { collected: false, error: toWorkerError(err) };
  }
  const records = held.batch.ip_assets.length;
  emit({ type: 'collected', records } satisfies CollectEvent);
  const prepared = prepareBatch(held.batch);
  delete held.batch;
  // The fetch's pages and the raw records are garbage now: gone before the plan.
  gc?.();
  const result = await reconcile(db, job.actor, prepared, {
    ...job.reconcile,
    signal,
    onProgress: (done, total) => ctx.progress({ phase: 'apply', done, total }),
    afterChunk: gc,
  });
  return { collected: true, records, ...result };
};
