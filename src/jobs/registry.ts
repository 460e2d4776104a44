import type { Knex } from 'knex';
import type { Actor } from '../services/context.js';
import type { Services } from '../services/index.js';
import { checkSchedule, type JobSchedule } from './schedule.js';

/** Who scheduled work acts as (audit entries and run rows say "scheduler"). */
export const SCHEDULER_ACTOR: Actor = { userId: null, username: 'scheduler', role: 'editor' };

export interface JobContext {
  db: Knex;
  /** Every service, acting as the scheduler: a job calls services like any other surface. */
  services: Services;
  /** The slot being run (the runner's clock: tests set it). */
  now: Date;
  /** Aborted when the instance shuts down: stop at the next step. */
  signal: AbortSignal;
  instanceId: string;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface JobDefinition {
  /** Unique; the key of its row in `jobs`. */
  name: string;
  schedule: JobSchedule;
  /**
   * How long a claim holds without a heartbeat before another instance may take the job over
   * (the holder crashed); renewed every third of it while the job runs. Default 60 s.
   */
  leaseMs?: number;
  /** Does the work; what it returns is recorded as the run's result ("purged 3 tokens"). A throw records a failure. */
  run(ctx: JobContext): Promise<string | void>;
}

/**
 * The jobs an instance runs on a schedule, by name. Adding one (reservation expiry, a NetBox push)
 * is one `register({ name, schedule, run })` call; the runner claims each due slot in the database,
 * so with N instances it runs once.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, JobDefinition>();

  register(job: JobDefinition): JobDefinition {
    if (this.jobs.has(job.name)) throw new Error(`Two jobs are named "${job.name}".`);
    checkSchedule(job.name, job.schedule);
    this.jobs.set(job.name, job);
    return job;
  }

  get(name: string): JobDefinition | undefined {
    return this.jobs.get(name);
  }

  list(): JobDefinition[] {
    return [...this.jobs.values()];
  }
}
