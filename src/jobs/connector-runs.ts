import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import cron, { type ScheduledTask } from 'node-cron';
import { ConflictError } from '../domain/errors.js';
import { formatTimestamp } from '../domain/time.js';
import { pluginCatalog } from '../plugins/catalog.js';
import type { Plugin } from '../plugins/define-plugin.js';
import { runPlugin, type RunOutcome } from '../plugins/runner.js';
import { ConnectorConfigsService } from '../services/connector-configs.js';
import { ConnectorScheduleService } from '../services/connector-schedule.js';
import type { Actor } from '../services/context.js';
import { ImportRunsService } from '../services/import-runs.js';
import { SCHEDULER_ACTOR } from './registry.js';
import { cronMatches } from './schedule.js';


export interface SchedulerOptions {
  db: Knex;
  /** IPOCKET_SECRET_KEY: opens the saved secrets. */
  secretKey: string;
  /** Names this instance in locks (host:pid:random by default). */
  instanceId?: string;
  /** How long a claim holds before another instance may take over a crashed run; renewed while running. */
  leaseMs?: number;
  /** How often saved configurations are re-read (changes made through another instance). */
  reloadMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface FireResult {
  configId: number;
  name: string;
  ran: boolean;
  /** Why nothing ran. */
  reason?: string;
  runId?: number | null;
  status?: string;
}

export interface RunNowOptions {
  /** Called once the run row exists. */
  onStart?: (runId: number) => void;
  /** CREATE/UPDATE (and SKIP) records the plan keeps for the caller to show (default 0: none). */
  previewLimit?: number;
}

interface Scheduled {
  task: ScheduledTask;
  key: string;
}

/**
 * Runs saved connector configurations on their cron schedules (node-cron). Every instance of the
 * app runs one; a due job is claimed in the database first (ConnectorScheduleService), so exactly
 * one instance runs each slot and a run never overlaps itself. Outcomes are import runs linked to
 * their configuration; failures carry the error.
 */
export class ConnectorScheduler {
  readonly instanceId: string;
  private readonly leaseMs: number;
  private readonly tasks = new Map<number, Scheduled>();
  private readonly running = new Map<number, Promise<unknown>>();
  private readonly aborts = new Set<AbortController>();
  private reloadTimer: NodeJS.Timeout | null = null;
  private readonly schedule: ConnectorScheduleService;
  private readonly configs: ConnectorConfigsService<Plugin>;
  private readonly log: NonNullable<SchedulerOptions['log']>;

  constructor(private readonly opts: SchedulerOptions) {
    this.instanceId = opts.instanceId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.leaseMs = opts.leaseMs ?? 10 * 60_000;
    this.schedule = new ConnectorScheduleService(opts.db);
    this.configs = new ConnectorConfigsService({ db: opts.db, actor: SCHEDULER_ACTOR }, opts.secretKey, pluginCatalog);
    this.log = opts.log ?? ((level, message) => console[level === 'info' ? 'log' : level](`[scheduler] ${message}`));
  }

  /** Loads the schedules and keeps them in sync with the database. */
  async start(): Promise<void> {
    await this.reload();
    this.reloadTimer = setInterval(() => void this.reload().catch((err: unknown) => this.log('error', `reload failed: ${String(err)}`)), this.opts.reloadMs ?? 30_000);
    this.reloadTimer.unref();
  }

  /** Starts no more runs; runs in progress go on (a shutdown gives them a grace period first). */
  async halt(): Promise<void> {
    if (this.reloadTimer) clearInterval(this.reloadTimer);
    this.reloadTimer = null;
    for (const s of this.tasks.values()) await s.task.destroy();
    this.tasks.clear();
  }

