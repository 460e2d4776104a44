import type { Db } from '../../db/connection.js';
import { formatTimestamp } from '../../domain/time.js';
import { countOf } from '../rows.js';
import type { DeviceStatsWire } from './wire.js';

export type DeviceStats = DeviceStatsWire;

/** Live devices grouped by one column (index-only on the list indexes); NULL reads "unknown". */
async function groupCount(db: Db, column: string): Promise<Record<string, number>> {
  const rows = (await db('hosts').select(`${column} as key`).count({ n: '*' }).whereNull('archived_at').groupBy(column).orderBy(column)) as { key: string | null; n: number | string }[];
  const out: Record<string, number> = {};
  for (const r of rows) out[r.key ?? 'unknown'] = (out[r.key ?? 'unknown'] ?? 0) + Number(r.n);
  return out;
}

export async function deviceStats(db: Db): Promise<DeviceStats> {
  const since = formatTimestamp(new Date(Date.now() - 86_400_000));
  return {
    total: await countOf(db('hosts').whereNull('archived_at')),
    archived: await countOf(db('hosts').whereNotNull('archived_at')),
    by_kind: await groupCount(db, 'kind'),
    by_platform: await groupCount(db, 'platform'),
    by_power_state: await groupCount(db, 'power_state'),
    changes_last_24h: await countOf(db('device_changes').where('changed_at', '>=', since)),
  };
}
