import { z } from 'zod';
import { parseTimestamp } from '../../domain/time.js';
import { AssignSchema, ExtendSchema, ReleaseSchema } from './pools.js';

/**
 * Bodies of the /api/v1/ip-management operations beyond pool and reservation CRUD (the seed's
 * assign/release, conflict check, extension and the orchestration hooks), with the seed's field
 * names and enum values. Parsed by the services; the route table documents the same schemas.
 */

export const IP_TYPES = ['ipv4', 'ipv6', 'ipv6_prefix'] as const;
export const IpTypeSchema = z.enum(IP_TYPES, { message: `must be one of ${IP_TYPES.join(', ')}` });

const id = z.number({ message: 'must be an integer id' }).int('must be an integer id').min(1, 'must be a positive id').max(2_147_483_647, 'must be a positive id');
const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const address = z.string().trim().min(1, 'is required').max(64, 'must be at most 64 characters');

/** A timestamp in the stored format ("YYYY-MM-DD HH:MM:SS", UTC) or ISO 8601; parsed to a Date. */
export const TimestampSchema = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const d = parseTimestamp(s);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: 'must be a timestamp (YYYY-MM-DD HH:MM:SS UTC or ISO 8601)' });
      return z.NEVER;
    }
    return d;
  });

/** A subscriber id in a path: the seed's subscribers are strings (an account number, a UUID). */
export const SubscriberIdSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9._:@-]+$/, 'may hold letters, digits and . _ : @ - only');

const force = {
  /** Assign over forceable conflicts (live evidence, another pool); needs a reason, which is audited. */
  force: z.boolean().optional(),
  reason: text(500).optional(),
};
function forceNeedsReason(v: { force?: boolean | undefined; reason?: string | undefined }, ctx: z.RefinementCtx): void {
  if (v.force && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required when force is true' });
}

function onePoolOrGroup(v: { pool_id?: number | undefined; group_name?: string | undefined; ip_address?: string | undefined }, ctx: z.RefinementCtx): void {
  if ((v.pool_id === undefined) === (v.group_name === undefined)) ctx.addIssue({ code: 'custom', path: ['pool_id'], message: 'give either pool_id or group_name' });
  else if (v.group_name !== undefined && v.ip_address !== undefined) ctx.addIssue({ code: 'custom', path: ['ip_address'], message: 'a manual address needs its pool_id' });
}

/**
 * POST /reservations: `force` and `reason` beside the reserve fields (which the reservations
 * service parses itself with ReserveSchema).
 */
export const ForceSchema = z.looseObject({ ...force }).superRefine(forceNeedsReason);

/** POST /subscribers/{id}/assign-ip: the seed's `{pool_id, ip_type}`, an optional manual address, an expiry. */
export const AssignIpSchema = z
  .object({
    pool_id: id.optional(),
    /** Instead of pool_id: whichever pool of the group (a role or site) has room. */
    group_name: z.string().trim().min(1, 'is required').max(128, 'must be at most 128 characters').optional(),
    ip_type: IpTypeSchema,
    ip_address: address.optional(),
    prefix_length: z.number().int('must be an integer').min(1, 'must be 1..128').max(128, 'must be 1..128').optional(),
    expires_at: TimestampSchema.optional(),
    assignment_reason: text(500).optional(),
    notes: text(10_000).optional(),
    ...force,
  })
  .strict()
  .superRefine(forceNeedsReason)
  .superRefine(onePoolOrGroup);
export type AssignIp = z.infer<typeof AssignIpSchema>;

/** POST /subscribers/{id}/release-ip: one reservation (by id or address) or every one of a type. */
export const ReleaseIpSchema = z
  .object({ reservation_id: id.optional(), ip_address: address.optional(), ip_type: IpTypeSchema.optional() })
  .strict()
  .superRefine((v, ctx) => {
    if (v.reservation_id === undefined && v.ip_address === undefined && v.ip_type === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reservation_id'], message: 'name the reservation to release: reservation_id, ip_address or ip_type' });
    }
  });
export type ReleaseIp = z.infer<typeof ReleaseIpSchema>;

/** POST /check-conflicts: what stands in the way of holding this address (in this pool). */
export const CheckConflictsSchema = z.object({ ip_address: address, pool_id: id.optional() }).strict();
export type CheckConflicts = z.infer<typeof CheckConflictsSchema>;

/** POST /reservations/{id}/extend. */
export const ExtendReservationSchema = z.object({ expires_at: TimestampSchema }).strict();

/** POST /subscribers/{id}/terminate: release every address the subscriber holds. */
export const TerminateSubscriberSchema = z.object({ reason: text(500).optional() }).strict();

/** POST /subscribers/{id}/plan-change: add and remove address types in one call (all or nothing). */
export const PlanChangeSchema = z
  .object({
    add: z
      .array(
        z
          .object({ pool_id: id.optional(), group_name: z.string().trim().min(1).max(128).optional(), ip_type: IpTypeSchema, prefix_length: z.number().int().min(1).max(128).optional() })
          .strict()
          .superRefine(onePoolOrGroup),
      )
      .max(16, 'at most 16 additions')
      .default([]),
    remove: z.array(IpTypeSchema).max(3).default([]),
    reason: text(500).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.add.length === 0 && v.remove.length === 0) ctx.addIssue({ code: 'custom', path: ['add'], message: 'add or remove at least one address type' });
    v.add.forEach((a, i) => {
      if (v.remove.includes(a.ip_type)) ctx.addIssue({ code: 'custom', path: ['add', i, 'ip_type'], message: `${a.ip_type} is both added and removed` });
      if (v.add.findIndex((b) => b.ip_type === a.ip_type) !== i) ctx.addIssue({ code: 'custom', path: ['add', i, 'ip_type'], message: `${a.ip_type} is added twice` });
    });
  });
export type PlanChange = z.infer<typeof PlanChangeSchema>;

/**
 * PUT /reservations/{id}: the lifecycle step to take (ASSIGNED or RELEASED) and/or a new expiry,
 * with the assign/release fields. Applied in that order, each its own audited step.
 */
export const ReservationUpdateSchema = z
  .object({
    status: z.enum(['ASSIGNED', 'RELEASED'], { message: 'must be ASSIGNED or RELEASED (expiry is the lifecycle job\'s)' }).optional(),
    expires_at: ExtendSchema.shape.expires_at.optional(),
    assigned_by: AssignSchema.shape.assigned_by,
    assignment_reason: AssignSchema.shape.assignment_reason,
    notes: AssignSchema.shape.notes,
    reason: ReleaseSchema.shape.reason,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.status === undefined && v.expires_at === undefined) ctx.addIssue({ code: 'custom', path: ['status'], message: 'give a status to move to or a new expires_at' });
  });
export type ReservationUpdate = z.infer<typeof ReservationUpdateSchema>;
