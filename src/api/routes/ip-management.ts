import { z } from 'zod';
import { PoolCreateSchema, PoolListSchema, PoolUpdateSchema } from '../../services/schemas/pools.js';
import { CheckConflictsSchema } from '../../services/schemas/ip-management.js';
import { parseInput } from '../../services/validate.js';
import { idParam } from '../http.js';
import type { RouteSpec } from '../route-table.js';

/** The seed's REST prefix for static IP management (pools, reservations, conflicts, stats). */
export const IPM = '/api/v1/ip-management';
const TAG = 'ip-management';
const poolParams = z.object({ pool_id: z.string().describe('pool id (its range id)') });

export const AvailableIpsQuerySchema = z
  .object({
    limit: z.coerce.number({ message: 'must be an integer' }).int('must be an integer').min(1, 'must be 1–1000').max(1000, 'must be 1–1000').default(50),
    offset: z
      .string()
      .regex(/^[0-9]{1,40}$/, 'must be a non-negative integer')
      .default('0')
      .transform((s) => BigInt(s)),
  })
  .strict();

export const ConflictListQuerySchema = z
  .object({ evidence_days: z.coerce.number({ message: 'must be an integer' }).int('must be an integer').min(1, 'must be 1–365').max(365, 'must be 1–365').optional() })
  .strict();
const CheckConflictsQuerySchema = ConflictListQuerySchema;

/** Pools CRUD, utilization, free addresses, stats and conflicts; reservations and subscribers are in ip-management-reservations.ts. */
export const ipManagementPoolRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: `${IPM}/pools`,
    access: 'read',
    tag: TAG,
    summary: 'Every IP pool (a range with allocation settings) with its utilization; filters pool_type, status, group_name and q (name, network, description).',
    query: PoolListSchema,
    errors: [422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).pools.list(req.query as never));
    },
  },
  {
    method: 'post',
    path: `${IPM}/pools`,
    access: 'editor',
    tag: TAG,
    summary: 'Creates a pool: its range (network_cidr, pool_name unique: 409) and settings; gateway inside the network, DNS servers valid addresses (422 naming the field).',
    body: PoolCreateSchema,
    status: 201,
    errors: [409, 422],
    async handler(req, res, ctx) {
      res.status(201).json(await ctx.services(req).pools.create(req.body));
    },
  },
  {
    method: 'get',
    path: `${IPM}/pools/:pool_id`,
    access: 'read',
    tag: TAG,
    summary: 'One pool with its settings and utilization.',
    params: poolParams,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).pools.get(idParam(req, 'pool_id')));
    },
  },
  {
    method: 'put',
    path: `${IPM}/pools/:pool_id`,
    access: 'editor',
    tag: TAG,
    summary: 'Changes a pool (any subset of its fields; network_cidr only while the new network still holds its live reservations).',
    params: poolParams,
    body: PoolUpdateSchema,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).pools.update(idParam(req, 'pool_id'), req.body));
    },
  },
  {
    method: 'delete',
    path: `${IPM}/pools/:pool_id`,
    access: 'editor',
    tag: TAG,
    summary: 'Deletes a pool and its range (409 while it holds live reservations: release them first).',
    params: poolParams,
    status: 204,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      await ctx.services(req).pools.delete(idParam(req, 'pool_id'));
      res.status(204).end();
    },
  },
  {
    method: 'get',
    path: `${IPM}/pools/:pool_id/utilization`,
    access: 'read',
    tag: TAG,
    summary:
      'Utilization by state: total, reserved, assigned, in_use (IP assets and other holders), available and percents; the status it implies (DEPLETED at 100%), alert_state over the pool threshold, and projected_depletion_date from the last 30 days.',
    params: poolParams,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).poolStats.utilization(idParam(req, 'pool_id')));
    },
  },
  {
    method: 'get',
    path: `${IPM}/pools/:pool_id/available-ips`,
    access: 'read',
    tag: TAG,
    summary: 'Free addresses of a pool in address order (network, broadcast, gateway and every held or used address skipped), paged by limit/offset (offset may exceed 2^53 as a decimal string).',
    params: poolParams,
    query: AvailableIpsQuerySchema,
    errors: [404, 422],
    async handler(req, res, ctx) {
      const q = parseInput(AvailableIpsQuerySchema, req.query, 'query');
      res.json(await ctx.services(req).poolStats.availableIps(idParam(req, 'pool_id'), q.limit, q.offset));
    },
  },
  {
    method: 'get',
    path: `${IPM}/pools/:pool_id/stats`,
    access: 'read',
    tag: TAG,
    summary: 'A pool\'s utilization, its reservations by IP type and status, and its latest assignments.',
    params: poolParams,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).poolStats.poolStats(idParam(req, 'pool_id')));
    },
  },
  {
    method: 'get',
    path: `${IPM}/stats`,
    access: 'read',
    tag: TAG,
    summary: 'Totals over every pool, IPv4 against IPv6 (and prefix delegation), pools by status, the most utilized, depletion warnings and the latest assignments.',
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).poolStats.overall());
    },
  },
  {
    method: 'post',
    path: `${IPM}/check-conflicts`,
    access: 'read',
    tag: TAG,
    summary:
      'What stands in the way of holding ip_address (in pool_id when given): an IP asset or reservation holding it (with the holder), outside the pool, the gateway or network address, inside another pool, overlapping pools, a recent discovery sighting of an address nothing holds. Each with severity and whether force may override it.',
    body: CheckConflictsSchema,
    query: CheckConflictsQuerySchema,
    errors: [400, 404, 422],
    async handler(req, res, ctx) {
      const body = parseInput(CheckConflictsSchema, req.body);
      const q = parseInput(CheckConflictsQuerySchema, req.query, 'query');
      const conflicts = await ctx.services(req).poolConflicts.check(body.ip_address, { poolId: body.pool_id, evidenceDays: q.evidence_days });
      res.json({ ip_address: body.ip_address, pool_id: body.pool_id ?? null, has_conflicts: conflicts.length > 0, conflicts });
    },
  },
  {
    method: 'get',
    path: `${IPM}/conflicts`,
    access: 'read',
    tag: TAG,
    summary: 'The conflicts that exist now (global), worst first: overlapping pools, reservations on an IP asset, a gateway or outside their pool, and recent discovery sightings inside pools of addresses nothing holds.',
    query: ConflictListQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(ConflictListQuerySchema, req.query, 'query');
      const conflicts = await ctx.services(req).poolConflicts.list({ evidenceDays: q.evidence_days });
      res.json({ total: conflicts.length, conflicts });
    },
  },
];