  /** Stops scheduling, cancels runs in progress (they end as interrupted) and waits for them. */
  async stop(): Promise<void> {
    await this.halt();
    for (const a of this.aborts) a.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  /** Creates, replaces or drops cron tasks to match the enabled configurations. */
  async reload(): Promise<void> {
    const rows = await this.schedule.scheduled();
    const wanted = new Set<number>();
    for (const r of rows) {
      const id = Number(r.id);
      const key = `${r.cron}|${r.updated_at}`;
      wanted.add(id);
      if (this.tasks.get(id)?.key === key) continue;
      await this.tasks.get(id)?.task.destroy();
      const task = cron.schedule(r.cron!, (ctx) => void this.fire(id, ctx.date.getTime()).catch((err: unknown) => this.log('error', `${r.name}: ${String(err)}`)), { name: `connector-${id}` });
      this.tasks.set(id, { task, key });
    }
    for (const [id, s] of this.tasks) {
      if (wanted.has(id)) continue;
      await s.task.destroy();
      this.tasks.delete(id);
    }
  }

  /** Runs every enabled configuration whose cron matches `now` (to the second); for tests and manual ticking. */
  async tick(now: Date = new Date()): Promise<FireResult[]> {
    const rows = await this.schedule.scheduled();
    const due = rows.filter((r) => cronMatches(r.cron!, now));
    const slot = Math.floor(now.getTime() / 1000) * 1000;
    return Promise.all(due.map((r) => this.fire(Number(r.id), slot, now)));
  }

  /** Runs the scheduled slot `slotMs` of a configuration if this instance wins the claim. */
  async fire(configId: number, slotMs: number, now: Date = new Date()): Promise<FireResult> {
    const row = await this.configs.row(configId);
    const base = { configId, name: row.name };
    if (this.running.has(configId)) {
      this.log('warn', `${row.name}: the previous run is still going; skipping the run due at ${new Date(slotMs).toISOString()}`);
      return { ...base, ran: false, reason: 'still running' };
    }
    if (!(await this.schedule.claimSlot(configId, slotMs, this.instanceId, now.getTime(), this.leaseMs))) {
      return { ...base, ran: false, reason: 'claimed elsewhere or still running' };
    }
    // Nobody reads a scheduled run's per-record preview (its log and counts are stored): keep none.
    const out = await this.track(configId, this.execute(configId, row.mode === 'dry_run', SCHEDULER_ACTOR, { previewLimit: 0 }));
    return { ...base, ran: true, runId: out.runId, status: out.status };
  }

  /**
   * Runs a configuration now (panel/API "run now"); 409 while a run of it is in progress anywhere.
   * `previewLimit`: the changed records the caller will show (the plan keeps no more; its counts stay exact).
   */
  async runNow(configId: number, dryRun: boolean, actor: Actor, opts: RunNowOptions = {}): Promise<{ runId: number | null; status: string; outcome: RunOutcome | null; error: Error | null }> {
    const row = await this.configs.row(configId);
    if (this.running.has(configId) || !(await this.schedule.claimManual(configId, this.instanceId, Date.now(), this.leaseMs))) {
      throw new ConflictError(`"${row.name}" is already running; wait for it to finish.`);
    }
    return this.track(configId, this.execute(configId, dryRun, actor, opts));
  }

  private async track<T>(configId: number, p: Promise<T>): Promise<T> {
    this.running.set(configId, p);
    try {
      return await p;
    } finally {
      this.running.delete(configId);
    }
  }

  /** One run under a held claim: lease renewed on the run's heartbeat, released with the outcome. */
  private async execute(configId: number, dryRun: boolean, actor: Actor, opts: RunNowOptions): Promise<{ runId: number | null; status: string; outcome: RunOutcome | null; error: Error | null }> {
    const abort = new AbortController();
    this.aborts.add(abort);
    let runId: number | null = null;
    let status = 'failed';
    let error: Error | null = null;
    let outcome: RunOutcome | null = null;
    let linking: Promise<void> = Promise.resolve();
    let name = `config ${configId}`;
    try {
      const { row, plugin, options } = await this.configs.runtime(configId);
      name = row.name;
      outcome = await runPlugin(this.opts.db, actor, {
        plugin,
        input: { files: [] },
        options,
        dryRun,
        source: row.name,
        seenIn: { scope: row.name, configId: row.id },
        signal: abort.signal,
        previewLimit: opts.previewLimit ?? 0,
        lease: { renew: () => this.schedule.heartbeat(configId, this.instanceId, Date.now() + this.leaseMs), everyMs: Math.max(1000, this.leaseMs / 3) },
        onStart: (id) => {
          runId = id;
          linking = this.schedule.linkRun(configId, id);
          opts.onStart?.(id);
        },
      });
      status = outcome.status;
      error = outcome.error;
    } catch (err) {
      // Options that no longer validate, or secrets that cannot be opened: still a recorded, failed run.
      error = err instanceof Error ? err : new Error(String(err));
      if (runId === null) runId = await this.recordFailure(configId, name, dryRun, actor, error).catch(() => null);
    } finally {
      this.aborts.delete(abort);
      await linking.catch(() => undefined);
      await this.schedule.release(configId, this.instanceId, { runId, status, error: error?.message ?? null }).catch((e: unknown) => this.log('error', `${name}: cannot release the claim: ${String(e)}`));
    }
    if (status === 'failed') this.log('error', `${name}: run ${runId ?? '?'} failed: ${error?.message ?? 'unknown error'}`);
    return { runId, status, outcome, error };
  }

  private async recordFailure(configId: number, name: string, dryRun: boolean, actor: Actor, error: Error): Promise<number> {
    const runs = new ImportRunsService({ db: this.opts.db, actor });
    const row = await this.configs.row(configId);
    const runId = await runs.start({ plugin: row.plugin, source: name, mode: dryRun ? 'dry_run' : 'apply', options: {} });
    await this.schedule.linkRun(configId, runId);
    await runs.appendLog(runId, [{ level: 'error', message: error.message, at: formatTimestamp() }], 0);
    await runs.finish(runId, { status: 'failed', error: error.message });
    return runId;
  }
}
