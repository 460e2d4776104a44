import type { Db } from '../connection.js';

/** Which devices a counter sum covers: the archived scope and optional kind/platform lists. */
export interface DeviceCountScope {
  archived: 'exclude' | 'only' | 'include';
  kind?: readonly string[] | undefined;
  platform?: readonly string[] | undefined;
}

/**
 * The number of devices in a scope, summed from the trigger-kept device_counts (migration 230):
 * exact, and a few dozen rows to read whatever the size of the table. A device without platform
 * is counted under '', which no platform filter asks for (see countableByCounters).
 */
export async function deviceCountFromCounters(db: Db, scope: DeviceCountScope): Promise<number> {
  const q = db('device_counts').sum({ n: 'n' });
  if (scope.archived === 'exclude') q.where('archived', false);
  if (scope.archived === 'only') q.where('archived', true);
  if (scope.kind?.length) q.whereIn('kind', [...scope.kind]);
  if (scope.platform?.length) q.whereIn('platform', [...scope.platform]);
  const row = (await q.first()) as { n: number | string | null } | undefined;
  return Number(row?.n ?? 0);
}

/** Devices per kind in an archived scope, from the counters (kinds with none left out). */
export async function deviceKindCountsFromCounters(db: Db, archived: boolean): Promise<{ kind: string; n: number }[]> {
  const rows = (await db('device_counts').where('archived', archived).select('kind').sum({ n: 'n' }).groupBy('kind')) as { kind: string; n: number | string | null }[];
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n ?? 0) })).filter((r) => r.n > 0);
}

/**
 * Whether the counters answer this platform filter exactly: '' is where they keep the devices
 * without platform, so a filter naming '' (devices whose platform is the empty text) must be counted.
 */
export function countableByCounters(platform: readonly string[] | undefined): boolean {
  return !platform?.includes('');
}
