import { AuditQuerySchema } from '../../services/audit.js';
import { UserCreateSchema, UserUpdateSchema } from '../../services/schemas/users.js';
import { parseInput } from '../../services/validate.js';
import { crudRoutes } from '../crud-routes.js';
import { setPageHeaders } from '../http.js';
import type { RouteSpec } from '../route-table.js';

export const userRoutes: RouteSpec[] = crudRoutes({
  key: 'users',
  read: 'superuser',
  write: 'superuser',
  create: UserCreateSchema,
  update: UserUpdateSchema,
  deleteConflicts: true,
  summaries: {
    list: 'Every user (array); never password hashes.',
    create: 'Creates a user (role viewer, editor or superuser).',
    get: 'One user.',
    update: "Changes username, password, role or active flag; a changed password, role or deactivation revokes the user's tokens. The last active superuser stays.",
    delete: 'Deletes a user (not yourself, not the last active superuser).',
  },
});

export const auditRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/audit',
    access: 'login',
    tag: 'audit',
    summary: 'Audit log, newest first (array). Filters: target_type, target_id, target_label, user, user_id, action, since, until; limit/offset (X-Total-Count, Link). Logins, logouts and failed logins carry client_address and user_agent.',
    query: AuditQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(AuditQuerySchema, req.query, 'query');
      const page = await ctx.services(req).audit.list(req.query as never);
      setPageHeaders(req, res, { total: page.total, limit: q.limit, offset: q.offset });
      res.json(page.items);
    },
  },
  {
    method: 'get',
    path: '/audit/options',
    access: 'login',
    tag: 'audit',
    summary: "What the audit filters offer: every action, the target types present in the log, and the users (and 'system') to pick from.",
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).audit.filterOptions());
    },
  },
];
