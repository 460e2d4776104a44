import { NotFoundError, UnauthorizedError } from '../domain/errors.js';
import { AuditService } from './audit.js';
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
}

/** What a successful login opens (a bearer token, a panel session) and how the audit log names it. */
export interface LoginStart<T> {
  audit: string;
  start(user: User): Promise<T>;
}

function actorOf(user: { id: number; username: string; role: User['role'] }): Actor {
  return { userId: user.id, username: user.username, role: user.role };
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
   * the session or token, and record the LOGIN entry (the audit log is the last-login record).
   * A wrong or empty pair, or an inactive user, is UnauthorizedError.
   */
  async login<T>(attempt: LoginAttempt, opened: LoginStart<T>): Promise<{ user: User; started: T }> {
    const { username, password, address } = attempt;
    await this.throttle.attempt(username, address);
    const user = username && password ? await new UsersService(this.ctx).verifyCredentials(username, password) : null;
    if (!user) throw new UnauthorizedError();
    await this.throttle.succeed(username, address);
    const started = await opened.start(user);
    await new AuditService({ db: this.ctx.db, actor: actorOf(user) }).recordLogin(user, opened.audit);
    return { user, started };
  }

  /** POST /login: a validated body (422 naming the field) → a bearer token with sliding expiry. */
  async loginForToken(input: unknown, address: string): Promise<{ token: string; expiresAt: string }> {
    const { username, password } = parseInput(LoginSchema, input);
    const { started } = await this.login({ username, password, address }, { audit: 'API token issued', start: (user) => this.sessions.issue(user.id) });
    return started;
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
