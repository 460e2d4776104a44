/**
 * Reservation lifecycle arithmetic (pure) for the jobs: how long a released address waits
 * before it is reclaimed. The states and their moves are in types.ts.
 */

/** Default days a released address keeps its record before the reclaim job marks it reclaimed (the seed's reclaim_released_ips(days=30)). */
export const DEFAULT_RECLAIM_DAYS = 30;

/** The instant at or before which a released reservation is old enough to reclaim. */
export function reclaimCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
