import { SESSION_COOKIE } from '../../http/session.js';
import { LoginSchema, PasswordChangeSchema } from '../../services/schemas/users.js';
import { currentCredential } from '../auth.js';
import type { RouteSpec } from '../route-table.js';

/** POST /login, POST /logout, GET /me, PATCH /me/password. */
export const authRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/login',
    access: 'public',
    tag: 'auth',
    summary: 'Log in with username and password; returns a bearer token (sliding expiry). Rate-limited per user and per address.',
    body: LoginSchema,
    errors: [401, 422, 429],
    async handler(req, res, ctx) {
      const { token, expiresAt } = await ctx.services(req).auth.loginForToken(req.body, req.ip ?? 'unknown');
      res.json({ access_token: token, token_type: 'bearer', expires_at: expiresAt });
    },
  },
  {
    method: 'post',
    path: '/logout',
    access: 'login',
    tag: 'auth',
    summary: 'Revokes the bearer token of this request (or ends the panel session it was made with).',
    status: 204,
    async handler(req, res, ctx) {
      const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      if (m) await ctx.services(req).sessions.revoke(m[1]!);
      else if (req.session?.adminUser) {
        await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
        res.clearCookie(SESSION_COOKIE, { path: '/' });
      }
      res.status(204).end();
    },
  },
  {
    method: 'get',
    path: '/me',
    access: 'login',
    tag: 'auth',
    summary: 'The logged-in user.',
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
    errors: [422],
    async handler(req, res, ctx) {
      await ctx.services(req).users.changeOwnPassword(req.body, currentCredential(req));
      res.status(204).end();
    },
  },
];
