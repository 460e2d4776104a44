import { RangeAddressQuerySchema } from '../../services/ranges/addresses.js';
import { idParam } from '../http.js';
import type { RouteSpec } from '../route-table.js';

export const rangeAddressRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/ranges/:id/addresses',
    access: 'read',
    tag: 'ranges',
    summary:
      'Every usable address of a range as used or free (status=all|used|free), a page at a time; ' +
      'offset may be a decimal string (an IPv6 /64 has 2^64 rows) and total is a string beyond 2^53. ' +
      'q narrows the window when it is an address, a CIDR or leading IPv4 octets, else it searches used addresses; ' +
      'project_id/type/tags match used addresses only (used_only: "all" lists them, "free" is empty).',
    query: RangeAddressQuerySchema,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).rangeAddresses.list(idParam(req), req.query as never));
    },
  },
];
