import type { Knex } from 'knex';
import { ValidationError } from '../domain/errors.js';
import type { ConnectorConfig } from '../services/connector-configs.js';
import type { Actor } from '../services/context.js';
import { ownerAlive } from '../services/run-liveness.js';
import type { ConnectorScheduler } from './connector-runs.js';

/**
 * The seeds' "sync" as one job: every saved configuration of the named connectors, run
 * one after another through the connector runner (claims, run rows, audit), in the background.
 * One after another, not at once: two sources reporting the same new device in parallel would
 * both plan a CREATE for it. A job is known by its first run's id (a run id is what the seeds'
 * clients poll). It lives in the run table, not in memory: every run of the job names it
 * (`import_runs.sync_job_id`) and the first run's row keeps the job itself (`sync_job`: its
 * configurations and how far it got), so any instance answers for it, also after a restart.
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

/** What `sync_job` of the first run's row holds. */
interface StoredJob {
  source: string;
  dry_run: boolean;
  done: boolean;
  runs: SyncJobRun[];
}

export class SyncJobs {
  constructor(
    private readonly runner: ConnectorScheduler,
    private readonly db: Knex,
  ) {}

  /** The job `id` names (its first run's id, or any of its runs'), from the run table; undefined when no job has that run. */
  async get(id: number): Promise<SyncJob | undefined> {
    const row = (await this.db('import_runs').where({ id }).select('id', 'sync_job_id').first()) as { id: number; sync_job_id: number | null } | undefined;
    if (!row || row.sync_job_id === null) return undefined;
    const first = (await this.db('import_runs').where({ id: row.sync_job_id }).select('id', 'sync_job').first()) as { id: number; sync_job: string | null } | undefined;
    if (!first?.sync_job) return undefined;
    const stored = JSON.parse(first.sync_job) as StoredJob;
    const job: SyncJob = { id: Number(first.id), ...stored };
    if (!job.done && job.runs.some((r) => r.status === 'pending' || (r.status === 'running' && r.run_id === null))) {
      // Its instance stopped before the job ended (its last run says whether it is alive): the rest never starts.
      const last = (await this.db('import_runs').where({ sync_job_id: job.id }).orderBy('id', 'desc').select('instance_id', 'heartbeat_at', 'started_at', 'status').first()) as Parameters<typeof ownerAlive>[0] & { status: string };
      if (last && last.status !== 'running' && !ownerAlive(last)) {
        job.done = true;
        for (const r of job.runs) if (r.run_id === null) Object.assign(r, { status: 'interrupted', error: 'not started: the instance running the job stopped' });
      }
    }
    return job;
  }

  /**
   * Starts the configurations of `plugins` (in that plugin order) and resolves
   * once the first run exists and the job is stored, with the job. 422 on `source` when there is
   * none to run; 409 when the first is already running.
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
    // Writes of the job's state, in order (each waits for the one before).
    let saving: Promise<unknown> = Promise.resolve();
    const save = (runId: number | null): Promise<unknown> => {
      const { id: _id, ...stored } = job;
      const state = JSON.stringify(stored satisfies StoredJob);
      saving = saving.then(async () => {
        if (runId !== null) await this.db('import_runs').where({ id: runId }).update({ sync_job_id: job.id });
        await this.db('import_runs').where({ id: job.id }).update({ sync_job: state });
      });
      return saving;
    };
    const remember = (runId: number): void => {
      if (job.id !== 0) return void save(runId);
      job.id = runId;
      void save(runId).then(() => started(runId), refused);
    };
    void (async () => {
      for (const [i, r] of job.runs.entries()) {
        r.status = 'running';
        try {
          const out = await this.runner.runNow(r.config_id, dryRun, actor, {
            onStart: (runId) => {
              r.run_id = runId;
              remember(runId);
            },
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
        if (job.id !== 0 && i < job.runs.length - 1) await save(null).catch(() => undefined);
      }
      job.done = true;
      if (job.id !== 0) await save(null).catch(() => undefined);
    })();
    await first;
    return job;
  }
}
