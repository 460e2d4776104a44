import type { Knex } from 'knex';
import { AppError } from '../domain/errors.js';
import { formatTimestamp } from '../domain/time.js';
import { refreshPlannerStats } from '../db/maintenance.js';
import type { Actor } from '../services/context.js';
import { ImportRunsService, type RunLogLine, type RunStatus } from '../services/import-runs.js';
import { startHeartbeat } from '../jobs/heartbeat.js';
import { heartbeat, HEARTBEAT_MS } from '../services/run-liveness.js';
import { trackRun } from './active-runs.js';
import type { Batch } from './batch.js';
import { acceptCollected, collectAndReconcile, collectsOnOwnConnection } from './collect-on-own-connection.js';
import type { Plugin, PluginContext, PluginInput, PluginProgress } from './define-plugin.js';
import { RunInterruptedError } from './errors.js';
import { importLimits, type ImportLimits } from './limits.js';
import { parseOptions, redactOptions } from './options.js';
import { reconcileBatch } from './reconcile-on-own-connection.js';
import { describePlan, MANUAL_IMPORT, MANUAL_RUN, type Plan, type ReconcileOptions } from './reconcile/index.js';

export interface RunRequest {
  plugin: Plugin;
  input: PluginInput;
  /** Raw options (JSON, form fields, CLI flags, a saved schedule); validated by the plugin's schema. */
  options?: unknown;
  dryRun: boolean;
  /** Label of the run's audit entry (`api_import_bundle`, …); defaults to `connector_<plugin>` or `import_<plugin>`. */
  auditLabel?: string;
  /** Shown in the run list; defaults to the file names. */
  source?: string;
  limits?: ImportLimits;
  signal?: AbortSignal;
  onProgress?: (p: PluginProgress) => void;
  onLog?: (line: RunLogLine) => void;
  /** Called once the run row exists (schedulers link it; the panel can follow its live log). */
  onStart?: (runId: number) => void;
  /** Renewed on the run's own heartbeat, at least every `everyMs`: the lease of whoever started the run (a scheduled connector). */
  lease?: { renew: () => Promise<unknown>; everyMs: number };
  /** CREATE/UPDATE (and SKIP) records kept in the plan's preview (default PREVIEW_LIMIT); counts stay exact. */
  previewLimit?: number;
  /** Assets planned and written per step (default RECONCILE_CHUNK); tests use small chunks. */
  chunkSize?: number;
  /** Whose sightings the run's addresses record: a saved configuration, a push source; default a manual import (or run). */
  seenIn?: ReconcileOptions['seenIn'];
}

export interface RunOutcome {
  runId: number;
  status: Exclude<RunStatus, 'running'>;
  applied: boolean;
  plan: Plan | null;
  /** Why a failed/rejected run stopped, when it did not get to a plan. */
  error: AppError | Error | null;
}

/** Lines of errors/warnings copied into the run log (the rest are counted). */
const LOGGED_ISSUES = 200;
/** The tables an applied plan wrote to: its entities are named for their tables (devices live in hosts). */
function writtenTables(plan: Plan): string[] {
  return Object.entries(plan.counts as Record<string, { create: number; update: number }>)
    .filter(([, c]) => c.create + c.update > 0)
    .map(([entity]) => (entity === 'devices' ? 'hosts' : entity));
}

/** An applied run that creates or updates this many records refreshes the planner's statistics. */
const BULK_WRITES = 1000;

/**
 * Runs one plugin end to end, the same way for the panel, the API, the CLI and cron:
 * options → run row → collect → prepare → plan (→ apply in one transaction) → run row finished.
 * Log lines are buffered and written outside the apply transaction (SQLite has one connection).
 */
