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
 * Slows password guessing for the API and the panel alike: failed logins per username and per
 * client address in a fixed window, kept in the database so every instance shares the count.
 * Only failures are written; a successful login clears its username's count.
 */
export class LoginThrottle {
  private lastPrune = 0;

  constructor(
    private readonly db: Knex,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {}

  /** Throws 429 when the username or the address is over its limit of failures. */
  async check(username: string, address: string, now = Date.now()): Promise<void> {
    const user = userBucket(username);
    const addr = addressBucket(address);
    const rows = (await this.db('login_failures').select('bucket', 'failures', 'window_ends').whereIn('bucket', [user, addr]).where('window_ends', '>', now)) as {
      bucket: string;
      failures: number | string;
      window_ends: number | string;
    }[];
    for (const [bucket, limit, who] of [[user, this.limits.perUser, 'for this user'], [addr, this.limits.perAddress, 'from this address']] as const) {
      const row = rows.find((r) => r.bucket === bucket);
      if (row && Number(row.failures) >= limit) {
        const wait = Math.max(1, Math.ceil((Number(row.window_ends) - now) / 1000));
        throw new TooManyRequestsError(`Too many failed logins ${who}; try again in ${wait} s.`, wait);
      }
    }
  }

  /** Counts a failed login for the username and the address (a new window once the old one has ended). */
  async fail(username: string, address: string, now = Date.now()): Promise<void> {
    const ends = now + this.limits.windowMs;
    await this.db.transaction(async (trx) => {
      for (const bucket of [userBucket(username), addressBucket(address)]) {
        await trx('login_failures')
          .insert({ bucket, failures: 1, window_ends: ends })
          .onConflict('bucket')
          .merge({
            failures: trx.raw('CASE WHEN login_failures.window_ends <= ? THEN 1 ELSE login_failures.failures + 1 END', [now]),
            window_ends: trx.raw('CASE WHEN login_failures.window_ends <= ? THEN ? ELSE login_failures.window_ends END', [now, ends]),
          });
      }
    });
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await this.db('login_failures').where('window_ends', '<=', now).delete();
    }
  }

  /** A successful login clears the username's failures (the address keeps its count). */
  async succeed(username: string): Promise<void> {
    await this.db('login_failures').where({ bucket: userBucket(username) }).delete();
  }
}

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
