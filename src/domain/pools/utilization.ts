import type { PoolStatus } from './types.js';

/**
 * Utilization of a pool by reservation state, and what it implies (alert, DEPLETED, a projected
 * depletion date). Pure: the counts come from the pools service (SQL aggregates over key ranges),
 * the clock from the caller, so the same figures reach the REST answers, /metrics and the panel.
 */

/** `ok` below the pool's threshold, `alert` at or over it, `depleted` when nothing is left. */
export const ALERT_STATES = ['ok', 'alert', 'depleted'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface StateCounts {
  /** Usable addresses (or delegable prefixes) of the pool. */
  total: bigint;
  reserved: bigint;
  assigned: bigint;
  /** Used by something else than this pool's reservations (a live IP asset, an overlapping pool's reservation). */
  other?: bigint;
}

/** The alert state of a pool: over the threshold (percent, default 80) is `alert`, nothing free is `depleted`. */
export function alertState(c: StateCounts, thresholdPercent = 80): AlertState {
  const used = c.reserved + c.assigned + (c.other ?? 0n);
  // A pool with no usable address at all (a /32 that is its own gateway) is as depleted as a full one.
  if (used >= c.total) return 'depleted';
  // Compared exactly (no float rounding of a /64's percent): used × 100 ≥ threshold × total.
  const scaled = BigInt(Math.round(thresholdPercent * 100));
  return used * 10_000n >= scaled * c.total ? 'alert' : 'ok';
}

/**
 * The status a pool shows: an ACTIVE pool with nothing left is DEPLETED, and a DEPLETED one that
 * got room back is ACTIVE again; RESERVED and MAINTENANCE are an operator's choice and stay.
 */
export function effectiveStatus(stored: PoolStatus, c: StateCounts): PoolStatus {
  if (stored !== 'ACTIVE' && stored !== 'DEPLETED') return stored;
  return alertState(c) === 'depleted' ? 'DEPLETED' : 'ACTIVE';
}

const DAY_MS = 86_400_000;
/** Beyond this a projection says nothing useful (and an IPv6 /64 would overflow a Date). */
const HORIZON_DAYS = 365n * 100n;

export interface DepletionInput {
  available: bigint;
  /**
   * Net consumption in the window: reservations made in it minus those released or expired in it
   * (a pool whose holders come and go as fast as they leave is not running out).
   */
  consumedInWindow: number;
  windowDays?: number;
  now: Date;
}

/**
 * When the pool runs out at the assignment rate of the last `windowDays` (30) days: null when
 * nothing was consumed in the window or the date is over a century away; `now` when already out.
 */
export function projectedDepletion(i: DepletionInput): Date | null {
  const windowDays = i.windowDays ?? 30;
  if (i.available <= 0n) return i.now;
  if (i.consumedInWindow <= 0 || windowDays <= 0) return null;
  // days = available / (consumed / window), in integer milliseconds so huge pools stay exact.
  const ms = (i.available * BigInt(windowDays) * BigInt(DAY_MS)) / BigInt(i.consumedInWindow);
  if (ms > HORIZON_DAYS * BigInt(DAY_MS)) return null;
  return new Date(i.now.getTime() + Number(ms));
}
