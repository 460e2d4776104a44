import type { Db } from '../../db/connection.js';
import { deviceCountFromCounters, deviceKindCountsFromCounters } from '../../db/queries/device-counts.js';
import { formatTimestamp } from '../../domain/time.js';
import type { DeviceDashboardData } from '../device-dashboard-wire.js';
import { countOf } from '../rows.js';
import type { DeviceStatsWire } from './wire.js';

export type DeviceStats = DeviceStatsWire;
export type { DeviceDashboardData };

/** Columns of the device table the dashboard and LAIM's stats count devices by. */
export const DEVICE_GROUP_COLUMNS = ['kind', 'platform', 'power_state', 'room_location', 'os_family', 'environment'] as const;
export type DeviceGroupColumn = (typeof DEVICE_GROUP_COLUMNS)[number];

/** LAIM's record origins, counted over the sync sources that reported each device. */
export interface SourceCounts {
  manual: number;
  netdisco: number;
  librenms: number;
  merged: number;
}

/**
 * Live (not archived) devices per value of one column, optionally among some kinds only: one
 * grouped scan of an indexed column, never a page of rows in memory. Largest first; ties by
 * name and "not set" last, so both databases give the same order.
 */
export async function countBy(db: Db, column: DeviceGroupColumn, kinds?: readonly string[]): Promise<{ value: string | null; count: number }[]> {
  const q = db('hosts').whereNull('archived_at').select({ value: column }).count({ n: '*' }).groupBy(column);
  if (kinds) q.whereIn('kind', kinds);
  const rows = (await q) as { value: string | null; n: number | string }[];
  return largestFirst(rows.map((r) => ({ value: r.value, count: Number(r.n) })));
}

function largestFirst(counts: { value: string | null; count: number }[]): { value: string | null; count: number }[] {
  return counts.sort((a, b) => b.count - a.count || (a.value === null ? 1 : b.value === null ? -1 : a.value.localeCompare(b.value)));
}

/** Live devices per kind from the trigger-kept device_counts (a SUM over a few dozen rows, as the device list's totals), in countBy's order. */
async function kindCounts(db: Db): Promise<{ value: string | null; count: number }[]> {
  return largestFirst((await deviceKindCountsFromCounters(db, false)).map((r) => ({ value: r.kind, count: r.n })));
}

/** The same counts keyed by value (NULL reads "unknown"). */
async function countMap(db: Db, column: DeviceGroupColumn): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await countBy(db, column)) out[r.value ?? 'unknown'] = (out[r.value ?? 'unknown'] ?? 0) + r.count;
  return out;
}

const since24h = (now: Date): string => formatTimestamp(new Date(now.getTime() - 24 * 3_600_000));

/** Totals per kind, platform and power state and the history rows of the last 24 h. */
export async function deviceStats(db: Db, now = new Date()): Promise<DeviceStats> {
  return {
    total: await deviceCountFromCounters(db, { archived: 'exclude' }),
    archived: await deviceCountFromCounters(db, { archived: 'only' }),
    by_kind: Object.fromEntries((await kindCounts(db)).map((k) => [k.value!, k.count])),
    by_platform: await countMap(db, 'platform'),
    by_power_state: await countMap(db, 'power_state'),
    changes_last_24h: await countOf(db('device_changes').where('changed_at', '>=', since24h(now))),
  };
}

/** Live devices (of these kinds) by which of Netdisco and LibreNMS reported them: neither, one, or both (`merged`). */
export async function laimSources(db: Db, kinds: readonly string[]): Promise<SourceCounts> {
  const reported = (source: string) => db('device_facts').select('device_id').where('source', source);
  const base = () => db('hosts').whereNull('archived_at').whereIn('kind', kinds);
  const [both, netdisco, librenms, all] = await Promise.all([
    countOf(base().whereIn('id', reported('netdisco')).whereIn('id', reported('librenms'))),
    countOf(base().whereIn('id', reported('netdisco'))),
    countOf(base().whereIn('id', reported('librenms'))),
    countOf(base()),
  ]);
  return { merged: both, netdisco: netdisco - both, librenms: librenms - both, manual: all - netdisco - librenms + both };
}

async function networkUse(db: Db): Promise<DeviceDashboardData['networks']> {
  const rows = (await db('device_nics as n')
    .join('hosts as h', 'h.id', 'n.device_id')
    .whereNotNull('n.network_name')
    .select({ name: 'n.network_name' })
    .max({ used: db.raw('CASE WHEN n.connected = ? AND h.archived_at IS NULL THEN 1 ELSE 0 END', [true]) })
    .groupBy('n.network_name')) as { name: string; used: number | string }[];
  const inUse = rows.filter((r) => Number(r.used) === 1).length;
  return { total: rows.length, in_use: inUse, not_in_use: rows.length - inUse };
}

async function recentChanges(db: Db, now: Date): Promise<DeviceDashboardData['changes_24h']> {
  const since = since24h(now);
  const [totals] = (await db('device_changes').where('changed_at', '>=', since).count({ n: '*' }).countDistinct({ d: 'device_id' })) as { n: number | string; d: number | string }[];
  const perHour = (await db('device_changes').where('changed_at', '>=', since).select({ hour: db.raw('substr(changed_at, 1, 13)') }).count({ n: '*' }).groupByRaw('substr(changed_at, 1, 13)')) as { hour: string; n: number | string }[];
  const byHour = new Map(perHour.map((r) => [r.hour, Number(r.n)]));
  const hours = Array.from({ length: 24 }, (_, i) => formatTimestamp(new Date(now.getTime() - (23 - i) * 3_600_000)).slice(0, 13));
  return { total: Number(totals?.n ?? 0), devices: Number(totals?.d ?? 0), by_hour: hours.map((hour) => ({ hour, count: byHour.get(hour) ?? 0 })) };
}

/** Platform distribution, power states, devices per kind (and their total, from the counters), network use and the last 24 h of changes. */
export async function deviceDashboard(db: Db, now = new Date()): Promise<DeviceDashboardData> {
  const [platforms, power_states, kinds, networks, changes_24h] = await Promise.all([countBy(db, 'platform'), countBy(db, 'power_state'), kindCounts(db), networkUse(db), recentChanges(db, now)]);
  return { total: kinds.reduce((n, k) => n + k.count, 0), platforms, power_states, kinds, networks, changes_24h };
}
