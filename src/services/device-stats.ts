import type { ServiceContext } from './context.js';

/** Columns of the device table a dashboard or LAIM's stats count devices by. */
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
 * Counts of live (not archived) devices grouped by one column, in SQL (one grouped scan of an
 * indexed column, never a page of rows in memory), optionally among some kinds only.
 */
export class DeviceStatsService {
  constructor(private readonly ctx: ServiceContext) {}

  async countBy(column: DeviceGroupColumn, kinds?: readonly string[]): Promise<{ value: string | null; count: number }[]> {
    const q = this.ctx.db('hosts').whereNull('archived_at').select({ value: column }).count({ n: '*' }).groupBy(column).orderBy(column);
    if (kinds) q.whereIn('kind', kinds);
    const rows = (await q) as { value: string | null; n: number | string }[];
    return rows.map((r) => ({ value: r.value, count: Number(r.n) }));
  }

  /** Live devices (of these kinds) by which of Netdisco and LibreNMS reported them: neither, one, or both (`merged`). */
  async laimSources(kinds: readonly string[]): Promise<SourceCounts> {
    const db = this.ctx.db;
    const reported = (source: string) => db('device_facts').select('device_id').where('source', source);
    const base = () => db('hosts').whereNull('archived_at').whereIn('kind', kinds);
    const count = async (q: ReturnType<typeof base>): Promise<number> => Number(((await q.count({ n: '*' })) as { n: number | string }[])[0]?.n ?? 0);
    const [both, netdisco, librenms, all] = await Promise.all([
      count(base().whereIn('id', reported('netdisco')).whereIn('id', reported('librenms'))),
      count(base().whereIn('id', reported('netdisco'))),
      count(base().whereIn('id', reported('librenms'))),
      count(base()),
    ]);
    return { merged: both, netdisco: netdisco - both, librenms: librenms - both, manual: all - netdisco - librenms + both };
  }
}
