import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import session, { type SessionData } from 'express-session';
import { ConnectSessionKnexStore } from 'connect-session-knex';
import type { Knex } from 'knex';
import { isLockTimeout } from '../db/errors.js';
import { SKIP_WHEN_LOCKED } from '../db/sqlite-client.js';
import { ROOT_PATH } from '../admin/paths.js';
import type { AppDeps } from './deps.js';

/** The panel's session cookie (also accepted by the API, e.g. for exports started in the panel). */
export const SESSION_COOKIE = 'ipocket.sid';
/** Created by migration 020. */
const TABLE = 'panel_sessions';
/** Sliding expiry is written back at most this often, so reads stay reads. */
const TOUCH_SLACK_MS = 60_000;

declare module 'express-session' {
  interface SessionData {
    /** Epoch ms after which the session is dead whatever its activity (IPOCKET_SESSION_MAX_SECONDS). */
    absoluteExpiresAt?: number;
  }
}

function hashSid(sid: string): string {
  return createHash('sha256').update(sid).digest('hex');
}

/**
 * connect-session-knex with the session id hashed before it reaches the database, and a
 * throttled `touch`. Works on better-sqlite3 and pg alike (the library's generic paths).
 */
export class HashedKnexSessionStore extends ConnectSessionKnexStore {
  constructor(private readonly db: Knex) {
    super({
      knex: db,
      tableName: TABLE,
      createTable: false,
      cleanupInterval: 10 * 60_000,
      // The pool may be gone at shutdown (tests destroy it); a missed purge is harmless.
      onDbCleanupError: () => undefined,
    });
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void) {
    return super.get(hashSid(sid), callback);
  }

  override set(sid: string, sess: SessionData, callback?: (err?: unknown) => void) {
    return super.set(hashSid(sid), sess, callback);
  }

  override destroy(sid: string, callback?: (err?: unknown) => void) {
    return super.destroy(hashSid(sid), callback);
  }

  /** Extends the stored idle deadline, skipping the write when it moved by less than a minute. */
  override async touch(sid: string, sess: SessionData, callback?: () => void): Promise<void> {
    try {
      const expires = sess?.cookie?.expires ? new Date(sess.cookie.expires) : null;
      if (expires) {
        const threshold = new Date(expires.getTime() - TOUCH_SLACK_MS);
        const stale = this.db(TABLE).where('sid', hashSid(sid)).andWhere('expired', '<', isoFor(threshold));
        // Read first: on SQLite even an UPDATE that matches nothing needs the write lock, and would
        // wait for a long import's commit on every panel request. Best effort, as for API tokens.
        if (await stale.clone().first('sid')) {
          await stale.update({ expired: isoFor(expires) }).queryContext(SKIP_WHEN_LOCKED).catch((err: unknown) => {
            if (!isLockTimeout(err)) throw err;
          });
        }
      }
      callback?.();
    } catch (err) {
      (callback as ((e?: unknown) => void) | undefined)?.(err);
    }
  }
}

/** The library writes ISO 8601 UTC (text on SQLite, so same-format strings order correctly; timestamptz on PostgreSQL). */
function isoFor(date: Date): string {
  return date.toISOString();
}

/**
 * Panel sessions: express-session over the database (both dialects), cookie `ipocket.sid`
 * (HttpOnly, SameSite=Lax, Secure per IPOCKET_COOKIE_SECURE), idle expiry rolling with each
 * request, and an absolute lifetime checked on every request. Nothing is stored for anonymous visitors.
 */
export function sessionMiddleware(deps: AppDeps): RequestHandler {
  const { config } = deps;
  const store = new HashedKnexSessionStore(deps.db);
  const handler = session({
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.trustProxy,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, path: '/', maxAge: config.sessionIdleSeconds * 1000 },
  });
  const enforceAbsolute: RequestHandler = (req, res, next) => {
    const s = req.session;
    if (!s?.adminUser) return next();
    const deadline = s.absoluteExpiresAt ?? 0;
    if (Date.now() < deadline) return next();
    // Past its absolute lifetime (or a session without one): end it server-side.
    s.destroy((err) => {
      if (err) return next(err);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      next();
    });
  };
  return (req, res, next) => {
    // An API call made with a bearer token and no panel cookie has no session to load or start:
    // skipping express-session spares it a session id, a wrapped response and a store lookup.
    if (req.headers.authorization && !req.headers.cookie?.includes(`${SESSION_COOKIE}=`) && !isPanelPath(req.path)) return next();
    handler(req, res, (err?: unknown) => (err ? next(err) : enforceAbsolute(req, res, next)));
  };
}

function isPanelPath(p: string): boolean {
  return p === ROOT_PATH || p.startsWith(`${ROOT_PATH}/`);
}

/** Starts a fresh session for a user who just proved their password (new id: no session fixation). */
export function startSession(req: Parameters<RequestHandler>[0], user: NonNullable<SessionData["adminUser"]>, maxSeconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.session.adminUser = user;
      req.session.absoluteExpiresAt = Date.now() + maxSeconds * 1000;
      req.session.save((e) => (e ? reject(e) : resolve()));
    });
  });
}
