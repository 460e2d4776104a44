import { z } from 'zod';
import { ExtendSchema, ReservationListSchema, ReserveSchema } from '../../services/schemas/pools.js';
import { AssignIpSchema, PlanChangeSchema, ReleaseIpSchema, ReservationUpdateSchema, SubscriberIdSchema, TerminateSubscriberSchema } from '../../services/schemas/ip-management.js';
import { ValidationError } from '../../domain/errors.js';
import { parseInput } from '../../services/validate.js';
import { idParam, setPageHeaders, textParam } from '../http.js';
import type { RouteSpec } from '../route-table.js';
import type { Request } from 'express';
import { IPM } from './ip-management.js';

const TAG = 'ip-management';
const reservationParams = z.object({ reservation_id: z.string().describe('reservation id') });
const subscriberParams = z.object({ subscriber_id: SubscriberIdSchema });

const ReservationListQuery = ReservationListSchema.extend({ live: z.enum(['true', 'false', '1', '0']).optional() });
const HistoryQuery = z.object({ history: z.enum(['true', 'false', '1', '0']).optional() }).strict();

function subscriberParam(req: Request): string {
  const r = SubscriberIdSchema.safeParse(textParam(req, 'subscriber_id'));
  if (!r.success) throw new ValidationError([{ loc: ['path', 'subscriber_id'], msg: r.error.issues[0]!.message, type: 'value_error' }]);
  return r.data;
}

/** Reservations CRUD and lifecycle, and the subscriber operations (assign, release, list, terminate, plan change). */
export const ipManagementReservationRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: `${IPM}/reservations`,
    access: 'read',
    tag: TAG,
    summary: 'Reservations, newest first (history included), filtered by pool_id, subscriber_id, status, live and ip_address (an address\'s whole history); limit/offset with X-Total-Count.',
    query: ReservationListQuery,
    errors: [422],
    async handler(req, res, ctx) {
      const raw = { ...(req.query as Record<string, unknown>) };
      if (typeof raw.live === 'string') raw.live = raw.live === 'true' || raw.live === '1';
      const page = await ctx.services(req).reservations.list(raw as never);
      const q = parseInput(ReservationListSchema, raw, 'query');
      setPageHeaders(req, res, { total: page.total, limit: q.limit, offset: q.offset });
      res.json(page.items);
    },
  },
  {
    method: 'post',
    path: `${IPM}/reservations`,
    access: 'editor',
    tag: TAG,
    summary:
      'Reserves an address for a subscriber: from pool_id (or whichever pool of group_name has room), ip_address exactly, preferred_address with fallback, or the next free one (order lowest/highest); assign: true hands it out at once. 409 when the pool is exhausted or the address held (naming the holder). A manual ip_address is conflict-checked like assign-ip: force: true with a reason overrides live evidence or another pool (audited).',
    body: ReserveSchema,
    status: 201,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.status(201).json(await ctx.services(req).subscriberIps.reserve(req.body));
    },
  },
  {
    method: 'get',
    path: `${IPM}/reservations/:reservation_id`,
    access: 'read',
    tag: TAG,
    summary: 'One reservation with its lifecycle timestamps.',
    params: reservationParams,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).reservations.get(idParam(req, 'reservation_id')));
    },
  },
  {
    method: 'put',
    path: `${IPM}/reservations/:reservation_id`,
    access: 'editor',
    tag: TAG,
    summary: 'Moves a reservation along its lifecycle (status ASSIGNED or RELEASED; 409 when the step is not allowed) and/or sets a new expires_at (in the future; null: never).',
    params: reservationParams,
    body: ReservationUpdateSchema,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).reservationLifecycle.update(idParam(req, 'reservation_id'), req.body));
    },
  },
  {
    method: 'delete',
    path: `${IPM}/reservations/:reservation_id`,
    access: 'editor',
    tag: TAG,
    summary: 'Releases a reservation (its record stays as history, status RELEASED; the address is free again). 409 when it is not live.',
    params: reservationParams,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).reservations.release(idParam(req, 'reservation_id')));
    },
  },
  {
    method: 'post',
    path: `${IPM}/reservations/:reservation_id/extend`,
    access: 'editor',
    tag: TAG,
    summary: 'Extends a live reservation: a new expires_at in the future (null: never expires). 409 for a released or expired one.',
    params: reservationParams,
    body: ExtendSchema,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).reservations.extend(idParam(req, 'reservation_id'), req.body));
    },
  },
  {
    method: 'post',
    path: `${IPM}/subscribers/:subscriber_id/assign-ip`,
    access: 'editor',
    tag: TAG,
    summary:
      'Assigns the subscriber an address of ip_type from pool_id ({pool_id, ip_type}; the next free one, or ip_address), or from whichever pool of group_name has room. One live address per type and subscriber (409). A manual address with conflicts answers 409 listing them; live evidence or another pool may be overridden with force: true and a reason (audited, answered in forced_conflicts).',
    params: subscriberParams,
    body: AssignIpSchema,
    status: 201,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.status(201).json(await ctx.services(req).subscriberIps.assign(subscriberParam(req), req.body));
    },
  },
  {
    method: 'post',
    path: `${IPM}/subscribers/:subscriber_id/release-ip`,
    access: 'editor',
    tag: TAG,
    summary: 'Releases one of the subscriber\'s reservations (reservation_id or ip_address) or every live one of an ip_type; answers the released reservations (404 when none matches).',
    params: subscriberParams,
    body: ReleaseIpSchema,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json({ released: await ctx.services(req).subscriberIps.release(subscriberParam(req), req.body) });
    },
  },
  {
    method: 'get',
    path: `${IPM}/subscribers/:subscriber_id/ips`,
    access: 'read',
    tag: TAG,
    summary: 'The addresses the subscriber holds now (live reservations); history=true adds released and expired ones.',
    params: subscriberParams,
    query: HistoryQuery,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(HistoryQuery, req.query, 'query');
      const id = subscriberParam(req);
      res.json({ subscriber_id: id, ips: await ctx.services(req).subscriberIps.ips(id, q.history === 'true' || q.history === '1') });
    },
  },
  {
    method: 'post',
    path: `${IPM}/subscribers/:subscriber_id/terminate`,
    access: 'editor',
    tag: TAG,
    summary: 'Terminates a subscriber: every address it holds is released in one transaction (history kept); answers the released reservations.',
    params: subscriberParams,
    body: TerminateSubscriberSchema,
    errors: [422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).subscriberIps.terminate(subscriberParam(req), req.body));
    },
  },
  {
    method: 'post',
    path: `${IPM}/subscribers/:subscriber_id/plan-change`,
    access: 'editor',
    tag: TAG,
    summary: 'A service plan change: releases the address types in remove and assigns those in add ([{pool_id, ip_type}]), all or nothing in one transaction (409 rolls back the whole change).',
    params: subscriberParams,
    body: PlanChangeSchema,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).subscriberIps.planChange(subscriberParam(req), req.body));
    },
  },
];
