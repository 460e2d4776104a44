import { formatTimestamp, parseTimestamp } from '../time.js';

/** What a device's facts rows say about its sightings (one row per source that reported it). */
export interface SourceSighting {
  missing_since: string | null;
  /** The archive delay of the configuration that marked the row missing; null: never archive. */
  archive_after_days: number | null;
}

export interface MissingState {
  /** When the last of its sources stopped reporting it; null while any source still reports it. */
  missing_since: string | null;
  /** When the archive job archives it; null when it is not missing everywhere or a source's policy never archives. */
  archive_at: string | null;
}

const DAY_MS = 86_400_000;

/**
 * A device is missing once every source that reported it has it missing (netbox-sync's orphan);
 * it is archived N days after the last one stopped, N being the longest delay among them, and
 * never when any of them has no delay or the device has no source at all (a manual device).
 */
export function missingState(sightings: readonly SourceSighting[]): MissingState {
  if (sightings.length === 0 || sightings.some((s) => s.missing_since === null)) return { missing_since: null, archive_at: null };
  const since = sightings.map((s) => s.missing_since!).sort().at(-1)!;
  let archiveMs: number | null = 0;
  for (const s of sightings) {
    if (s.archive_after_days === null || archiveMs === null) {
      archiveMs = null;
      continue;
    }
    const at = (parseTimestamp(s.missing_since!)?.getTime() ?? 0) + s.archive_after_days * DAY_MS;
    archiveMs = Math.max(archiveMs, at);
  }
  return { missing_since: since, archive_at: archiveMs === null ? null : formatTimestamp(new Date(archiveMs)) };
}

/** Whole days left until `archiveAt` (0 once due), for "archived in N days". */
export function daysUntil(archiveAt: string, now: Date): number {
  const at = parseTimestamp(archiveAt)?.getTime() ?? now.getTime();
  return Math.max(0, Math.ceil((at - now.getTime()) / DAY_MS));
}
