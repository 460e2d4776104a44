import { createHash, randomBytes } from 'node:crypto';
import { formatTimestamp } from '../domain/time.js';
import type { Db } from '../db/connection.js';
import { isLockTimeout } from '../db/errors.js';
import { SKIP_WHEN_LOCKED } from '../db/sqlite-client.js';
import { toBool, type Role } from './context.js';

export interface SessionPolicy {
  /** Sliding lifetime: a token unused this long expires. */
  idleSeconds: number;
  /** Hard lifetime from login. */
  maxSeconds: number;
}

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
  must_change_password: boolean;
}

/** SHA-256 of a token: what the database stores, so a leaked table holds no usable token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const TOUCH_EVERY_MS = 60_000;

/** API bearer tokens: random, stored hashed, sliding expiry with an absolute cap. */
export class SessionsService {
  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy,
  ) {}

  /** Issues a token for the user; the plain token is returned once and never stored. */
  async issue(userId: number, now = new Date()): Promise<{ token: string; expiresAt: string }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = formatTimestamp(new Date(now.getTime() + this.policy.idleSeconds * 1000));
    await this.db('sessions').insert({
      token_hash: hashToken(token),
      user_id: userId,
      kind: 'api',
      created_at: formatTimestamp(now),
      last_used_at: formatTimestamp(now),
      expires_at: expiresAt,
      absolute_expires_at: formatTimestamp(new Date(now.getTime() + this.policy.maxSeconds * 1000)),
    });
    return { token, expiresAt };
  }

  /** The active user behind a token, extending its idle expiry; null when unknown, expired or inactive. */
  async resolve(token: string, now = new Date()): Promise<SessionUser | null> {
    if (!token || token.length > 200) return null;
    const row = (await this.db('sessions as s')
      .join('users as u', 'u.id', 's.user_id')
      .select('s.id as sid', 's.last_used_at', 's.expires_at', 's.absolute_expires_at', 'u.id', 'u.username', 'u.role', 'u.is_active', 'u.must_change_password')
      .where('s.token_hash', hashToken(token))
      .first()) as { sid: number; last_used_at: string; expires_at: string; absolute_expires_at: string; id: number; username: string; role: Role; is_active: unknown; must_change_password: unknown } | undefined;
    const stamp = formatTimestamp(now);
    if (!row || !toBool(row.is_active) || row.expires_at <= stamp || row.absolute_expires_at <= stamp) return null;
    // Sliding expiry, written at most once a minute per token to keep reads cheap.
    if (now.getTime() - Date.parse(row.last_used_at.replace(' ', 'T') + 'Z') > TOUCH_EVERY_MS) {
      const next = new Date(Math.min(now.getTime() + this.policy.idleSeconds * 1000, Date.parse(row.absolute_expires_at.replace(' ', 'T') + 'Z')));
      // Best effort: while another connection holds the write lock (an import), a read answers at once.
      await this.db('sessions').where({ id: row.sid }).update({ last_used_at: stamp, expires_at: formatTimestamp(next) }).queryContext(SKIP_WHEN_LOCKED).catch((err: unknown) => {
        if (!isLockTimeout(err)) throw err;
      });
    }
    return { id: Number(row.id), username: row.username, role: row.role, must_change_password: toBool(row.must_change_password) };
  }

  /** Ends a token's session; true when it existed. */
  async revoke(token: string): Promise<boolean> {
    return Number(await this.db('sessions').where({ token_hash: hashToken(token) }).delete()) > 0;
  }

  /** Deletes expired tokens; returns how many. */
  async purgeExpired(now = new Date()): Promise<number> {
    const stamp = formatTimestamp(now);
    return Number(await this.db('sessions').where('expires_at', '<=', stamp).orWhere('absolute_expires_at', '<=', stamp).delete());
  }
}
