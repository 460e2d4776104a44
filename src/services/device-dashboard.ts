import type { Db } from '../db/connection.js';
import { formatTimestamp } from '../domain/time.js';
import type { DeviceDashboardData } from './device-dashboard-wire.js';

export type { DeviceDashboardData };

/** Live (not archived) devices per value of one column, largest first. */
async function countBy(db: Db, column: 'platform' | 'power_state' | 'kind'): Promise<{ value: string | null; count: number }[]> {
  const rows = (await db('hosts').whereNull('archived_at').select({ value: column }).count({ n: '*' }).groupBy(column)) as { value: string | null; n: number | string }[];
  // Ties by name, "not set" last: the same order on both databases.
  return rows.map((r) => ({ value: r.value, count: Number(r.n) })).sort((a, b) => b.count - a.count || (a.value === null ? 1 : b.value === null ? -1 : a.value.localeCompare(b.value)));
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
  const since = formatTimestamp(new Date(now.getTime() - 24 * 3_600_000));
  const [totals] = (await db('device_changes').where('changed_at', '>=', since).count({ n: '*' }).countDistinct({ d: 'device_id' })) as { n: number | string; d: number | string }[];
  const perHour = (await db('device_changes').where('changed_at', '>=', since).select({ hour: db.raw('substr(changed_at, 1, 13)') }).count({ n: '*' }).groupByRaw('substr(changed_at, 1, 13)')) as { hour: string; n: number | string }[];
  const byHour = new Map(perHour.map((r) => [r.hour, Number(r.n)]));
  const hours = Array.from({ length: 24 }, (_, i) => formatTimestamp(new Date(now.getTime() - (23 - i) * 3_600_000)).slice(0, 13));
  return { total: Number(totals?.n ?? 0), devices: Number(totals?.d ?? 0), by_hour: hours.map((hour) => ({ hour, count: byHour.get(hour) ?? 0 })) };
}

/** Platform distribution, power states, devices per kind, network use and the last 24 h of changes. */
export async function deviceDashboard(db: Db, now = new Date()): Promise<DeviceDashboardData> {
  const [platforms, power_states, kinds, networks, changes_24h] = await Promise.all([countBy(db, 'platform'), countBy(db, 'power_state'), countBy(db, 'kind'), networkUse(db), recentChanges(db, now)]);
  return { total: kinds.reduce((n, k) => n + k.count, 0), platforms, power_states, kinds, networks, changes_24h };
}
