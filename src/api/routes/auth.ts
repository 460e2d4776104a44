import type { Request, Response } from 'express';
import { SESSION_COOKIE } from '../../http/session.js';
import type { AuditClient } from '../../services/audit.js';
import type { AuthService } from '../../services/auth.js';
import { LoginSchema, PasswordChangeSchema } from '../../services/schemas/users.js';
import { currentCredential } from '../auth.js';
import type { ApiContext, RouteSpec } from '../route-table.js';

/** The client of a request as the audit log keeps it for logins and logouts. */
export function auditClient(req: Request): AuditClient {
  return { address: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
}

/** The API's one login: the body checked by LoginSchema (422), the client's address and agent kept in the audit entry. */
export function tokenLogin(req: Request, ctx: ApiContext): ReturnType<AuthService['loginForToken']> {
  const client = auditClient(req);
  return ctx.services(req).auth.loginForToken(req.body, client.address ?? 'unknown', client.userAgent);
}

/** What a login answers besides the token: whether the user must choose a new password first, and how. */
export function passwordChangeHint(mustChange: boolean): Record<string, unknown> {
  return mustChange ? { must_change_password: true, detail: 'You must change your password before using ipocket: PATCH /me/password with current_password and new_password.' } : { must_change_password: false };
}

/**
 * Ends the bearer token of this request, or the panel session it was made with, and records the
 * LOGOUT (POST /logout and VMI's POST /api/auth/logout).
 */
export async function logout(req: Request, res: Response, ctx: ApiContext): Promise<void> {
  const services = ctx.services(req);
  const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (m) {
    await services.sessions.revoke(m[1]!);
    await services.auth.recordLogout(req.actor!, 'API token revoked', auditClient(req));
  } else if (req.session?.adminUser) {
    await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    await services.auth.recordLogout(req.actor!, 'panel session ended', auditClient(req));
  }
}

/** POST /login, POST /logout, GET /me, PATCH /me/password. */
export const authRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/login',
    access: 'public',
    tag: 'auth',
    summary:
      'Log in with username and password; returns a bearer token (sliding expiry). Rate-limited per user and per address. `must_change_password: true` means every other route answers 403 `password_change_required` until PATCH /me/password.',
    body: LoginSchema,
    errors: [401, 422, 429],
    async handler(req, res, ctx) {
      const { token, expiresAt, user } = await tokenLogin(req, ctx);
      res.json({ access_token: token, token_type: 'bearer', expires_at: expiresAt, ...passwordChangeHint(user.must_change_password) });
    },
  },
  {
    method: 'post',
    path: '/logout',
    access: 'login',
    tag: 'auth',
    summary: 'Revokes the bearer token of this request (or ends the panel session it was made with).',
    status: 204,
    duringPasswordChange: true,
    async handler(req, res, ctx) {
      await logout(req, res, ctx);
      res.status(204).end();
    },
  },
  {
    method: 'get',
    path: '/me',
    access: 'login',
    tag: 'auth',
    summary: 'The logged-in user (with `must_change_password`).',
    duringPasswordChange: true,
    async handler(req, res, ctx) {
      const actor = req.actor!;
      res.json(await ctx.services(req).users.get(actor.userId!));
    },
  },
  {
    method: 'patch',
    path: '/me/password',
    access: 'login',
    tag: 'auth',
    summary: 'Changes your own password (needs the current one); ends every other token and panel session of yours.',
    body: PasswordChangeSchema,
    status: 204,
    duringPasswordChange: true,
    errors: [422],
    async handler(req, res, ctx) {
      await ctx.services(req).users.changeOwnPassword(req.body, currentCredential(req));
      res.status(204).end();
    },
  },
];
