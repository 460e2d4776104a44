import { reapStaleRuns } from '../services/run-liveness.js';
import { registerMissingDeviceJobs } from './missing-devices.js';
import { registerNetBoxJobs } from './netbox.js';
import { registerPoolJobs } from './pool-lifecycle.js';
import { JobRegistry } from './registry.js';

/** What a reaping says, at start-up and every minute. */
export function describeReaped(ids: readonly number[]): string | null {
  return ids.length > 0 ? `Marked ${ids.length} run(s) interrupted whose process had stopped: #${ids.join(', #')}` : null;
}

/**
 * The jobs every instance runs (the database makes each slot run once across instances):
 * - `reap-stale-runs`: marks runs whose process died (kill -9, a crash, a host gone) as interrupted;
 * - `purge-expired-tokens`: deletes API tokens past their idle or absolute expiry (panel sessions
 *   are purged by their store).
 */
export function builtinJobs(): JobRegistry {
  const jobs = new JobRegistry();
  jobs.register({
    name: 'reap-stale-runs',
    schedule: { everyMs: 60_000 },
    async run({ db, now, log }) {
      const message = describeReaped(await reapStaleRuns(db, now.getTime()));
      if (message) log('info', message);
      return message ?? 'no stale runs';
    },
  });
  jobs.register({
    name: 'purge-expired-tokens',
    schedule: { everyMs: 15 * 60_000 },
    async run({ services, now }) {
      const purged = await services.sessions.purgeExpired(now);
      return `purged ${purged} expired token(s)`;
    },
  });
  registerPoolJobs(jobs);
  registerNetBoxJobs(jobs);
  registerMissingDeviceJobs(jobs);
  return jobs;
}
