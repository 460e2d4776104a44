import { RangeCreateSchema, RangeUpdateSchema } from '../../services/schemas/ranges.js';
import { crudRoutes } from '../crud-routes.js';
import { idParam } from '../http.js';
import type { RouteSpec } from '../route-table.js';

export const rangeRoutes: RouteSpec[] = [
  ...crudRoutes({
    key: 'ranges',
    read: 'read',
    write: 'editor',
    create: RangeCreateSchema,
    update: RangeUpdateSchema,
    summaries: {
      list: 'Every range (IPv4 and IPv6) with its utilization and place in the hierarchy (parent_id, depth, children), by family and network, parents first (array).',
      create: 'Creates a range; the CIDR is normalised (host bits cleared); CIDR and name are unique (409). The answer carries warnings when it nests in or contains other ranges.',
      get: 'One range with its utilization, parent_id, depth and children.',
      update: 'Changes name, CIDR or notes of a range (unique name and CIDR: 409); the answer carries warnings like create.',
      delete: 'Deletes a range (its addresses are not touched: ranges only describe the space).',
    },
  }),
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
