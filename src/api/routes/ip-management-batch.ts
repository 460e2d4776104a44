import { z } from 'zod';
import { ReserveBatchSchema } from '../../services/schemas/pools.js';
import { parseInput } from '../../services/validate.js';
import { idParam } from '../http.js';
import type { RouteSpec } from '../route-table.js';
import { IPM } from './ip-management.js';

/** The batch's body: the pool comes from the path; the count's bounds are the service's, with messages an operator can act on. */
export const ReserveBatchBodySchema = ReserveBatchSchema.omit({ pool_id: true }).extend({
  count: z.number({ message: 'must be an integer' }).int('must be an integer').min(1, 'must be 1–10000').max(10_000, 'must be 1–10000'),
});

/**
 * Batch allocation over REST (the service's reserveBatch had no route): N addresses of one pool
 * for one subscriber, all or nothing in one transaction under the pool's lock.
 */
export const ipManagementBatchRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: `${IPM}/pools/:pool_id/reserve-batch`,
    access: 'editor',
    tag: 'ip-management',
    summary:
      'Reserves count addresses (or delegated prefixes) of the pool for subscriber_id, all or nothing: the next free ones in order (lowest/highest, else the pool\'s), assign: true hands them out at once. 409 naming how many are free when the pool has fewer, or when it hands out nothing (status, auto-assign off).',
    params: z.object({ pool_id: z.string().describe('pool id (its range id)') }),
    body: ReserveBatchBodySchema,
    status: 201,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      const poolId = idParam(req, 'pool_id');
      const body = parseInput(ReserveBatchBodySchema, req.body);
      const reservations = await ctx.services(req).reservations.reserveBatch({ ...body, pool_id: poolId });
      res.status(201).json({ pool_id: poolId, count: reservations.length, reservations });
    },
  },
];
