import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { rangeUsedSql } from '../../db/queries/key-space.js';
import { keyToBigInt, type IpVersion } from '../../domain/ip/address.js';
import { jsonCount, prefixSize, usageOf, type KeyInterval, type Utilization } from '../../domain/ip/key-space.js';

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

/** Every range by family and network with its utilization: what the dashboard and /metrics show. */
export async function rangeUtilizations(db: Db): Promise<RangeUtilization[]> {
  const rows = (await selectRangesWithUsed(db, ['r.id', 'r.name', 'r.cidr', 'r.ip_version', 'r.prefix', 'r.usable_first_key', 'r.usable_last_key']).orderBy([
    { column: 'r.ip_version' },
    { column: 'r.first_key' },
    { column: 'r.prefix' },
  ])) as (RangeKeys & { id: number; name: string; cidr: string; used: number | string })[];
  return rows.map((r) => ({ id: Number(r.id), name: r.name, cidr: r.cidr, ip_version: Number(r.ip_version), utilization: utilizationOfRow(r) }));
}
