import { z } from 'zod';
import { ALLOCATION_ORDERS, IP_TYPES, POOL_STATUSES, POOL_TYPES, RESERVATION_STATUSES } from '../../domain/pools/types.js';
import { parseTimestamp } from '../../domain/time.js';

/**
 * Inputs of pools and reservations, with the seed's field names. Shapes only: whether a gateway
 * lies inside the network, an address inside its pool, and so on, is checked by the services
 * (src/domain/pools/validate.ts), which answer 422 naming the field.
 */

const name = z.string().trim().min(1, 'is required').max(128, 'must be at most 128 characters');
const text = z.string().max(10_000).nullable().optional();
const timestamp = z
  .string()
  .trim()
  .refine((s) => parseTimestamp(s) !== null, 'must be a date and time (YYYY-MM-DD HH:MM:SS UTC or ISO 8601)');

/** DNS servers as a list or the seed's comma-separated text. */
const dnsServers = z
  .union([z.array(z.string().trim().min(1).max(45)).max(16), z.string().max(1000)])
  .transform((v) => (Array.isArray(v) ? v : v.split(',').map((s) => s.trim()).filter((s) => s !== '')))
  .nullable()
  .optional();

const poolFields = {
  pool_name: name,
  pool_type: z.enum(POOL_TYPES),
  network_cidr: z.string().trim().min(1, 'is required').max(60),
  gateway: z.string().trim().max(45).nullable().optional(),
  dns_servers: dnsServers,
  vlan_id: z.number().int().min(1, 'must be 1–4094').max(4094, 'must be 1–4094').nullable().optional(),
  status: z.enum(POOL_STATUSES).optional(),
  auto_assign_enabled: z.boolean().optional(),
  allow_manual_reservation: z.boolean().optional(),
  utilization_alert_threshold: z.number().int().min(1, 'must be 1–100').max(100, 'must be 1–100').optional(),
  allocation_order: z.enum(ALLOCATION_ORDERS).optional(),
  delegation_prefix_length: z.number().int().min(1).max(128).nullable().optional(),
  group_name: z.string().trim().min(1).max(128).nullable().optional(),
  description: text,
  netbox_prefix_id: z.number().int().positive().nullable().optional(),
  netbox_synced_at: timestamp.nullable().optional(),
  /** Days a released address is held back before it may be handed out again; null: the reclaim job's default (30). */
  quarantine_days: z.number().int().min(0, 'must be 0–3650').max(3650, 'must be 0–3650').nullable().optional(),
};

export const PoolCreateSchema = z.object(poolFields).strict();
export const PoolUpdateSchema = z.object(poolFields).partial().strict();
export type PoolCreate = z.input<typeof PoolCreateSchema>;
export type PoolUpdate = z.input<typeof PoolUpdateSchema>;

export const PoolListSchema = z
  .object({
    pool_type: z.enum(POOL_TYPES).optional(),
    status: z.enum(POOL_STATUSES).optional(),
    group_name: z.string().trim().min(1).max(128).optional(),
    q: z.string().trim().min(1).max(128).optional(),
  })
  .strict();
export type PoolListQuery = z.input<typeof PoolListSchema>;

const reservationFields = {
  subscriber_id: z.string().trim().min(1, 'is required').max(128),
  ip_type: z.enum(IP_TYPES).optional(),
  prefix_length: z.number().int().min(1).max(128).optional(),
  expires_at: timestamp.nullable().optional(),
  assignment_reason: text,
  assigned_by: z.string().trim().max(128).nullable().optional(),
  notes: text,
  netbox_ip_id: z.number().int().positive().nullable().optional(),
  /** Hand out the address at once (reserved and assigned in one step: the seed's assign_ip_auto). */
  assign: z.boolean().optional(),
};

/**
 * One reservation: from a pool (`pool_id`) or from whichever pool of a group has room
 * (`group_name`); `ip_address` takes exactly that address (or prefix), `preferred_address` takes it
 * when free and falls back to the next free one; neither takes the next free one in `order`.
 */
export const ReserveSchema = z
  .object({
    ...reservationFields,
    pool_id: z.number().int().positive().optional(),
    group_name: z.string().trim().min(1).max(128).optional(),
    ip_address: z.string().trim().min(1).max(49).optional(),
    preferred_address: z.string().trim().min(1).max(49).optional(),
    order: z.enum(ALLOCATION_ORDERS).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.pool_id === undefined) === (v.group_name === undefined)) ctx.addIssue({ code: 'custom', path: ['pool_id'], message: 'give either pool_id or group_name' });
    if (v.ip_address !== undefined && v.preferred_address !== undefined) ctx.addIssue({ code: 'custom', path: ['preferred_address'], message: 'give either ip_address or preferred_address' });
    if (v.ip_address !== undefined && v.group_name !== undefined) ctx.addIssue({ code: 'custom', path: ['ip_address'], message: 'a manual address needs its pool_id' });
  });
export type ReserveInput = z.input<typeof ReserveSchema>;

/** N reservations from one pool, all or nothing. */
export const ReserveBatchSchema = z
  .object({ ...reservationFields, pool_id: z.number().int().positive(), count: z.number().int().min(1).max(10_000), order: z.enum(ALLOCATION_ORDERS).optional() })
  .strict();
export type ReserveBatchInput = z.input<typeof ReserveBatchSchema>;

export const AssignSchema = z.object({ assigned_by: z.string().trim().max(128).nullable().optional(), assignment_reason: text, notes: text }).strict();
export type AssignInput = z.input<typeof AssignSchema>;

export const ReleaseSchema = z.object({ reason: z.string().max(10_000).optional() }).strict();
export type ReleaseInput = z.input<typeof ReleaseSchema>;

/** A live reservation's address passed on to another subscriber (the new holder keeps its status). */
export const HandOverSchema = z
  .object({
    subscriber_id: reservationFields.subscriber_id,
    reason: ReleaseSchema.shape.reason,
    /** The NetBox address the new holder's reservation is linked to (the hand-over follows NetBox). */
    netbox_ip_id: reservationFields.netbox_ip_id,
  })
  .strict();
export type HandOverInput = z.input<typeof HandOverSchema>;

export const ExtendSchema = z.object({ expires_at: timestamp.nullable() }).strict();
export type ExtendInput = z.input<typeof ExtendSchema>;

export const ReservationListSchema = z
  .object({
    pool_id: z.coerce.number().int().positive().optional(),
    subscriber_id: z.string().trim().min(1).max(128).optional(),
    status: z.enum(RESERVATION_STATUSES).optional(),
    live: z.boolean().optional(),
    ip_address: z.string().trim().min(1).max(49).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type ReservationListQuery = z.input<typeof ReservationListSchema>;
