import type { JobRegistry } from './registry.js';

export const ARCHIVE_MISSING_JOB = 'archive-missing-devices';

/**
 * The device connectors' archive policy (`archive_missing_after_days`) on the job runner: hourly,
 * the devices missing from every source past their `archive_at` (by the runner's clock, so a test
 * moves time instead of waiting) are archived with a history row naming this job.
 */
export function registerMissingDeviceJobs(jobs: JobRegistry): void {
  jobs.register({
    name: ARCHIVE_MISSING_JOB,
    schedule: { everyMs: 3_600_000 },
    async run({ services, now }) {
      const n = await services.devices.archiveMissing(now, ARCHIVE_MISSING_JOB);
      return `archived ${n} device(s) missing from every source past their archive delay`;
    },
  });
}
