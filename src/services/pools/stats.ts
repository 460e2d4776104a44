import { freeKeys, kthFreeSlot } from '../../db/queries/key-space.js';
import { bigIntToKey, keyToAddress, keyToBigInt, type IpVersion } from '../../domain/ip/address.js';
import { alertState, effectiveStatus, projectedDepletion, type AlertState } from '../../domain/pools/utilization.js';
import { percentUsed, jsonCount } from '../../domain/ip/key-space.js';
import { formatTimestamp } from '../../domain/time.js';
import type { ServiceContext } from '../context.js';
import type { PoolMetric } from '../../metrics/pools.js';
import { usableInterval } from '../ranges/utilization.js';
import { PoolsService } from './pools.js';
import type { Count, Pool, PoolStateCounts, PoolStatus } from './wire.js';

/** The window the depletion projection reads the assignment rate from (the 30 days). */
export const RATE_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

/** GET /pools/{id}/utilization: counts by state, percents, the status it implies, alert state and projected depletion. */
export interface PoolUtilization extends PoolStateCounts {
  pool_name: string;
  pool_type: Pool['pool_type'];
  network_cidr: string;
  reserved_percent: number;
  assigned_percent: number;
  /** The stored status, or DEPLETED when an ACTIVE pool has nothing left (and ACTIVE again once it has). */
  status: PoolStatus;
  utilization_alert_threshold: number;
  alert_state: AlertState;
  /** Net holds (made − ended) in the last 30 days, the rate the projection uses. */
  consumed_last_30_days: number;
  projected_depletion_date: string | null;
}

interface Consumption {
  made: number;
  ended: number;
}

const big = (c: Count): bigint => BigInt(c);

/**
 * Utilization by state and what follows from it, per pool and overall: the one place the REST
 * answers, /metrics and the panel's dashboard read these figures from. Counting is the pools
 * service's (stateCounts); the clock is the caller's.
 */
export class PoolStatsService {
  private readonly pools: PoolsService;
  constructor(private readonly ctx: ServiceContext) {
    this.pools = new PoolsService(ctx);
  }

  async utilization(id: number, now: Date = new Date()): Promise<PoolUtilization> {
    const pool = await this.pools.get(id);
    const consumption = await this.consumption(now, id);
    return this.report(pool, await this.pools.stateCounts(id), consumption.get(id), now);
  }

  /** Every pool's utilization (in the pools list's order). */
  async all(now: Date = new Date()): Promise<PoolUtilization[]> {
    const pools = await this.pools.list();
    const consumption = await this.consumption(now);
    // All pools' counts together: a few statements, not a few per pool.
    const counts = new Map((await this.pools.stateCountsMany(pools.map((p) => p.id))).map((c) => [c.pool_id, c]));
    return pools.filter((p) => counts.has(p.id)).map((p) => this.report(p, counts.get(p.id)!, consumption.get(p.id), now));
  }

  /** GET /pools/{id}/stats: the utilization plus live holds by IP type and the latest assignments. */
  async poolStats(id: number, now: Date = new Date()) {
    const utilization = await this.utilization(id, now);
    const byType = (await this.ctx.db('ip_reservations').select('ip_type', 'status').count({ n: '*' }).where('pool_id', id).groupBy('ip_type', 'status')) as { ip_type: string; status: string; n: number | string }[];
    const by_ip_type: Record<string, Record<string, number>> = {};
    for (const r of byType) (by_ip_type[r.ip_type] ??= {})[r.status] = Number(r.n);
    return { pool_id: id, utilization, by_ip_type, recent_assignments: await this.recent(10, id) };
  }

  /** GET /stats: totals over every pool, IPv4 against IPv6, the most utilized, depletion warnings and the latest assignments. */
  async overall(now: Date = new Date()) {
    const pools = await this.all(now);
    const sum = (list: PoolUtilization[]) => {
      const t = { total: 0n, reserved: 0n, assigned: 0n, in_use: 0n, available: 0n };
      for (const p of list) for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += big(p[k]);
      return {
        pools: list.length,
        total: jsonCount(t.total),
        reserved: jsonCount(t.reserved),
        assigned: jsonCount(t.assigned),
        in_use: jsonCount(t.in_use),
        available: jsonCount(t.available),
        utilization_percent: percentUsed(t.total - t.available, t.total),
      };
    };
    const addressPools = pools.filter((p) => p.unit === 'address');
    const byStatus: Record<string, number> = {};
    for (const p of pools) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
    const soon = now.getTime() + RATE_WINDOW_DAYS * DAY_MS;
    return {
      generated_at: formatTimestamp(now),
      totals: sum(addressPools),
      ipv4: sum(addressPools.filter((p) => !p.network_cidr.includes(':'))),
      ipv6: sum(addressPools.filter((p) => p.network_cidr.includes(':'))),
      prefix_delegation: sum(pools.filter((p) => p.unit === 'prefix')),
      by_status: byStatus,
      top_utilized: [...pools].sort((a, b) => b.utilization_percent - a.utilization_percent || a.pool_id - b.pool_id).slice(0, 10).map(brief),
      depletion_warnings: pools
        .filter((p) => p.alert_state !== 'ok' || (p.projected_depletion_date !== null && Date.parse(p.projected_depletion_date.replace(' ', 'T') + 'Z') <= soon))
        .map((p) => ({ ...brief(p), alert_state: p.alert_state, projected_depletion_date: p.projected_depletion_date })),
      recent_assignments: await this.recent(10),
    };
  }

