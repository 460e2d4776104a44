import { AppError } from '../domain/errors.js';

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code = 'too_many_requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface LoginLimits {
  /** Failed logins allowed per username in the window. */
  perUser: number;
  /** Failed logins allowed per client address in the window (many users behind one proxy still log in). */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUser: 10, perAddress: 50, windowMs: 15 * 60_000 };

/**
 * Slows password guessing: failed attempts per username and per client address, in a fixed
 * window. In process memory (each instance counts its own; the cap still holds per
 * instance), bounded in size, no database round trip.
 */
export class LoginLimiter {
  private readonly users = new Map<string, { n: number; reset: number }>();
  private readonly addresses = new Map<string, { n: number; reset: number }>();

  constructor(private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {}

  /** Throws 429 when the username or the address is over its limit of failures. */
  check(username: string, address: string, now = Date.now()): void {
    const user = this.entry(this.users, username.toLowerCase(), now);
    if (user.n >= this.limits.perUser) {
      throw new TooManyRequestsError(`Too many failed logins for this user; try again in ${secondsLeft(user.reset, now)} s.`, secondsLeft(user.reset, now));
    }
    const addr = this.entry(this.addresses, address, now);
    if (addr.n >= this.limits.perAddress) {
      throw new TooManyRequestsError(`Too many failed logins from this address; try again in ${secondsLeft(addr.reset, now)} s.`, secondsLeft(addr.reset, now));
    }
  }

  /** Records a failed login for the username and the address. */
  fail(username: string, address: string, now = Date.now()): void {
    this.entry(this.users, username.toLowerCase(), now).n++;
    this.entry(this.addresses, address, now).n++;
  }

  /** A successful login clears the username's failures. */
  succeed(username: string): void {
    this.users.delete(username.toLowerCase());
  }

  private entry(map: Map<string, { n: number; reset: number }>, key: string, now: number): { n: number; reset: number } {
    let e = map.get(key);
    if (!e || e.reset <= now) {
      if (map.size > 100_000) for (const [k, v] of map) if (v.reset <= now) map.delete(k);
      e = { n: 0, reset: now + this.limits.windowMs };
      map.set(key, e);
    }
    return e;
  }
}

function secondsLeft(reset: number, now: number): number {
  return Math.max(1, Math.ceil((reset - now) / 1000));
}
