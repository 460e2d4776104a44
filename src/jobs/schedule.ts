import cron from 'node-cron';

/** When a job is due: a cron expression (5 fields, or 6 with seconds, as node-cron reads them) or a fixed interval. */
export type JobSchedule = { cron: string } | { everyMs: number };

/** True when the cron expression fires at `at` (to the second). */
export function cronMatches(expression: string, at: Date): boolean {
  const probe = cron.createTask(expression, () => undefined);
  try {
    return probe.match(at);
  } finally {
    void probe.destroy();
  }
}

/** Seconds looked back for a cron slot a late tick (a busy event loop) would otherwise miss. */
const CATCH_UP_MS = 60_000;

/**
 * The slot (epoch ms) of `schedule` that is due at `nowMs`, or null. Every instance computes the
 * same slots, so the claim in the database decides who runs one. An interval's slots are aligned to
 * the epoch; a cron's are the seconds it fires at, the latest one after the previous tick `sinceMs`.
 */
export function dueSlot(schedule: JobSchedule, nowMs: number, sinceMs?: number): number | null {
  if ('everyMs' in schedule) return Math.floor(nowMs / schedule.everyMs) * schedule.everyMs;
  const now = Math.floor(nowMs / 1000) * 1000;
  const from = Math.max(sinceMs === undefined ? now : Math.floor(sinceMs / 1000) * 1000 + 1000, now - CATCH_UP_MS);
  for (let t = now; t >= from; t -= 1000) if (cronMatches(schedule.cron, new Date(t))) return t;
  return null;
}

/** Throws a message naming what is wrong with a schedule. */
export function checkSchedule(name: string, schedule: JobSchedule): void {
  if ('everyMs' in schedule) {
    if (!Number.isInteger(schedule.everyMs) || schedule.everyMs < 1000) throw new Error(`Job "${name}": everyMs must be a whole number of milliseconds, at least 1000.`);
  } else if (!cron.validate(schedule.cron)) throw new Error(`Job "${name}": "${schedule.cron}" is not a cron expression.`);
}
