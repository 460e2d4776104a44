import { openNetBoxSync } from '../plugins/netbox-sync.js';
import { SCHEDULER_ACTOR, type JobRegistry } from './registry.js';

const HOUR_MS = 3_600_000;
const EVERY_MS = 5000;

/**
 * NetBox on the job runner (issue 16), one job so that pushes and the bulk sync never overlap
 * (the runner's claim keeps a job to one instance and one run at a time):
 * - every 5 s it sends the queued pushes that are due (after their change committed; a failed one
 *   waits its backoff and stays queued, so an outage loses nothing);
 * - in the first slot of every hour it also runs the bulk sync of every pool (conflicts found).
 * It does nothing while no NetBox connection is saved.
 */
export function registerNetBoxJobs(jobs: JobRegistry): void {
  jobs.register({
    name: 'netbox',
    schedule: { everyMs: EVERY_MS },
    leaseMs: 300_000,
    async run({ db, now, signal, services }) {
      const sync = await openNetBoxSync(db, SCHEDULER_ACTOR, services.connectorConfigs, signal);
      if (!sync) return 'no NetBox connection';
      try {
        const pushed = await sync.drain(now.getTime());
        const out = [pushed ? `push run #${pushed.id}: ${JSON.stringify(pushed.counts)}` : 'nothing queued'];
        if (now.getTime() % HOUR_MS < EVERY_MS) {
          const run = await sync.syncAll();
          out.push(`sync run #${run.id}: ${JSON.stringify(run.counts)}`);
        }
        return out.join('; ');
      } finally {
        sync.close();
      }
    },
  });
}
