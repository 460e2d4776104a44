import { DEFAULT_RECLAIM_DAYS } from '../domain/pools/lifecycle.js';
import { ReservationLifecycleService } from '../services/pools/lifecycle.js';
import { SCHEDULER_ACTOR, type JobRegistry } from './registry.js';

export interface PoolJobOptions {
  /** Days a released address waits before it is reclaimed (default 30, as the seed's reclaim_released_ips). */
  reclaimDays?: number;
}

/**
 * The reservation lifecycle on the job runner, both reading the runner's clock (`now`, the slot
 * being run), so a test moves time instead of waiting for it:
 * - `expire-reservations` (every minute): RESERVED past expires_at → EXPIRED;
 * - `reclaim-released-ips` (hourly): RELEASED for more than N days → reclaimed.
 */
export function registerPoolJobs(jobs: JobRegistry, o: PoolJobOptions = {}): void {
  jobs.register({
    name: 'expire-reservations',
    schedule: { everyMs: 60_000 },
    async run({ db, now }) {
      const n = await new ReservationLifecycleService({ db, actor: SCHEDULER_ACTOR }).expire(now);
      return `expired ${n} reservation(s)`;
    },
  });
  jobs.register({
    name: 'reclaim-released-ips',
    schedule: { everyMs: 3_600_000 },
    async run({ db, now }) {
      const days = o.reclaimDays ?? DEFAULT_RECLAIM_DAYS;
      const n = await new ReservationLifecycleService({ db, actor: SCHEDULER_ACTOR }).reclaim(now, days);
      return `reclaimed ${n} released address(es) older than ${days} day(s)`;
    },
  });
}
