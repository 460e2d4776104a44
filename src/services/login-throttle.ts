import type { Knex } from 'knex';
import { TooManyRequestsError } from '../domain/errors.js';

export interface LoginLimits {
  /** Failed logins allowed per username in the window. */
  perUser: number;
  /** Failed logins allowed per client address in the window (many users behind one proxy still log in). */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUser: 10, perAddress: 50, windowMs: 15 * 60_000 };

const PRUNE_EVERY_MS = 60_000;

/**
 * Slows password guessing for the API and the panel alike: login attempts per username and per
 * client address in a fixed window, kept in the database so every instance shares the count.
 * An attempt is counted before the password is checked (one atomic upsert per bucket returning
 * the new count), so parallel guesses cannot all pass a check made before any of them failed.
 * A success gives its attempt back: it clears the username's count and refunds the address's one.
 */
export class LoginThrottle {
  private lastPrune = 0;

  constructor(
    private readonly db: Knex,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {}

  /** Counts an attempt for the username and the address; throws 429 when either is over its limit. */
  async attempt(username: string, address: string, now = Date.now()): Promise<void> {
    const buckets = [
      [userBucket(username), this.limits.perUser, 'for this user'],
      [addressBucket(address), this.limits.perAddress, 'from this address'],
    ] as const;
    for (const [bucket, limit, who] of buckets) {
      const { failures, windowEnds } = await this.count(bucket, now);
      if (failures > limit) {
        const wait = Math.max(1, Math.ceil((windowEnds - now) / 1000));
        throw new TooManyRequestsError(`Too many failed logins ${who}; try again in ${wait} s.`, wait);
      }
    }
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await this.db('login_failures').where('window_ends', '<=', now).delete();
    }
  }

  /** A successful login clears the username's count and gives the address its attempt back. */
  async succeed(username: string, address: string): Promise<void> {
    await this.db('login_failures').where({ bucket: userBucket(username) }).delete();
    await this.db('login_failures').where({ bucket: addressBucket(address) }).where('failures', '>', 0).decrement('failures', 1);
  }

  /** Insert-or-increment in one statement (a new window once the old one has ended), returning the new count. */
  private async count(bucket: string, now: number): Promise<{ failures: number; windowEnds: number }> {
    const ends = now + this.limits.windowMs;
    const result = (await this.db.raw(
      `INSERT INTO login_failures (bucket, failures, window_ends) VALUES (?, 1, ?)
       ON CONFLICT (bucket) DO UPDATE SET
         failures = CASE WHEN login_failures.window_ends <= ? THEN 1 ELSE login_failures.failures + 1 END,
         window_ends = CASE WHEN login_failures.window_ends <= ? THEN ? ELSE login_failures.window_ends END
       RETURNING failures, window_ends`,
      [bucket, ends, now, now, ends],
    )) as { rows?: Row[] } | Row[];
    const row = (Array.isArray(result) ? result : (result.rows ?? []))[0];
    return { failures: Number(row?.failures ?? 0), windowEnds: Number(row?.window_ends ?? ends) };
  }
}

type Row = { failures: number | string; window_ends: number | string };

const perDatabase = new WeakMap<Knex, LoginThrottle>();

/** The throttle of a database, shared by the API and the panel of this instance (one prune clock). */
export function loginThrottleFor(db: Knex): LoginThrottle {
  let throttle = perDatabase.get(db);
  if (!throttle) perDatabase.set(db, (throttle = new LoginThrottle(db)));
  return throttle;
}

function userBucket(username: string): string {
  return `user:${username.trim().toLowerCase().slice(0, 200)}`;
}

function addressBucket(address: string): string {
  return `address:${address.slice(0, 100)}`;
}
