import { UnauthorizedError } from '../../domain/errors.js';
import { AuditService } from '../../services/audit.js';
import { loginThrottleFor } from '../../services/login-throttle.js';
import { SessionsService } from '../../services/sessions.js';
import { LoginSchema, PasswordChangeSchema } from '../../services/schemas/users.js';
import { parseInput } from '../../services/validate.js';
import { currentCredential } from '../auth.js';
import type { ApiContext, RouteSpec } from '../route-table.js';

const sessionsOf = (ctx: ApiContext): SessionsService =>
  new SessionsService(ctx.deps.db, { idleSeconds: ctx.deps.config.tokenTtlSeconds, maxSeconds: ctx.deps.config.sessionMaxSeconds });

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
      const { username, password } = parseInput(LoginSchema, req.body);
      const throttle = loginThrottleFor(ctx.deps.db);
      const address = req.ip ?? 'unknown';
      await throttle.attempt(username, address);
      const user = await ctx.services(req).users.verifyCredentials(username, password);
      if (!user) throw new UnauthorizedError();
      await throttle.succeed(username, address);
      const { token, expiresAt } = await sessionsOf(ctx).issue(user.id);
      await new AuditService({ db: ctx.deps.db, actor: { userId: user.id, username: user.username, role: user.role } }).recordLogin(user, 'API token issued');
      res.json({ access_token: token, token_type: 'bearer', expires_at: expiresAt });
    },
  },
  {
    method: 'post',
    path: '/logout',
    access: 'login',
    tag: 'auth',
    summary: 'Revokes the bearer token of this request.',
    status: 204,
    async handler(req, res, ctx) {
      const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
      if (m) await sessionsOf(ctx).revoke(m[1]!);
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
