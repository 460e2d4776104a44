import type { Db } from '../../db/connection.js';
import { countFreeSlotsMany } from '../../db/queries/key-space.js';
import { keyToBigInt, type IpVersion } from '../../domain/ip/address.js';
import { jsonCount, percentUsed, type KeyInterval, type Utilization } from '../../domain/ip/key-space.js';

/**
 * Counting a prefix-delegation pool in its unit, the delegated prefix: how many slots of its
 * delegation length the network holds and how many are free. The one place for it: the pool's
 * state counts (PoolsService.stateCountsMany), the range list and the dashboard (RangesService,
 * rangeUtilizations) all count a delegation pool this way, so a /48 with one /56 out is 0.39 %
 * used everywhere (counted in addresses it was 0 %: the key-space counters see no single address
 * in it). Depends on nothing of the pools or ranges services, which both import it.
 */

/** The stored columns of a delegation pool's range the slots are counted from. */
export interface SlotRow {
  ip_version: number | string;
  first_key: string;
  last_key: string;
}

export interface SlotSpan {
  iv: KeyInterval;
  /** log2 of the keys in one slot (128 − the delegation length). */
  slotBits: bigint;
  /** Slots in the network. */
  total: bigint;
}

/** The whole network, cut in slots of the delegation length (no network or broadcast address to skip). */
export function slotSpan(row: SlotRow, delegationLength: number): SlotSpan {
  const iv = { version: Number(row.ip_version) as IpVersion, lo: keyToBigInt(row.first_key), hi: keyToBigInt(row.last_key) };
  const slotBits = BigInt(128 - delegationLength);
  return { iv, slotBits, total: (iv.hi - iv.lo + 1n) >> slotBits };
}

/** Free slots of each span (one statement per 100 spans; none for no span). */
export async function freeSlots(db: Db, spans: readonly SlotSpan[]): Promise<bigint[]> {
  return spans.length === 0 ? [] : countFreeSlotsMany(db, spans);
}

/** A range row that may be a delegation pool: `delegates` is its delegation length, null otherwise. */
export type MaybeDelegating = SlotRow & { id: number | string; delegates?: number | string | null };

/**
 * Utilization in prefixes (unit 'prefix') of the rows that are delegation pools, by range id; the
 * others are not in the map (the caller counts them in addresses). Used is every slot not free:
 * delegated, in quarantine, or blocked by an IP asset inside it, as the pool page counts.
 */
export async function prefixUtilizations(db: Db, rows: readonly MaybeDelegating[]): Promise<Map<number, Utilization>> {
  const pools = rows.filter((r) => r.delegates !== null && r.delegates !== undefined);
  const spans = pools.map((r) => slotSpan(r, Number(r.delegates)));
  const free = await freeSlots(db, spans);
  return new Map(
    pools.map((r, i) => {
      const { total } = spans[i]!;
      const n = free[i]!;
      return [Number(r.id), { total: jsonCount(total), usable: jsonCount(total), used: Number(total - n), free: jsonCount(n), percent: percentUsed(total - n, total), unit: 'prefix' as const }];
    }),
  );
}
