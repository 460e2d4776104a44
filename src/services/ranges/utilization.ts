import type { Db } from '../../db/connection.js';
import { countUsedKeys } from '../../db/queries/key-space.js';
import { keyToBigInt, type IpVersion } from '../../domain/ip/address.js';
import { jsonCount, prefixSize, usageOf, type KeyInterval } from '../../domain/ip/key-space.js';

/** Counts are numbers while exact in JSON (always for IPv4), decimal strings beyond 2^53 (large IPv6). */
export type BigCount = number | string;

/** How full a range is: the one figure the range list, the drill-down, the dashboard and /metrics show. */
export interface Utilization {
  total: BigCount;
  usable: BigCount;
  used: number;
  free: BigCount;
  /** used / usable × 100, two decimals. */
  percent: number;
}

/** The stored columns utilization is computed from. */
export interface RangeKeys {
  ip_version: number;
  prefix: number;
  usable_first_key: string;
  usable_last_key: string;
}

/** The usable addresses of a stored range as a key interval (network/broadcast rules: key-space.ts). */
export function usableInterval(r: RangeKeys): KeyInterval {
  return { version: Number(r.ip_version) as IpVersion, lo: keyToBigInt(r.usable_first_key), hi: keyToBigInt(r.usable_last_key) };
}

/** Utilization from a used count. */
export function utilizationFrom(r: RangeKeys, used: bigint): Utilization {
  const iv = usableInterval(r);
  const u = usageOf(prefixSize(iv.version, Number(r.prefix)), iv.hi - iv.lo + 1n, used);
  return { total: jsonCount(u.size), usable: jsonCount(u.usable), used: Number(u.used), free: jsonCount(u.free), percent: u.percent };
}

/**
 * Utilization of many ranges, counted together by the key-space module (a few block rows per
 * range, one statement per 100 ranges). An address inside nested ranges counts in each of them.
 */
export async function utilizationOf(db: Db, rows: readonly RangeKeys[]): Promise<Utilization[]> {
  const used = await countUsedKeys(db, rows.map(usableInterval));
  return rows.map((r, i) => utilizationFrom(r, used[i]!));
}

export interface RangeUtilization {
  id: number;
  name: string;
  cidr: string;
  ip_version: number;
  utilization: Utilization;
}

/** Every range by family and network with its utilization: what the dashboard and /metrics show. */
export async function rangeUtilizations(db: Db): Promise<RangeUtilization[]> {
  const rows = (await db('ranges')
    .select('id', 'name', 'cidr', 'ip_version', 'prefix', 'usable_first_key', 'usable_last_key')
    .orderBy([{ column: 'ip_version' }, { column: 'first_key' }, { column: 'prefix' }])) as (RangeKeys & { id: number; name: string; cidr: string })[];
  const utilization = await utilizationOf(db, rows);
  return rows.map((r, i) => ({ id: Number(r.id), name: r.name, cidr: r.cidr, ip_version: Number(r.ip_version), utilization: utilization[i]! }));
}
