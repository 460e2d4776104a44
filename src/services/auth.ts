import { NotFoundError, UnauthorizedError } from '../domain/errors.js';
import { AuditService, type AuditClient } from './audit.js';
import type { Actor, ServiceContext } from './context.js';
import { loginThrottleFor, type LoginThrottle } from './login-throttle.js';
import { LoginSchema } from './schemas/users.js';
import type { SessionsService } from './sessions.js';
import { UsersService, type User } from './users.js';
import { parseInput } from './validate.js';

/** A login as a surface received it (the address is the client's, for the per-address limit). */
export interface LoginAttempt {
  username: string;
  password: string;
  address: string;
  /** The client's User-Agent header, kept in the audit entry (null when it sent none). */
  userAgent?: string | null;
}

/** What a successful login opens (a bearer token, a panel session) and how the audit log names it. */
export interface LoginStart<T> {
  audit: string;
  start(user: User): Promise<T>;
}

function actorOf(user: { id: number; username: string; role: User['role']; must_change_password: boolean }): Actor {
  return { userId: user.id, username: user.username, role: user.role, mustChangePassword: user.must_change_password };
}

/**
 * Logging in, for the API and the panel alike, and who a credential belongs to. The limits
 * (login-throttle.ts) are shared through the database by every instance.
 */
export class AuthService {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly sessions: SessionsService,
  ) {
    // One throttle per database (its prune clock); logins always run on the root connection.
    this.throttle = loginThrottleFor(ctx.db);
  }

  /**
   * The one login sequence: count the attempt (429 over the limit, before the password is
   * checked), check the password (a legacy hash is upgraded here), give the attempt back, open
   * the session or token, stamp last_login_at and record the LOGIN entry with the client's address
   * and user agent. A wrong or empty pair, or an inactive user, is UnauthorizedError, recorded as
   * LOGIN_FAILED (an attempt over the limit is refused before it is checked and not recorded: the
   * throttle bounds what an attacker can make us write). The user carries must_change_password.
   */
  async login<T>(attempt: LoginAttempt, opened: LoginStart<T>): Promise<{ user: User; started: T }> {
    const { username, password, address } = attempt;
    const client = { address, userAgent: attempt.userAgent ?? null };
    await this.throttle.attempt(username, address);
    const users = new UsersService(this.ctx);
    const user = username && password ? await users.verifyCredentials(username, password) : null;
    if (!user) {
      const known = username ? await users.idOf(username) : null;
      const reason = !username || !password ? 'missing username or password' : known === null ? 'unknown user' : 'wrong password or inactive account';
      await new AuditService({ db: this.ctx.db, actor: { userId: null, username: null, role: 'viewer' } }).recordFailedLogin(username, known, reason, client);
      throw new UnauthorizedError();
    }
    await this.throttle.succeed(username, address);
    const started = await opened.start(user);
    const loggedIn = await users.stampLogin(user.id);
    await new AuditService({ db: this.ctx.db, actor: actorOf(loggedIn) }).recordLogin(loggedIn, opened.audit, client);
    return { user: loggedIn, started };
  }

  /** Records a logout (the token or panel session is ended by the caller) with the client it came from. */
  async recordLogout(actor: Actor, how: string, client: AuditClient): Promise<void> {
    if (actor.userId === null || actor.username === null) return;
    await new AuditService({ db: this.ctx.db, actor }).recordLogout({ id: actor.userId, username: actor.username }, how, client);
  }

  /** POST /login: a validated body (422 naming the field) → a bearer token with sliding expiry. */
  async loginForToken(input: unknown, address: string, userAgent: string | null = null): Promise<{ token: string; expiresAt: string; user: User }> {
    const { username, password } = parseInput(LoginSchema, input);
    const { user, started } = await this.login({ username, password, address, userAgent }, { audit: 'API token issued', start: (u) => this.sessions.issue(u.id) });
    return { ...started, user };
  }

  /** The active user behind a bearer token (extending its idle expiry); null when unknown, expired or inactive. */
  async actorForToken(token: string): Promise<Actor | null> {
    const user = await this.sessions.resolve(token);
    return user ? actorOf(user) : null;
  }

  /** The user a panel session names, re-read now: null when deleted or deactivated (a new role applies at once). */
  async actorForUser(userId: number): Promise<Actor | null> {
    const user = await new UsersService(this.ctx).get(userId).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
    return user?.is_active ? actorOf(user) : null;
  }
}
