/**
 * Wire shapes of pools and reservations, with the seed's field names. No imports (besides types),
 * so the panel's components and the GraphQL layer may import them type-only.
 */
import type { AllocationOrder, IpType, PoolStatus, PoolType, ReservationStatus } from '../../domain/pools/types.js';
import type { Utilization } from '../../domain/ip/key-space.js';

export type { AllocationOrder, IpType, PoolStatus, PoolType, ReservationStatus };

export interface Pool {
  /** The pool's range id: a pool IS a range (GET /ranges/{id} shows the same network). */
  id: number;
  pool_name: string;
  pool_type: PoolType;
  network_cidr: string;
  ip_version: number;
  gateway: string | null;
  dns_servers: string[];
  vlan_id: number | null;
  status: PoolStatus;
  auto_assign_enabled: boolean;
  allow_manual_reservation: boolean;
  utilization_alert_threshold: number;
  allocation_order: AllocationOrder;
  /** Prefix-delegation pools: the length of every delegated prefix. */
  delegation_prefix_length: number | null;
  /** Pools of one group (a role or a site) serve one request from whichever has room. */
  group_name: string | null;
  description: string | null;
  netbox_prefix_id: number | null;
  netbox_synced_at: string | null;
  /** Days a released address stays in quarantine (held back from allocation); null: the reclaim job's default. */
  quarantine_days: number | null;
  created_at: string;
  updated_at: string;
  /** The range's utilization (every used address: assets and live reservations). */
  utilization: Utilization;
}

/** Counts are numbers while exact in JSON, decimal strings beyond 2^53 (large IPv6 pools). */
export type Count = number | string;

/**
 * A pool by state. Address pools count addresses: `total` usable addresses minus the gateway;
 * `reserved` and `assigned` are this pool's live reservations; `in_use` what else holds addresses
 * here (IP assets, reservations of an overlapping pool, released addresses in quarantine —
 * `quarantined` counts this pool's); `available` = total − reserved −
 * assigned − in_use. Prefix-delegation pools count delegation slots the same way.
 */
export interface PoolStateCounts {
  pool_id: number;
  unit: 'address' | 'prefix';
  total: Count;
  reserved: Count;
  assigned: Count;
  in_use: Count;
  /** Of in_use: this pool's released addresses still in quarantine (held back until reclaimed). */
  quarantined: Count;
  available: Count;
  /** (reserved + assigned + in_use) / total × 100, two decimals. */
  utilization_percent: number;
}

export interface Reservation {
  id: number;
  pool_id: number;
  subscriber_id: string;
  /** The address, or a delegated prefix as CIDR ("2001:db8:0:100::/56"). */
  ip_address: string;
  ip_type: IpType;
  prefix_length: number | null;
  status: ReservationStatus;
  assignment_reason: string | null;
  assigned_by: string | null;
  reserved_at: string;
  assigned_at: string | null;
  released_at: string | null;
  expires_at: string | null;
  notes: string | null;
  netbox_ip_id: number | null;
  netbox_synced: boolean;
  created_at: string;
  updated_at: string;
}
