import type { Db } from '../../db/connection.js';
import { countFree, countFreeSlots, countUsed, nextFreeKeys, nextFreeSlot } from '../../db/queries/key-space.js';
import { ConflictError } from '../../domain/errors.js';
import { keyToBigInt, type IpVersion } from '../../domain/ip/address.js';
import type { KeyInterval } from '../../domain/ip/key-space.js';
import { exhaustedMessage, prefixLastKey, slotBits } from '../../domain/pools/allocation.js';
import type { AllocationOrder } from '../../domain/pools/types.js';
import { usableInterval } from '../ranges/utilization.js';
import { reservationHolding } from './holders.js';
import type { PoolRow } from './pools.js';

/**
 * Picking free addresses and prefixes of a pool, NetBox's fixed sequence with the lock per pool:
 * the caller has locked the pool (lockPool) in its write transaction, so what is free here stays
 * free until it inserts. Every search goes through the key-space module (block counters, binary
 * searches over counts): nothing enumerates the pool, so a /8 with a million used addresses costs
 * about what a /24 does.
 */

/** A pool ran out: 409 with how full it is. Group allocation catches exactly this to try the next pool. */
export class PoolExhaustedError extends ConflictError {
  constructor(
    message: string,
    readonly poolId: number,
  ) {
    super(message, 'pool_id');
  }
}

export interface AddressPick {
  count: number;
  order: AllocationOrder;
  /** Taken when free (inside the pool, not the gateway, held by nothing); else the next free one in order. */
  preferred?: bigint | null;
}

/** Keys nothing holds in the pool's usable addresses (network and broadcast are outside them), skipping the gateway. */
export async function pickAddresses(db: Db, pool: PoolRow, pick: AddressPick): Promise<bigint[]> {
  const iv = usableInterval(pool);
  const gateway = pool.gateway_key ? [keyToBigInt(pool.gateway_key)] : [];
  const out: bigint[] = [];
  const skip = [...gateway];
  if (pick.preferred != null && (await isFreeAddress(db, iv, pick.preferred, gateway))) {
    out.push(pick.preferred);
    skip.push(pick.preferred);
  }
  const want = pick.count - out.length;
  if (want <= 0) return out;
  const keys = await nextFreeKeys(db, iv, want, skip, pick.order === 'lowest' ? 'asc' : 'desc');
  if (keys.length < want) throw await exhausted(db, pool, pick.count);
  return [...out, ...keys];
}

/** One key inside the usable bounds, not the gateway, held by no asset or reservation (a delegated prefix included). */
async function isFreeAddress(db: Db, iv: KeyInterval, key: bigint, gateway: bigint[]): Promise<boolean> {
  if (key < iv.lo || key > iv.hi || gateway.includes(key)) return false;
  if ((await countUsed(db, { version: iv.version, lo: key, hi: key })) > 0n) return false;
  return (await reservationHolding(db, iv.version, key)) === null;
}

/**
 * Start keys of free delegation slots of a prefix-delegation pool (each slot one aligned prefix
 * of the pool's delegation length), lowest or highest first. A slot is free when no delegated
 * prefix starts in it (counted by start key, kthFreeSlot) and no single address inside it is
 * held (checked on the slot found; such a slot is skipped).
 */
export async function pickPrefixes(db: Db, pool: PoolRow, count: number, order: AllocationOrder): Promise<bigint[]> {
  const length = Number(pool.delegation_prefix_length);
  const bits = slotBits(length);
  const iv: KeyInterval = { version: Number(pool.ip_version) as IpVersion, lo: keyToBigInt(pool.first_key), hi: keyToBigInt(pool.last_key) };
  const size = 1n << bits;
  const out: bigint[] = [];
  let [lo, hi] = [iv.lo, iv.hi];
  while (out.length < count && lo < hi) {
    const start = await nextFreeSlot(db, { ...iv, lo, hi }, bits, order === 'lowest' ? 'asc' : 'desc');
    if (start === null) break;
    if (order === 'lowest') lo = start + size;
    else hi = start - 1n;
    // A single address held inside the slot (an asset, a reservation of an overlapping pool) blocks it too.
    if ((await countUsed(db, { version: iv.version, lo: start, hi: prefixLastKey(start, length) })) > 0n) continue;
    out.push(start);
  }
  if (out.length < count) {
    const slots = (iv.hi - iv.lo + 1n) >> bits;
    throw new PoolExhaustedError(exhaustedMessage(pool.name, 'prefix', slots, await countFreeSlots(db, iv, bits), count), Number(pool.id));
  }
  return out;
}

/** The 409 of an address pool that cannot give `wanted` addresses. */
async function exhausted(db: Db, pool: PoolRow, wanted: number): Promise<PoolExhaustedError> {
  const iv = usableInterval(pool);
  const gateway = pool.gateway_key ? [keyToBigInt(pool.gateway_key)] : [];
  const total = iv.hi - iv.lo + 1n - BigInt(gateway.filter((g) => g >= iv.lo && g <= iv.hi).length);
  const free = await countFree(db, iv, gateway);
  return new PoolExhaustedError(exhaustedMessage(pool.name, 'address', total, free, wanted), Number(pool.id));
}