  /**
   * A page of a pool's free addresses (address pools: network, broadcast, gateway and everything
   * used skipped, from the key-space module, never enumerating), or of its free delegation
   * prefixes. `offset` counts free entries and may exceed 2^53.
   */
  async availableIps(id: number, limit: number, offset: bigint) {
    const row = await this.pools.getRow(id);
    const version = Number(row.ip_version) as IpVersion;
    const counts = await this.pools.stateCounts(id);
    let items: string[];
    if (row.pool_type === 'IPV6_PREFIX_DELEGATION') {
      const iv = { version, lo: keyToBigInt(row.first_key), hi: keyToBigInt(row.last_key) };
      const length = Number(row.delegation_prefix_length);
      const bits = BigInt(128 - length);
      items = [];
      // Free slots are few per page: each is one k-th search over the slot counters.
      for (let k = offset; items.length < limit; k++) {
        const start = await kthFreeSlot(this.ctx.db, iv, bits, k);
        if (start === null) break;
        items.push(`${keyToAddress(bigIntToKey(start), version)}/${length}`);
      }
    } else {
      const gateway = row.gateway_key ? [keyToBigInt(row.gateway_key)] : [];
      items = (await freeKeys(this.ctx.db, usableInterval(row), offset, limit, gateway)).map((k) => keyToAddress(bigIntToKey(k), version));
    }
    return { pool_id: id, unit: counts.unit, available: counts.available, limit, offset: jsonCount(offset), items };
  }

  /** The gauges of /metrics, one per pool. */
  async metrics(now: Date = new Date()): Promise<PoolMetric[]> {
    return (await this.all(now)).map((p) => ({
      pool: p.pool_name,
      cidr: p.network_cidr,
      pool_type: p.pool_type,
      status: p.status,
      total: Number(p.total),
      reserved: Number(p.reserved),
      assigned: Number(p.assigned),
      available: Number(p.available),
      utilization: p.utilization_percent / 100,
      threshold: p.utilization_alert_threshold / 100,
      projectedDepletion: p.projected_depletion_date ? new Date(p.projected_depletion_date.replace(' ', 'T') + 'Z') : null,
    }));
  }

  private report(pool: Pool, c: PoolStateCounts, used: Consumption | undefined, now: Date): PoolUtilization {
    const counts = { total: big(c.total), reserved: big(c.reserved), assigned: big(c.assigned), other: big(c.in_use) };
    const consumed = (used?.made ?? 0) - (used?.ended ?? 0);
    const depletion = projectedDepletion({ available: big(c.available), consumedInWindow: consumed, windowDays: RATE_WINDOW_DAYS, now });
    return {
      ...c,
      pool_name: pool.pool_name,
      network_cidr: pool.network_cidr,
      pool_type: pool.pool_type,
      reserved_percent: percentUsed(counts.reserved, counts.total),
      assigned_percent: percentUsed(counts.assigned, counts.total),
      status: effectiveStatus(pool.status, counts),
      utilization_alert_threshold: pool.utilization_alert_threshold,
      alert_state: alertState(counts, pool.utilization_alert_threshold),
      consumed_last_30_days: consumed,
      projected_depletion_date: depletion ? formatTimestamp(depletion) : null,
    };
  }

  /** Holds made and ended in the window, per pool, in one grouped statement. */
  private async consumption(now: Date, poolId?: number): Promise<Map<number, Consumption>> {
    const since = formatTimestamp(new Date(now.getTime() - RATE_WINDOW_DAYS * DAY_MS));
    const q = this.ctx.db('ip_reservations')
      .select('pool_id')
      .select(this.ctx.db.raw('SUM(CASE WHEN reserved_at >= ? THEN 1 ELSE 0 END) AS made', [since]))
      .select(this.ctx.db.raw(`SUM(CASE WHEN status = 'RELEASED' AND released_at >= ? THEN 1 WHEN status = 'EXPIRED' AND updated_at >= ? THEN 1 ELSE 0 END) AS ended`, [since, since]))
      .where((w) => w.where('reserved_at', '>=', since).orWhere('released_at', '>=', since).orWhere((e) => e.where('status', 'EXPIRED').where('updated_at', '>=', since)))
      .groupBy('pool_id');
    if (poolId !== undefined) q.where('pool_id', poolId);
    const rows = (await q) as { pool_id: number; made: number | string; ended: number | string }[];
    return new Map(rows.map((r) => [Number(r.pool_id), { made: Number(r.made), ended: Number(r.ended) }]));
  }

  /** The latest reservations made (any pool, or one), newest first. */
  private async recent(limit: number, poolId?: number) {
    const q = this.ctx.db('ip_reservations as v')
      .join('ranges as r', 'r.id', 'v.pool_id')
      .select('v.id', 'v.pool_id', 'r.name as pool_name', 'v.subscriber_id', 'v.ip_address', 'v.ip_type', 'v.prefix_length', 'v.status', 'v.reserved_at', 'v.assigned_at')
      .orderBy([{ column: 'v.reserved_at', order: 'desc' }, { column: 'v.id', order: 'desc' }])
      .limit(limit);
    if (poolId !== undefined) q.where('v.pool_id', poolId);
    return (await q) as Record<string, unknown>[];
  }
}

function brief(p: PoolUtilization) {
  return { pool_id: p.pool_id, pool_name: p.pool_name, network_cidr: p.network_cidr, status: p.status, utilization_percent: p.utilization_percent, available: p.available, total: p.total };
}
