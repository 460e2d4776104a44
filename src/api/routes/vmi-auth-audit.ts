import { z } from 'zod';
import { AUDIT_ACTIONS, type AuditEntry } from '../../services/audit.js';
import { LoginSchema } from '../../services/schemas/users.js';
import type { User } from '../../services/users.js';
import { parseInput } from '../../services/validate.js';
import type { RouteSpec } from '../route-table.js';
import { logout, tokenLogin } from './auth.js';

/**
 * VMI's own routes (seed 003: `POST /api/auth/login|logout`, `GET /api/audit`, `GET /api/audit/types`)
 * on the same services as ours, with VMI's field names, so its users and scripts can switch.
 */

const date = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}/, 'expected YYYY-MM-DD[ HH:MM:SS]');

/** VMI's audit filters and paging (page from 1, per_page up to 200). */
export const VmiAuditQuerySchema = z
  .object({
    action: z.enum(AUDIT_ACTIONS).optional(),
    resource_type: z.string().trim().min(1).max(32).optional(),
    resource_id: z.coerce.number().int().positive().optional(),
    user_id: z.coerce.number().int().positive().optional(),
    username: z.string().trim().min(1).max(64).optional(),
    start_date: date.optional(),
    end_date: date.optional(),
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    per_page: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

/** A user as VMI's API shows one (`must_reset_password` is VMI's name for must_change_password). */
function vmiUser(u: User): Record<string, unknown> {
  return {
    id: u.id,
    username: u.username,
    full_name: u.full_name,
    email: u.email,
    role: u.role,
    designation: u.designation,
    department: u.department,
    is_active: u.is_active,
    must_reset_password: u.must_change_password,
    last_login_at: u.last_login_at,
    created_at: u.created_at,
    updated_at: u.updated_at,
  };
}

/** An audit entry as VMI's `audit_logs` rows read: resource_*, details, ip_address. */
function vmiAuditEntry(e: AuditEntry): Record<string, unknown> {
  return {
    id: e.id,
    user_id: e.user_id,
    username: e.username,
    action: e.action,
    resource_type: e.target_type,
    resource_id: e.target_id === null ? null : String(e.target_id),
    resource_name: e.target_label,
    details: { changes: e.changes, run_id: e.run_id, run: e.run },
    ip_address: e.client_address,
    user_agent: e.user_agent,
    created_at: e.created_at,
  };
}

export const vmiAuthAuditRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/auth/login',
    access: 'public',
    tag: 'vmi',
    summary:
      "VMI's login: username and password → a bearer token and the user (VMI's fields). `must_reset_password: true` means every other route answers 403 `password_change_required` until PATCH /me/password. Same limits and audit as POST /login.",
    body: LoginSchema,
    errors: [401, 422, 429],
    async handler(req, res, ctx) {
      const { token, expiresAt, user } = await tokenLogin(req, ctx);
      res.json({ access_token: token, token, token_type: 'bearer', expires_at: expiresAt, must_reset_password: user.must_change_password, user: vmiUser(user) });
    },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    access: 'login',
    tag: 'vmi',
    summary: "VMI's logout: revokes this request's bearer token (or ends its panel session); recorded as LOGOUT.",
    duringPasswordChange: true,
    async handler(req, res, ctx) {
      await logout(req, res, ctx);
      res.json({ message: 'Logged out' });
    },
  },
  {
    method: 'get',
    path: '/api/audit',
    access: 'login',
    tag: 'vmi',
    summary: "VMI's activity log, newest first: {logs, total, page, per_page, pages}. Filters: action, resource_type, resource_id, user_id, username, start_date, end_date.",
    query: VmiAuditQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(VmiAuditQuerySchema, req.query, 'query');
      const page = await ctx.services(req).audit.list({
        action: q.action,
        target_type: q.resource_type,
        target_id: q.resource_id,
        user_id: q.user_id,
        user: q.username,
        since: q.start_date,
        until: q.end_date,
        limit: q.per_page,
        offset: (q.page - 1) * q.per_page,
      });
      res.json({ logs: page.items.map(vmiAuditEntry), total: page.total, page: q.page, per_page: q.per_page, pages: Math.ceil(page.total / q.per_page) });
    },
  },
  {
    method: 'get',
    path: '/api/audit/types',
    access: 'login',
    tag: 'vmi',
    summary: "VMI's audit filter options: {actions, resource_types, users} (the same lists as GET /audit/options).",
    async handler(req, res, ctx) {
      const o = await ctx.services(req).audit.filterOptions();
      res.json({ actions: o.actions, resource_types: o.target_types, users: o.users });
    },
  },
];
