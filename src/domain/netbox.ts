/**
 * How pools and reservations look in NetBox, and back (pure). A pool is a prefix (`is_pool`,
 * named by its description); a reservation an IP address with the pool's mask, its subscriber as
 * the description and its status mapped: reserved → reserved, assigned → active, released or
 * expired → deprecated (or deleted: `null`, when the connection is set to delete them). A
 * delegated IPv6 prefix is a NetBox prefix (not a pool) with the same status mapping (NetBox's
 * prefix statuses include reserved, active and deprecated).
 */
import { AppError } from './errors.js';
import type { PoolStatus, PoolType, ReservationStatus } from './pools/types.js';

/** What a released or expired reservation becomes in NetBox. */
export type ReleasedAction = 'deprecated' | 'delete';

/** NetBox's objects as the sync reads them (the fields it compares; NetBox sends many more). */
export interface NbPrefix {
  id: number;
  prefix: string;
  status: { value: string } | string;
  description: string;
  is_pool?: boolean;
}

export interface NbIpAddress {
  id: number;
  address: string;
  status: { value: string } | string;
  description: string;
}

/** A choice field's value: NetBox answers `{value, label}`, writes take the value. */
export const valueOf = (s: { value: string } | string): string => (typeof s === 'string' ? s : s.value);

/**
 * NetBox answered an error, or could not be reached (502 through the API). `httpStatus` is
 * NetBox's; `transient` errors (429, 5xx, network, timeout) are retried by the outbox, the others
 * need a person (a 400 names the fields).
 */
export class NetBoxError extends AppError {
  readonly status = 502;
  readonly code = 'netbox_error';
  constructor(
    message: string,
    readonly httpStatus: number | undefined,
    readonly transient: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * The NetBox REST API as the sync uses it (paths under /api/, e.g. `ipam/prefixes/`): the plugin's
 * client implements it, handed to the services by whoever opens a sync. Errors are NetBoxErrors.
 */
export interface NetBoxApi {
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Every object of a list, all pages. */
  list<T>(path: string, filters?: Record<string, string>): Promise<T[]>;
  /** The object, or null on 404. */
  find<T>(path: string): Promise<T | null>;
  close(): void;
}

export interface DesiredPrefix {
  prefix: string;
  status: string;
  description: string;
  is_pool: boolean;
}

export interface DesiredIp {
  address: string;
  status: string;
  description: string;
}

const PREFIX_STATUS: Record<PoolStatus, string> = { ACTIVE: 'active', DEPLETED: 'active', RESERVED: 'reserved', MAINTENANCE: 'deprecated' };

export function desiredPrefix(pool: { network_cidr: string; status: PoolStatus; pool_name: string }): DesiredPrefix {
  return { prefix: pool.network_cidr, status: PREFIX_STATUS[pool.status], description: pool.pool_name, is_pool: true };
}

/** NetBox's status of a reservation; null when released/expired ones are deleted from NetBox. */
export function ipStatusOf(status: ReservationStatus, released: ReleasedAction): string | null {
  if (status === 'RESERVED') return 'reserved';
  if (status === 'ASSIGNED') return 'active';
  return released === 'delete' ? null : 'deprecated';
}

export function desiredIp(r: { ip_address: string; status: ReservationStatus; subscriber_id: string }, poolCidr: string, released: ReleasedAction): DesiredIp | null {
  const status = ipStatusOf(r.status, released);
  if (status === null) return null;
  return { address: `${r.ip_address}/${poolCidr.split('/')[1]}`, status, description: r.subscriber_id };
}

/** A delegated IPv6 prefix as a NetBox prefix (its `ip_address` is the CIDR); null when released ones are deleted. */
export function desiredDelegation(r: { ip_address: string; status: ReservationStatus; subscriber_id: string }, released: ReleasedAction): DesiredPrefix | null {
  const status = ipStatusOf(r.status, released);
  return status === null ? null : { prefix: r.ip_address, status, description: r.subscriber_id, is_pool: false };
}

/** Our reservation status for a NetBox IP status: null for an address NetBox no longer holds (deprecated). */
export function reservationStatusOf(netboxStatus: string): 'RESERVED' | 'ASSIGNED' | null {
  if (netboxStatus === 'reserved') return 'RESERVED';
  if (netboxStatus === 'deprecated') return null;
  return 'ASSIGNED';
}

/** The pool status of a NetBox prefix status. */
export function poolStatusOf(netboxStatus: string): PoolStatus {
  if (netboxStatus === 'reserved') return 'RESERVED';
  if (netboxStatus === 'deprecated') return 'MAINTENANCE';
  return 'ACTIVE';
}

/** The pool type of an imported prefix: private/ULA ranges by address, the rest public/global. */
export function poolTypeOf(cidr: string): PoolType {
  const net = cidr.split('/')[0]!.toLowerCase();
  if (net.includes(':')) return /^f[cd]/.test(net) ? 'IPV6_ULA' : 'IPV6_GLOBAL';
  const [a, b] = net.split('.').map(Number) as [number, number];
  const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  return isPrivate ? 'IPV4_PRIVATE' : 'IPV4_PUBLIC';
}

/** The fields of `desired` whose value NetBox holds differently (`actual` as NetBox answered: choices as `{value}`). */
export function differingFields(desired: object, actual: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(desired)) {
    const a = actual[k];
    const have = typeof a === 'object' && a !== null && 'value' in a ? (a as { value: unknown }).value : a;
    if (!sameValue(k, v, have)) out[k] = v;
  }
  return out;
}

function sameValue(key: string, want: unknown, have: unknown): boolean {
  if (key === 'address' || key === 'prefix') return String(want).toLowerCase() === String(have ?? '').toLowerCase();
  if (key === 'description') return String(want ?? '') === String(have ?? '');
  return want === have;
}

/** The host part of a NetBox address ("10.0.0.5/24" → "10.0.0.5"). */
export const hostOf = (address: string): string => address.split('/')[0]!;
