import { netboxSettings, netboxSyncFor } from '../plugins/netbox-sync.js';
import { NetBoxBusyError } from '../services/netbox/lease.js';
import { SCHEDULER_ACTOR, type JobRegistry } from './registry.js';

const HOUR_MS = 3_600_000;
const EVERY_MS = 5000;

/**
 * NetBox on the job runner (issue 16), one job so that pushes and the bulk sync never overlap
 * (the runner's claim keeps a job to one instance and one run at a time; the NetBox lease keeps it
 * off a sync or import a request started on another instance):
 * - every 5 s it sends the queued pushes that are due (after their change committed; a failed one
 *   waits its backoff and stays queued, so an outage loses nothing);
 * - in the first run of every hour it also runs the bulk sync of every pool (conflicts found). The
 *   hour is claimed in the database, so an hour whose first slots passed while the app was down
 *   still gets its sync, once, on start.
 * It does nothing while no NetBox connection is saved; while another instance holds the lease it
 * waits for its next slot (nothing is lost: the queue and the hour's claim stay).
 */
export function registerNetBoxJobs(jobs: JobRegistry): void {
  jobs.register({
    name: 'netbox',
    schedule: { everyMs: EVERY_MS },
    leaseMs: 300_000,
    async run({ db, now, signal, services }) {
      const settings = await netboxSettings(services.connectorConfigs);
      if (!settings) return 'no NetBox connection';
      const sync = netboxSyncFor(db, SCHEDULER_ACTOR, settings, signal, 0);
      try {
        const { pushed, synced } = await sync.scheduled(now.getTime(), Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
        const out = [pushed ? `push run #${pushed.id}: ${JSON.stringify(pushed.counts)}` : 'nothing queued'];
        if (synced) out.push(`sync run #${synced.id}: ${JSON.stringify(synced.counts)}`);
        return out.join('; ');
      } catch (err) {
        if (err instanceof NetBoxBusyError) return `skipped: ${err.holder} holds the NetBox sync lease`;
        throw err;
      } finally {
        sync.close();
      }
    },
  });
}
