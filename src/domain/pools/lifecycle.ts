/**
 * Reservation lifecycle arithmetic (pure): reserved → assigned → released, reserved → expired.
 * The jobs and the extend endpoint read these, with the clock handed in (tests control it).
 */

export const RESERVATION_STATUSES = ['RESERVED', 'ASSIGNED', 'RELEASED', 'EXPIRED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** Reservations that hold their address. */
export const LIVE_STATUSES: readonly ReservationStatus[] = ['RESERVED', 'ASSIGNED'];

/** Default days a released address keeps its record before the reclaim job frees it for good. */
export const DEFAULT_RECLAIM_DAYS = 30;

/** The instant before which a released reservation is old enough to reclaim. */
export function reclaimCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

/** Why an extension is refused, or null when `newExpiry` is a valid new expiry for this reservation at `now`. */
export function extensionRefusal(status: ReservationStatus, newExpiry: Date, now: Date): string | null {
  if (status !== 'RESERVED' && status !== 'ASSIGNED') return `a ${status.toLowerCase()} reservation cannot be extended`;
  if (newExpiry.getTime() <= now.getTime()) return 'must be in the future';
  return null;
}
