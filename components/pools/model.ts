/**
 * The pools pages' view of the REST API under /api/v1/ip-management (the seed's field names and
 * enum values). Every path the pages call is here, so the pages never build URLs themselves.
 */
import { api, apiFetch, qs } from '../shared/api';

export const IPM = '/api/v1/ip-management';

import type { Conflict as WireConflict } from '../../src/domain/pools/conflicts';
import type { Reservation } from '../../src/services/pools/wire';
import { poolIpType, type AllocationOrder, type IpType, type PoolStatus, type PoolType, type ReservationStatus } from '../../src/domain/pools/types';

// One vocabulary with the server: the enums and the type → address-type rule come from src/domain.
export { POOL_STATUSES, POOL_TYPES, RESERVATION_STATUSES } from '../../src/domain/pools/types';
export type { IpType, PoolStatus, PoolType, ReservationStatus };
export type Conflict = WireConflict;

/** Counts are numbers, or decimal strings beyond 2^53 (an IPv6 pool). */
export type Count = number | string;

/**
 * A pool by state (GET /pools/{id}/utilization; PoolStateCounts in src/services/pools/wire.ts,
 * which the components cannot import: its range types pull the database layer into their build).
 */
export interface Utilization {
  total: Count;
  reserved: Count;
  assigned: Count;
  /** Held by something other than this pool's reservations (IP assets, an overlapping pool). */
  in_use?: Count;
  available: Count;
  utilization_percent: number;
  /** The status the counts imply (an ACTIVE pool with nothing left is DEPLETED). */
  status?: PoolStatus;
  projected_depletion_date?: string | null;
  alert_state?: 'ok' | 'alert' | 'depleted';
}

/** A family's (or every address pool's) totals in GET /stats. */
export interface StatsTotals {
  pools: number;
  total: Count;
  reserved: Count;
  assigned: Count;
  in_use: Count;
  available: Count;
  utilization_percent: number;
}

export interface PoolBrief {
  pool_id: number;
  pool_name: string;
  network_cidr: string;
  status: PoolStatus;
  utilization_percent: number;
  available: Count;
  total: Count;
  alert_state?: 'ok' | 'alert' | 'depleted';
  projected_depletion_date?: string | null;
}

/** GET /stats (src/services/pools/stats.ts). */
export interface Stats {
  totals: StatsTotals;
  ipv4: StatsTotals;
  ipv6: StatsTotals;
  prefix_delegation: StatsTotals;
  top_utilized: PoolBrief[];
  depletion_warnings: PoolBrief[];
  recent_assignments: (Pick<Reservation, 'id' | 'pool_id' | 'subscriber_id' | 'ip_address' | 'ip_type' | 'prefix_length' | 'status' | 'reserved_at' | 'assigned_at'> & { pool_name: string })[];
}

/** A pool (the Pool of src/services/pools/wire.ts) and, on the pages, its utilization by state. */
export interface Pool {
  id: number;
  pool_name: string;
  pool_type: PoolType;
  network_cidr: string;
  gateway: string | null;
  dns_servers: string[];
  vlan_id: number | null;
  status: PoolStatus;
  auto_assign_enabled: boolean;
  allow_manual_reservation: boolean;
  utilization_alert_threshold: number;
  allocation_order: AllocationOrder;
  delegation_prefix_length: number | null;
  group_name: string | null;
  description: string | null;
  netbox_prefix_id: number | null;
  state?: Utilization | null;
}

export type { Reservation };

/** POST /pools/{id}/reserve-batch. */
export interface BatchResult {
  pool_id: number;
  count: number;
  reservations: Reservation[];
}

/** GET /pools/{id}/available-ips: one page of free addresses in address order (offset a decimal string). */
export interface AvailablePage {
  pool_id: number;
  unit: string;
  available: Count;
  limit: number;
  offset: Count;
  items: string[];
}

export const TYPE_LABELS: Record<PoolType, string> = {
  IPV4_PUBLIC: 'IPv4 public',
  IPV4_PRIVATE: 'IPv4 private',
  IPV6_GLOBAL: 'IPv6 global',
  IPV6_ULA: 'IPv6 ULA',
  IPV6_PREFIX_DELEGATION: 'IPv6 prefix delegation',
};