export async function runPlugin(db: Knex, actor: Actor, req: RunRequest): Promise<RunOutcome> {
  const { plugin } = req;
  const options = parseOptions(plugin.options, req.options) as Record<string, unknown>;
  const runs = new ImportRunsService({ db, actor });
  const source = (req.source ?? req.input.files.map((f) => f.name).join(', ')) || plugin.name;
  const runId = await runs.start({ plugin: plugin.name, source, mode: req.dryRun ? 'dry_run' : 'apply', options: redactOptions(plugin.options, options) });
  req.onStart?.(runId);
  // Known to this process (a shutdown waits for it, then interrupts it) and to others (heartbeat).
  const tracked = trackRun(req.signal);
  const beat = startHeartbeat(Math.min(HEARTBEAT_MS, req.lease?.everyMs ?? HEARTBEAT_MS), () => heartbeat(db, [runId]), ...(req.lease ? [req.lease.renew] : []));
  try {
    return await execute(db, actor, req, runs, runId, source, options, tracked.signal);
  } finally {
    beat.stop();
    tracked.done();
  }
}

async function execute(db: Knex, actor: Actor, req: RunRequest, runs: ImportRunsService, runId: number, source: string, options: Record<string, unknown>, signal: AbortSignal): Promise<RunOutcome> {
  const { plugin } = req;

  let pending: RunLogLine[] = [];
  let stored = 0;
  const log = (level: RunLogLine['level'], message: string): void => {
    const line = { level, message, at: formatTimestamp() };
    pending.push(line);
    req.onLog?.(line);
  };
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    stored = await runs.appendLog(runId, lines, stored);
  };
  const ctx: PluginContext = {
    log,
    progress: (p) => req.onProgress?.(p),
    signal,
    dryRun: req.dryRun,
    limits: req.limits ?? importLimits(),
    now: new Date(),
  };

  const finish = async (status: RunOutcome['status'], plan: Plan | null, error: AppError | Error | null, applied = false): Promise<RunOutcome> => {
    if (plan) {
      log('info', describePlan(plan));
      for (const i of plan.errors.slice(0, LOGGED_ISSUES)) log('error', `${i.location}: ${i.message}`);
      for (const i of plan.warnings.slice(0, LOGGED_ISSUES)) log('warn', `${i.location}: ${i.message}`);
      const more = Math.max(0, plan.errors.length - LOGGED_ISSUES) + Math.max(0, plan.warnings.length - LOGGED_ISSUES);
      if (more > 0) log('warn', `${more} more error(s)/warning(s) not logged`);
      const omitted = plan.changesOmitted.changed + plan.changesOmitted.skipped;
      if (omitted > 0 && req.previewLimit !== 0) log('info', `Preview truncated: it lists ${plan.changes.length} of ${plan.changes.length + omitted} record(s); the counts cover all of them.`);
    }
    if (error) log('error', shortMessage(error));
    if (status === 'rejected' && plan) log('error', 'Nothing was written: fix the errors and run again.');
    if (applied) log('info', 'Applied in one transaction.');
    await flush();
    const counts = plan ? { ...plan.counts, total: plan.totals, errors: plan.errors.length, warnings: plan.warnings.length } : undefined;
    await runs.finish(runId, { status, counts, error: error ? shortMessage(error) : status === 'rejected' ? `${plan?.errors.length ?? 0} error(s)` : null });
    return { runId, status, applied, plan, error };
  };

  const reconcileOptions = {
    dryRun: req.dryRun,
    plugin: plugin.name,
    auditLabel: req.auditLabel ?? (plugin.kind === 'connector' ? `connector_${plugin.name}` : `import_${plugin.name}`),
    runId,
    previewLimit: req.previewLimit,
    chunkSize: req.chunkSize,
    seenIn: req.seenIn ?? { scope: plugin.kind === 'importer' ? MANUAL_IMPORT : MANUAL_RUN, configId: null },
  } satisfies Partial<ReconcileOptions>;
  // A collect that failed: a 5xx AppError is a remote system failing (a connector), not bad input.
  const collectFailed = (err: unknown): Promise<RunOutcome> => {
    const e = err instanceof Error ? err : new Error(String(err));
    if (signal.aborted) return finish('interrupted', null, interruption(signal));
    return finish(e instanceof AppError && e.status < 500 ? 'rejected' : 'failed', null, e);
  };
  const reconcileFailed = (err: unknown): Promise<RunOutcome> => {
    if (signal.aborted) return finish('interrupted', null, interruption(signal));
    return finish('failed', null, err instanceof Error ? err : new Error(String(err)));
  };
  const reconciled = async ({ plan, applied }: { plan: Plan; applied: boolean }, records: number): Promise<RunOutcome> => {
    ctx.progress({ phase: req.dryRun ? 'plan' : 'apply', done: records, total: records });
    if (plan.errors.length > 0) return finish('rejected', plan, null);
    if (applied && plan.totals.create + plan.totals.update >= BULK_WRITES) {
      // A big import changes the planner's picture at once; stale statistics make list pages sort whole tables.
      await refreshPlannerStats(db, { written: writtenTables(plan) }).catch((err: unknown) => log('warn', `Refreshing planner statistics failed: ${shortMessage(err instanceof Error ? err : new Error(String(err)))}`));
    }
    return finish('succeeded', plan, null, applied);
  };
  /** Collected: the log is written before the reconcile starts (its transaction would hold it back on SQLite). */
  const startReconcile = async (records: number): Promise<void> => {
    clearInterval(timer);
    if (!req.dryRun) log('info', 'Planning and applying in one transaction…');
    await flush();
    ctx.progress({ phase: 'plan', done: 0, total: records });
  };

  // Live log for long collects (connectors): flush every second while the plugin works.
  const timer = setInterval(() => void flush().catch(() => undefined), 1000);
  log('info', `${req.dryRun ? 'Dry-run' : 'Apply'} of ${plugin.name} from ${source}`);
  ctx.progress({ phase: 'read', done: 0 });

  const database = collectsOnOwnConnection(db, plugin, req.input);
  if (database !== null) {
    // Collect and reconcile in a worker: this thread never holds the inventory (collect-on-own-connection.ts).
    let flushFailed: unknown = null;
    try {
      const out = await collectAndReconcile(
        database,
        { actor, plugin: plugin.name, options, source, dryRun: req.dryRun, limits: ctx.limits, now: ctx.now, reconcile: reconcileOptions },
        { signal, log, progress: ctx.progress, collected: (records) => startReconcile(records).catch((err: unknown) => void (flushFailed = err)) },
      );
      clearInterval(timer);
      if (!out.collected) {
        await flush().catch(() => undefined);
        return await collectFailed(out.error);
      }
      if (flushFailed !== null) throw flushFailed;
      return await reconciled(out, out.records);
    } catch (err) {
      clearInterval(timer);
      return reconcileFailed(err);
    }
  }

  let batch: Batch | null;
  try {
    batch = await plugin.collect(req.input, options as never, ctx);
    log('info', acceptCollected(batch, source, ctx.limits));
  } catch (err) {
    clearInterval(timer);
    await flush().catch(() => undefined);
    return collectFailed(err);
  }
  const records = batch.ip_assets.length;
  await startReconcile(records);

  try {
    const reconciling = reconcileBatch(db, actor, batch, { ...reconcileOptions, onProgress: (done, total) => ctx.progress({ phase: 'apply', done, total }), signal });
    // reconcileBatch keeps what it needs (prepared, or copied to its worker); the raw records can go.
    batch = null;
    return await reconciled(await reconciling, records);
  } catch (err) {
    return reconcileFailed(err);
  }
}

/** Why an aborted run stopped, as the run row and the HTTP answer say it. */
function interruption(signal: AbortSignal): RunInterruptedError {
  const reason: unknown = signal.reason;
  if (reason instanceof RunInterruptedError) return reason;
  return new RunInterruptedError(`Interrupted: ${reason instanceof Error ? reason.message : 'the run was cancelled'}; nothing was written.`);
}

/** Driver errors quote whole statements (a 5,000-row INSERT); keep what a person can read. */
function shortMessage(error: Error): string {
  return error.message.length > 500 ? `${error.message.slice(0, 500)}…` : error.message;
}
