import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { rangeUsedSql } from '../../db/queries/key-space.js';
import { keyToBigInt, type IpVersion } from '../../domain/ip/address.js';
import { jsonCount, prefixSize, usageOf, type KeyInterval, type Utilization } from '../../domain/ip/key-space.js';
import { prefixUtilizations, type MaybeDelegating } from '../pools/slots.js';

export type { BigCount, Utilization } from '../../domain/ip/key-space.js';

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
function utilizationFrom(r: RangeKeys, used: bigint): Utilization {
  const iv = usableInterval(r);
  const u = usageOf(prefixSize(iv.version, Number(r.prefix)), iv.hi - iv.lo + 1n, used);
  return { total: jsonCount(u.size), usable: jsonCount(u.usable), used: Number(u.used), free: jsonCount(u.free), percent: u.percent };
}

/** A select over `ranges AS r` with each row's used count (`used`), all counted in this one statement. */
export function selectRangesWithUsed(db: Db, columns: string[] = ['r.*']): Knex.QueryBuilder {
  return db('ranges as r').select(...columns, db.raw('? AS used', [rangeUsedSql(db, 'r')]));
}

/**
 * selectRangesWithUsed plus `delegates`: the delegation length of a range that is a
 * prefix-delegation pool (null for any other), so utilizationsOfRows can count it in prefixes
 * without another statement to find which ranges are such pools.
 */
export function selectRangesWithUsage(db: Db, columns: string[] = ['r.*']): Knex.QueryBuilder {
  return selectRangesWithUsed(db, columns)
    .leftJoin('ip_pools as dp', (j) => j.on('dp.range_id', 'r.id').andOnVal('dp.pool_type', 'IPV6_PREFIX_DELEGATION'))
    .select('dp.delegation_prefix_length as delegates');
}

/** Utilization of rows read with selectRangesWithUsage, in their order: delegation pools in prefixes, the rest in addresses. */
export async function utilizationsOfRows(db: Db, rows: readonly (RangeKeys & MaybeDelegating & { used: number | string })[]): Promise<Utilization[]> {
  const prefixes = await prefixUtilizations(db, rows);
  return rows.map((r) => prefixes.get(Number(r.id)) ?? utilizationOfRow(r));
}

/** Utilization of a row read with selectRangesWithUsed. */
export function utilizationOfRow(row: RangeKeys & { used: number | string }): Utilization {
  return utilizationFrom(row, BigInt(String(row.used)));
}

export interface RangeUtilization {
  id: number;
  name: string;
  cidr: string;
  ip_version: number;
  utilization: Utilization;
}

/**
 * Every range by family and network with its utilization: what the dashboard and /metrics show.
 * A prefix-delegation pool is counted in prefixes (unit 'prefix', as its pool page counts it)
 * unless `inAddresses` (the /metrics range gauges, whose names promise addresses).
 */
export async function rangeUtilizations(db: Db, o: { inAddresses?: boolean } = {}): Promise<RangeUtilization[]> {
  const rows = (await selectRangesWithUsage(db, ['r.id', 'r.name', 'r.cidr', 'r.ip_version', 'r.prefix', 'r.first_key', 'r.last_key', 'r.usable_first_key', 'r.usable_last_key']).orderBy([
    { column: 'r.ip_version' },
    { column: 'r.first_key' },
    { column: 'r.prefix' },
  ])) as (RangeKeys & MaybeDelegating & { id: number; name: string; cidr: string; used: number | string })[];
  const utilization = o.inAddresses ? rows.map(utilizationOfRow) : await utilizationsOfRows(db, rows);
  return rows.map((r, i) => ({ id: Number(r.id), name: r.name, cidr: r.cidr, ip_version: Number(r.ip_version), utilization: utilization[i]! }));
}
