import type { IpVersion } from './address.js';

/**
 * The arithmetic of the address key space, with no I/O: which keys of a CIDR an operator can
 * use, how full a span is, and which parts of a span hold keys of its family. The SQL that
 * counts and walks used keys is src/db/queries/key-space.ts; both are the only place these
 * rules live (range utilization, the dashboard, /metrics, the drill-down and pool allocation).
 */

/** An inclusive span of 128-bit address keys of one family. */
export interface KeyInterval {
  version: IpVersion;
  lo: bigint;
  hi: bigint;
}

/** IPv4 addresses live at ::ffff:0:0/96 of the key space (see address.ts). */
export const V4_KEYS: Readonly<{ lo: bigint; hi: bigint }> = { lo: 0xffff00000000n, hi: 0xffffffffffffn };

/**
 * Usable addresses: IPv4 drops network and broadcast except on /31 (RFC 3021) and /32;
 * IPv6 drops the Subnet-Router anycast (all-zero host) except on /127 (RFC 6164) and /128.
 */
export function usableBounds(version: IpVersion, prefix: number, first: bigint, last: bigint): [bigint, bigint] {
  const bits = version === 4 ? 32 : 128;
  if (prefix >= bits - 1) return [first, last];
  if (version === 4) return [first + 1n, last - 1n];
  return [first + 1n, last];
}

/** Addresses in a CIDR of this prefix. */
export function prefixSize(version: IpVersion, prefix: number): bigint {
  return 1n << BigInt((version === 4 ? 32 : 128) - prefix);
}

/**
 * The parts of an interval that can hold assets of its family. An IPv6 span such as ::/64
 * covers ::ffff:0:0/96, where only IPv4 assets have keys; those are not IPv6 addresses used.
 */
export function familyPieces(iv: KeyInterval): [bigint, bigint][] {
  if (iv.hi < iv.lo) return [];
  if (iv.version === 4 || iv.hi < V4_KEYS.lo || iv.lo > V4_KEYS.hi) return [[iv.lo, iv.hi]];
  const pieces: [bigint, bigint][] = [];
  if (iv.lo < V4_KEYS.lo) pieces.push([iv.lo, V4_KEYS.lo - 1n]);
  if (iv.hi > V4_KEYS.hi) pieces.push([V4_KEYS.hi + 1n, iv.hi]);
  return pieces;
}

/** Used / usable × 100 with two decimals, exact for any size (no float division of big counts). */
export function percentUsed(used: bigint, usable: bigint): number {
  if (usable <= 0n) return 0;
  const ratio = Number((used * 1_000_000n) / usable) / 10_000;
  return Math.round(ratio * 100) / 100;
}

export interface Usage {
  size: bigint;
  usable: bigint;
  used: bigint;
  free: bigint;
  percent: number;
}

/** How full a span of `usable` addresses (of `size`) is with `used` of them taken. */
export function usageOf(size: bigint, usable: bigint, used: bigint): Usage {
  return { size, usable, used, free: usable - used, percent: percentUsed(used, usable) };
}

/** Exact JSON for a count: a number while safe, else a decimal string (an IPv6 /64 has 2^64). */
export function jsonCount(n: bigint): number | string {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}

/** Distinct keys of `keys` inside [lo, hi], sorted. */
export function sortedWithin(keys: Iterable<bigint>, lo: bigint, hi: bigint): bigint[] {
  return [...new Set([...keys].filter((k) => k >= lo && k <= hi))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** How many of the sorted keys lie in [a, b] (two binary searches). */
export function countWithin(sorted: readonly bigint[], a: bigint, b: bigint): bigint {
  if (b < a) return 0n;
  return BigInt(lowerBound(sorted, b + 1n) - lowerBound(sorted, a));
}

/** Index of the first key ≥ x. */
function lowerBound(sorted: readonly bigint[], x: bigint): number {
  let l = 0;
  let r = sorted.length;
  while (l < r) {
    const m = (l + r) >> 1;
    if (sorted[m]! < x) l = m + 1;
    else r = m;
  }
  return l;
}

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
  /** 'prefix' when the counts are delegated prefixes (a prefix-delegation pool); absent: addresses. */
  unit?: 'prefix';
}
