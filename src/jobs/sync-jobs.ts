import { ValidationError } from '../domain/errors.js';
import type { ConnectorConfig } from '../services/connector-configs.js';
import type { Actor } from '../services/context.js';
import type { ConnectorScheduler } from './connector-runs.js';

/**
 * The seeds' "sync" as one job: every saved configuration of the named connectors, run
 * one after another through the connector runner (claims, run rows, audit), in the background.
 * One after another, not at once: two sources reporting the same new device in parallel would
 * both plan a CREATE for it. A job is known by its first run's id (a run id is what the seeds'
 * clients poll); the jobs of this process are kept in memory, and each run is a stored run, so
 * a job started elsewhere or before a restart still answers through its runs.
 */

export interface SyncJobRun {
  config_id: number;
  config: string;
  plugin: string;
  run_id: number | null;
  /** `pending` until its turn; then the run's own status. */
  status: string;
  error: string | null;
}

export interface SyncJob {
  id: number;
  source: string;
  dry_run: boolean;
  runs: SyncJobRun[];
  done: boolean;
}

/** Jobs remembered per process (their runs stay in the database regardless). */
const KEEP_JOBS = 200;

export class SyncJobs {
  private readonly jobs = new Map<number, SyncJob>();

  constructor(private readonly runner: ConnectorScheduler) {}

  get(id: number): SyncJob | undefined {
    return this.jobs.get(id);
  }

  /**
   * Starts the configurations of `plugins` (in that plugin order) and resolves
   * once the first run exists, with the job. 422 on `source` when there is none to run; 409
   * when the first is already running.
   */
  async start(source: string, plugins: readonly string[], configs: readonly ConnectorConfig[], actor: Actor, dryRun: boolean, hint: string): Promise<SyncJob> {
    // `enabled` is the schedule's switch (LAIM's SYNC_ENABLED): a sync asked for now runs either way.
    const chosen = configs.filter((c) => plugins.includes(c.plugin)).sort((a, b) => plugins.indexOf(a.plugin) - plugins.indexOf(b.plugin) || a.id - b.id);
    if (chosen.length === 0) throw ValidationError.field('source', `no saved connector configuration for ${plugins.join(' or ')}: ${hint}`);
    const job: SyncJob = { id: 0, source, dry_run: dryRun, done: false, runs: chosen.map((c) => ({ config_id: c.id, config: c.name, plugin: c.plugin, run_id: null, status: 'pending', error: null })) };
    let started!: (id: number) => void;
    let refused!: (err: unknown) => void;
    const first = new Promise<number>((resolve, reject) => {
      started = resolve;
      refused = reject;
    });
    const remember = (runId: number): void => {
      if (job.id !== 0) return;
      job.id = runId;
      this.jobs.set(runId, job);
      while (this.jobs.size > KEEP_JOBS) this.jobs.delete(this.jobs.keys().next().value!);
      started(runId);
    };
    void (async () => {
      for (const [i, r] of job.runs.entries()) {
        r.status = 'running';
        try {
          const out = await this.runner.runNow(r.config_id, dryRun, actor, (runId) => {
            r.run_id = runId;
            remember(runId);
          });
          r.run_id ??= out.runId;
          r.status = out.status;
          r.error = out.error?.message ?? null;
          if (out.runId !== null) remember(out.runId);
        } catch (err) {
          r.status = 'failed';
          r.error = err instanceof Error ? err.message : String(err);
          // The first could not even start (already running, removed): the caller gets the error.
          if (i === 0 && job.id === 0) {
            job.done = true;
            return refused(err);
          }
        }
      }
      job.done = true;
    })();
    await first;
    return job;
  }
}