/** The status a pool shows: the one its counts imply when known. */
export const statusOf = (p: Pool): PoolStatus => p.state?.status ?? p.status;

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

export const isV6Type = (t: PoolType): boolean => poolIpType(t) !== 'ipv4';
export const ipTypeOf = poolIpType;

/** The API may answer a bare array or an envelope ({items}/{pools}/{reservations}); pages want the rows. */
export function rowsOf<T>(answer: unknown, key: string): T[] {
  if (Array.isArray(answer)) return answer as T[];
  const o = (answer ?? {}) as Record<string, unknown>;
  const rows = o[key] ?? o.items ?? o.results ?? [];
  return Array.isArray(rows) ? (rows as T[]) : [];
}

/** The seed's updates are PUTs (the shared client has no verb for them). */
export const put = <T>(path: string, body: unknown): Promise<T> => apiFetch<T>('PUT', path, body).then((r) => r.data);

export const dnsText = (dns: string[] | null | undefined): string => (dns ?? []).join(', ');

export const paths = {
  pools: (filters: Record<string, string> = {}) => `${IPM}/pools${qs(filters)}`,
  pool: (id: number) => `${IPM}/pools/${id}`,
  utilization: (id: number) => `${IPM}/pools/${id}/utilization`,
  /** `offset` is a decimal string: in an IPv6 pool it may exceed 2^53. */
  available: (id: number, limit = 5, offset = '0') => `${IPM}/pools/${id}/available-ips${qs({ limit, offset })}`,
  reserveBatch: (id: number) => `${IPM}/pools/${id}/reserve-batch`,
  /** Without `status`, every state (history included); `limit` is at most 1000. */
  reservations: (filters: Record<string, string | number> = {}) => `${IPM}/reservations${qs(filters)}`,
  reservation: (id: number) => `${IPM}/reservations/${id}`,
  assign: (subscriber: string) => `${IPM}/subscribers/${encodeURIComponent(subscriber)}/assign-ip`,
  release: (subscriber: string) => `${IPM}/subscribers/${encodeURIComponent(subscriber)}/release-ip`,
  /** `{subscriber_id, ips}`: live holds, and with history released and expired ones too. */
  subscriberIps: (subscriber: string, history = false) => `${IPM}/subscribers/${encodeURIComponent(subscriber)}/ips${history ? '?history=true' : ''}`,
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
  /** `count` addresses (or prefixes) of one pool for one subscriber, all or nothing. */
  reserveBatch: (poolId: number, body: { subscriber_id: string; count: number; assign?: boolean; order?: AllocationOrder; expires_at?: string }) => api.post<BatchResult>(paths.reserveBatch(poolId), body),
  extend: (r: Reservation, expiresAt: string) => api.post<Reservation>(`${paths.reservation(r.id)}/extend`, { expires_at: expiresAt }),
};

/**
 * Every pool with its utilization by state: from the list's answer when it carries it, else one
 * GET /pools/{id}/utilization per pool (a few dozen pools, fetched together).
 */
export async function loadPools(): Promise<Pool[]> {
  const pools = rowsOf<Pool>(await api.get<unknown>(paths.pools()), 'pools');
  return Promise.all(pools.map(async (p) => (p.state ? p : { ...p, state: await api.get<Utilization>(paths.utilization(p.id)).catch(() => null) })));
}

/** Panel URLs of the pools pages. */
export const PAGE = '/ui/pages/ip-pools';
export const poolPage = (id: number): string => `${PAGE}?pool=${id}`;
export const subscriberPage = (id: string): string => `${PAGE}?subscriber=${encodeURIComponent(id)}`;
export const DASHBOARD_PAGE = '/ui/pages/pool-dashboard';
export const CONFLICTS_PAGE = '/ui/pages/ip-conflicts';

/** The API's timestamps ("YYYY-MM-DD HH:MM:SS", UTC, or ISO 8601) as epoch milliseconds; NaN for none. */
export const parseUtc = (s: string | null | undefined): number => (s ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`) : NaN);

/** "2026-12-01T16:30:00.000Z" or "2026-12-01 16:30:00" → "2026-12-01 16:30" (UTC, as everywhere in the panel). */
export const when = (iso: string | null | undefined): string => (iso ? iso.replace('T', ' ').slice(0, 16) : '');
