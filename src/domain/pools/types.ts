/**
 * The vocabulary of static IP pools and reservations (issue 19), with the seed's enum values:
 * what a pool is for, whether it may hand out addresses, and the states a reservation moves
 * through. Pure: no I/O.
 */

export const POOL_TYPES = ['IPV4_PUBLIC', 'IPV4_PRIVATE', 'IPV6_GLOBAL', 'IPV6_ULA', 'IPV6_PREFIX_DELEGATION'] as const;
export type PoolType = (typeof POOL_TYPES)[number];

export const POOL_STATUSES = ['ACTIVE', 'RESERVED', 'DEPLETED', 'MAINTENANCE'] as const;
export type PoolStatus = (typeof POOL_STATUSES)[number];

export const RESERVATION_STATUSES = ['RESERVED', 'ASSIGNED', 'RELEASED', 'EXPIRED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** A live reservation holds its address: counted as used everywhere, one per address. */
export const LIVE_RESERVATION_STATUSES = ['RESERVED', 'ASSIGNED'] as const satisfies readonly ReservationStatus[];

export const IP_TYPES = ['ipv4', 'ipv6', 'ipv6_prefix'] as const;
export type IpType = (typeof IP_TYPES)[number];

export const ALLOCATION_ORDERS = ['lowest', 'highest'] as const;
export type AllocationOrder = (typeof ALLOCATION_ORDERS)[number];

/** The address family a pool type hands out. */
export function poolTypeVersion(type: PoolType): 4 | 6 {
  return type.startsWith('IPV4') ? 4 : 6;
}

/** What a pool of this type hands out: addresses of its family, or (prefix delegation) prefixes. */
export function poolIpType(type: PoolType): IpType {
  if (type === 'IPV6_PREFIX_DELEGATION') return 'ipv6_prefix';
  return poolTypeVersion(type) === 4 ? 'ipv4' : 'ipv6';
}

export function isLive(status: ReservationStatus): boolean {
  return (LIVE_RESERVATION_STATUSES as readonly string[]).includes(status);
}

/**
 * The lifecycle: reserved → assigned → released, reserved → expired (and a reservation may be
 * released before it is assigned). Released and expired rows are history and never move again.
 */
const NEXT: Record<ReservationStatus, readonly ReservationStatus[]> = {
  RESERVED: ['ASSIGNED', 'RELEASED', 'EXPIRED'],
  ASSIGNED: ['RELEASED'],
  RELEASED: [],
  EXPIRED: [],
};

export function canMove(from: ReservationStatus, to: ReservationStatus): boolean {
  return NEXT[from].includes(to);
}
