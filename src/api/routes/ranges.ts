import { RangeCreateSchema, RangeUpdateSchema } from '../../services/schemas/ranges.js';
import { idParam } from '../http.js';
import type { RouteSpec } from '../route-table.js';

export const rangeRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/ranges',
    access: 'read',
    tag: 'ranges',
    summary: 'Every range (IPv4 and IPv6) with its utilization, by family and network (array).',
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).ranges.list());
    },
  },
  {
    method: 'post',
    path: '/ranges',
    access: 'editor',
    tag: 'ranges',
    summary: 'Creates a range; the CIDR is normalised (host bits cleared) and unique (409).',
    body: RangeCreateSchema,
    errors: [409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).ranges.create(req.body));
    },
  },
  {
    method: 'get',
    path: '/ranges/:id',
    access: 'read',
    tag: 'ranges',
    summary: 'One range with its utilization.',
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).ranges.get(idParam(req)));
    },
  },
  {
    method: 'patch',
    path: '/ranges/:id',
    access: 'editor',
    tag: 'ranges',
    summary: 'Changes name, CIDR or notes of a range.',
    body: RangeUpdateSchema,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).ranges.update(idParam(req), req.body));
    },
  },
  {
    method: 'delete',
    path: '/ranges/:id',
    access: 'editor',
    tag: 'ranges',
    summary: 'Deletes a range (its addresses are not touched: ranges only describe the space).',
    status: 204,
    errors: [404, 422],
    async handler(req, res, ctx) {
      await ctx.services(req).ranges.delete(idParam(req));
      res.status(204).end();
    },
  },
  {
    method: 'get',
    path: '/ranges/:id/utilization',
    access: 'read',
    tag: 'ranges',
    summary: 'Usable, used and free addresses of a range (usable = size − 2 for IPv4 except /31, /32; used = distinct active assets inside).',
    errors: [404, 422],
    async handler(req, res, ctx) {
      const r = await ctx.services(req).ranges.get(idParam(req));
      res.json({ id: r.id, cidr: r.cidr, ...r.utilization });
    },
  },
];
