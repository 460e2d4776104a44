import { AuditQuerySchema } from '../../services/audit.js';
import { UserCreateSchema, UserUpdateSchema } from '../../services/schemas/users.js';
import { parseInput } from '../../services/validate.js';
import { idParam, setPageHeaders } from '../http.js';
import type { RouteSpec } from '../route-table.js';

export const userRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/users',
    access: 'superuser',
    tag: 'users',
    summary: 'Every user (array); never password hashes.',
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).users.list());
    },
  },
  {
    method: 'post',
    path: '/users',
    access: 'superuser',
    tag: 'users',
    summary: 'Creates a user (role viewer, editor or superuser).',
    body: UserCreateSchema,
    errors: [409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).users.create(req.body));
    },
  },
  {
    method: 'get',
    path: '/users/:id',
    access: 'superuser',
    tag: 'users',
    summary: 'One user.',
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).users.get(idParam(req)));
    },
  },
  {
    method: 'patch',
    path: '/users/:id',
    access: 'superuser',
    tag: 'users',
    summary: 'Changes username, password, role or active flag; a changed password, role or deactivation revokes the user\'s tokens. The last active superuser stays.',
    body: UserUpdateSchema,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).users.update(idParam(req), req.body));
    },
  },
  {
    method: 'delete',
    path: '/users/:id',
    access: 'superuser',
    tag: 'users',
    summary: 'Deletes a user (not yourself, not the last active superuser).',
    status: 204,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      await ctx.services(req).users.delete(idParam(req));
      res.status(204).end();
    },
  },
];

export const auditRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/audit',
    access: 'login',
    tag: 'audit',
    summary: 'Audit log, newest first (array). Filters: target_type, target_id, target_label, user, action, since, until; limit/offset (X-Total-Count, Link).',
    query: AuditQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(AuditQuerySchema, req.query, 'query');
      const page = await ctx.services(req).audit.list(req.query as never);
      setPageHeaders(req, res, { total: page.total, limit: q.limit, offset: q.offset });
      res.json(page.items);
    },
  },
];
