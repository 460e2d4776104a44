import type { Knex } from 'knex';
import { createServices, type ServicesConfig } from '../services/index.js';
import { JobsService, type JobStatus } from '../services/jobs.js';
import { INSTANCE_ID } from '../services/run-liveness.js';
import { startHeartbeat } from './heartbeat.js';
import { SCHEDULER_ACTOR, type JobDefinition, type JobRegistry } from './registry.js';
import { dueSlot } from './schedule.js';

/** Something else the runner starts and stops with itself: the connector runs (their schedules are rows of connector_configs). */
export interface JobKind {
  start(): Promise<void>;
  /** Starts no more runs; runs in progress go on. */
  halt(): Promise<void>;
  /** Cancels runs in progress and waits for them. */
  stop(): Promise<void>;
}

export interface JobRunnerOptions {
  db: Knex;
  registry: JobRegistry;
  /** The settings the jobs' services read. */
  config: ServicesConfig;
  /** Names this instance in claims (the run-liveness id by default: host:pid:random). */
  instanceId?: string;
  /** The clock: claims, leases and due slots all read it, so tests move time instead of sleeping. */
  now?: () => Date;
  /** How often start() ticks (default 1 s: cron slots are seconds). */
  tickMs?: number;
  kinds?: JobKind[];
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface JobTickResult {
  name: string;
  slot: number;
  ran: boolean;
  /** Why nothing ran. */
  reason?: string;
  status?: JobStatus;
  result?: string | null;
  error?: string | null;
}

const DEFAULT_LEASE_MS = 60_000;

/**
 * The job runner: every instance runs one, ticking the registered jobs' schedules; a due slot is
 * claimed in the database first (JobsService), so with N instances on one database each slot runs
 * once, and a job never overlaps itself. While a job runs its lease is renewed by the heartbeat; a
 * holder that dies stops renewing, and once the lease runs out the next slot is free for any
 * instance. Each run's outcome (status, error, result, duration) is recorded on the job's row.
 */
export class JobRunner {
  readonly instanceId: string;
  private readonly jobs: JobsService;
  private readonly now: () => Date;
  private readonly running = new Map<string, Promise<JobTickResult>>();
  private readonly aborts = new Set<AbortController>();
  private readonly log: NonNullable<JobRunnerOptions['log']>;
  private timer: NodeJS.Timeout | null = null;
  private lastTickMs: number | undefined;

  constructor(private readonly opts: JobRunnerOptions) {
    this.instanceId = opts.instanceId ?? INSTANCE_ID;
    this.jobs = new JobsService(opts.db);
    this.now = opts.now ?? (() => new Date());
    this.log = opts.log ?? ((level, message) => console[level === 'info' ? 'log' : level](message));
  }

  async start(): Promise<void> {
    for (const k of this.opts.kinds ?? []) await k.start();
    this.timer = setInterval(() => void this.tick().catch((err: unknown) => this.log('error', `[jobs] tick failed: ${formatError(err)}`)), this.opts.tickMs ?? 1000);
    this.timer.unref();
    void this.tick().catch((err: unknown) => this.log('error', `[jobs] tick failed: ${formatError(err)}`));
  }

  /** Starts no more jobs; jobs in progress go on (a shutdown gives them a grace period first). */
  async halt(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const k of this.opts.kinds ?? []) await k.halt();
  }

  /** Stops ticking, cancels jobs in progress and waits for them. */
  async stop(): Promise<void> {
    await this.halt();
    for (const a of this.aborts) a.abort();
    await Promise.allSettled([...this.running.values()]);
    for (const k of this.opts.kinds ?? []) await k.stop();
  }

  /** Runs every registered job that is due at `now` and whose slot this instance claims; resolves when they finished. */
  async tick(now: Date = this.now()): Promise<JobTickResult[]> {
    const since = this.lastTickMs;
    this.lastTickMs = now.getTime();
    const fired: Promise<JobTickResult>[] = [];
    for (const job of this.opts.registry.list()) {
      const slot = dueSlot(job.schedule, now.getTime(), since);
      if (slot !== null) fired.push(this.fire(job, slot, now));
    }
    return Promise.all(fired);
  }

  /** The recorded state of every job that has run (last status, error, result, duration). */
  records(): ReturnType<JobsService['list']> {
    return this.jobs.list(this.now().getTime());
  }

  private async fire(job: JobDefinition, slot: number, now: Date): Promise<JobTickResult> {
    if (this.running.has(job.name)) return { name: job.name, slot, ran: false, reason: 'still running' };
    const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS;
    if (!(await this.jobs.claim(job.name, slot, this.instanceId, now.getTime(), leaseMs))) return { name: job.name, slot, ran: false, reason: 'claimed elsewhere or still running' };
    const run = this.execute(job, slot, now, leaseMs);
    this.running.set(job.name, run);
    try {
      return await run;
    } finally {
      this.running.delete(job.name);
    }
  }

  /** One run under a held claim: lease renewed on the heartbeat, released with the outcome. */
  private async execute(job: JobDefinition, slot: number, now: Date, leaseMs: number): Promise<JobTickResult> {
    const abort = new AbortController();
    this.aborts.add(abort);
    const beat = startHeartbeat(Math.max(1000, leaseMs / 3), () => this.jobs.renew(job.name, this.instanceId, this.now().getTime() + leaseMs));
    const startedMs = Date.now();
    let status: JobStatus = 'succeeded';
    let result: string | null = null;
    let error: string | null = null;
    try {
      const services = createServices({ db: this.opts.db, actor: SCHEDULER_ACTOR }, this.opts.config);
      result = (await job.run({ db: this.opts.db, services, now, signal: abort.signal, instanceId: this.instanceId, log: this.log })) ?? null;
    } catch (err) {
      status = 'failed';
      error = formatError(err);
      this.log('error', `[jobs] ${job.name}: failed: ${error}`);
    } finally {
      beat.stop();
      this.aborts.delete(abort);
    }
    const durationMs = Date.now() - startedMs;
    await this.jobs
      .finish(job.name, this.instanceId, { status, error, result, durationMs, finishedAt: this.now() })
      .catch((e: unknown) => this.log('error', `[jobs] ${job.name}: cannot record the outcome: ${formatError(e)}`));
    return { name: job.name, slot, ran: true, status, result, error };
  }
}

function formatError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
