/**
 * The pools pages' view of the REST API under /api/v1/ip-management (the seed's field names and
 * enum values). Every path the pages call is here, so the pages never build URLs themselves.
 */
import { api, apiFetch, qs } from '../shared/api';

export const IPM = '/api/v1/ip-management';

export const POOL_TYPES = ['IPV4_PUBLIC', 'IPV4_PRIVATE', 'IPV6_GLOBAL', 'IPV6_ULA', 'IPV6_PREFIX_DELEGATION'] as const;
export const POOL_STATUSES = ['ACTIVE', 'RESERVED', 'DEPLETED', 'MAINTENANCE'] as const;
export const RESERVATION_STATUSES = ['RESERVED', 'ASSIGNED', 'RELEASED', 'EXPIRED'] as const;
export const IP_TYPES = ['ipv4', 'ipv6', 'ipv6_prefix'] as const;

export type PoolType = (typeof POOL_TYPES)[number];
export type PoolStatus = (typeof POOL_STATUSES)[number];
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];
export type IpType = (typeof IP_TYPES)[number];

/** Counts are numbers, or decimal strings beyond 2^53 (an IPv6 pool). */
export type Count = number | string;

export interface Utilization {
  total: Count;
  reserved: Count;
  assigned: Count;
  available: Count;
  /** Used by something other than a reservation (a live IP asset, the gateway). */
  other_used?: Count;
  utilization_percent: number;
  projected_depletion_date?: string | null;
  alert?: boolean;
}

export interface Pool {
  id: number;
  pool_name: string;
  pool_type: PoolType;
  network_cidr: string;
  gateway: string | null;
  dns_servers: string[] | string | null;
  vlan_id: number | null;
  status: PoolStatus;
  auto_assign_enabled: boolean;
  allow_manual_reservation: boolean;
  utilization_threshold?: number | null;
  description: string | null;
  netbox_prefix_id?: number | null;
  utilization?: Utilization;
}

export interface Reservation {
  id: number;
  pool_id: number;
  subscriber_id: string;
  ip_address: string;
  ip_type: IpType;
  prefix_length: number | null;
  status: ReservationStatus;
  reserved_at: string | null;
  assigned_at: string | null;
  released_at: string | null;
  expires_at: string | null;
  assigned_by: string | null;
  assignment_reason: string | null;
  notes: string | null;
}

/** One thing standing in the way of holding an address (src/domain/pools/conflicts.ts). */
export interface Conflict {
  ip_address: string;
  conflict_type: string;
  severity: string;
  /** Whether an editor may reserve over it with force and a reason. */
  forceable: boolean;
  message: string;
  holder?: Record<string, unknown>;
  pool_id?: number;
}

export const TYPE_LABELS: Record<PoolType, string> = {
  IPV4_PUBLIC: 'IPv4 public',
  IPV4_PRIVATE: 'IPv4 private',
  IPV6_GLOBAL: 'IPv6 global',
  IPV6_ULA: 'IPv6 ULA',
  IPV6_PREFIX_DELEGATION: 'IPv6 prefix delegation',
};

/** Chip colours: a pool's status and a reservation's, one palette on every pools page. */
export const STATUS_COLORS: Record<string, string> = {
  ACTIVE: '#bbf7d0',
  RESERVED: '#fde68a',
  DEPLETED: '#fecaca',
  MAINTENANCE: '#e2e8f0',
  ASSIGNED: '#bfdbfe',
  RELEASED: '#e2e8f0',
  EXPIRED: '#fed7aa',
};

/** The colours of the states in every utilization bar and chart (assigned, reserved, used otherwise, available). */
export const STATE_COLORS = { assigned: '#2563eb', reserved: '#f59e0b', other: '#94a3b8', available: '#e2e8f0' } as const;

export const isV6Type = (t: PoolType): boolean => t.startsWith('IPV6');

/** The address type a pool hands out. */
export const ipTypeOf = (t: PoolType): IpType => (t === 'IPV6_PREFIX_DELEGATION' ? 'ipv6_prefix' : isV6Type(t) ? 'ipv6' : 'ipv4');

/** The API may answer a bare array or an envelope ({items}/{pools}/{reservations}); pages want the rows. */
export function rowsOf<T>(answer: unknown, key: string): T[] {
  if (Array.isArray(answer)) return answer as T[];
  const o = (answer ?? {}) as Record<string, unknown>;
  const rows = o[key] ?? o.items ?? o.results ?? [];
  return Array.isArray(rows) ? (rows as T[]) : [];
}

/** The seed's updates are PUTs (the shared client has no verb for them). */
export const put = <T>(path: string, body: unknown): Promise<T> => apiFetch<T>('PUT', path, body).then((r) => r.data);

export const dnsText = (dns: Pool['dns_servers']): string => (Array.isArray(dns) ? dns.join(', ') : dns ?? '');

export const paths = {
  pools: (filters: Record<string, string> = {}) => `${IPM}/pools${qs(filters)}`,
  pool: (id: number) => `${IPM}/pools/${id}`,
  utilization: (id: number) => `${IPM}/pools/${id}/utilization`,
  available: (id: number, limit = 5) => `${IPM}/pools/${id}/available-ips${qs({ limit })}`,
  reservations: (filters: Record<string, string | number> = {}) => `${IPM}/reservations${qs(filters)}`,
  reservation: (id: number) => `${IPM}/reservations/${id}`,
  assign: (subscriber: string) => `${IPM}/subscribers/${encodeURIComponent(subscriber)}/assign-ip`,
  release: (subscriber: string) => `${IPM}/subscribers/${encodeURIComponent(subscriber)}/release-ip`,
  subscriberIps: (subscriber: string) => `${IPM}/subscribers/${encodeURIComponent(subscriber)}/ips`,
  terminate: (subscriber: string) => `${IPM}/subscribers/${encodeURIComponent(subscriber)}/terminate`,
  checkConflicts: `${IPM}/check-conflicts`,
  conflicts: `${IPM}/conflicts`,
  stats: `${IPM}/stats`,
};

/**
 * The reservation lifecycle's writes, one place for the verbs and bodies the API takes.
 * `force` with a `reason` assigns over a conflict (audited by the server).
 */
export const writes = {
  /** The next free address (or prefix) of the pool, or `ip_address` when the operator chose one. */
  assignIp: (subscriber: string, body: { pool_id: number; ip_type: IpType; ip_address?: string; prefix_length?: number; expires_at?: string; force?: boolean; reason?: string }) => api.post<Reservation>(paths.assign(subscriber), body),
  assign: (r: Reservation) => put<Reservation>(paths.reservation(r.id), { status: 'ASSIGNED' }),
  release: (r: Reservation) => api.post<unknown>(paths.release(r.subscriber_id), { reservation_id: r.id }),
  extend: (r: Reservation, expiresAt: string) => api.post<Reservation>(`${paths.reservation(r.id)}/extend`, { expires_at: expiresAt }),
};

/** Panel URLs of the pools pages. */
export const PAGE = '/ui/pages/pools';
export const poolPage = (id: number): string => `${PAGE}?pool=${id}`;
export const subscriberPage = (id: string): string => `${PAGE}?subscriber=${encodeURIComponent(id)}`;
export const DASHBOARD_PAGE = '/ui/pages/pools-dashboard';
export const CONFLICTS_PAGE = '/ui/pages/ip-conflicts';

/** "2026-12-01T16:30:00.000Z" → "2026-12-01 16:30" (UTC, as everywhere in the panel). */
export const when = (iso: string | null | undefined): string => (iso ? iso.replace('T', ' ').slice(0, 16) : '');
