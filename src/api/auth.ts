import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { UnauthorizedError } from '../domain/errors.js';
import type { AppDeps } from '../http/deps.js';
import type { Actor, Role } from '../services/context.js';
import type { CurrentCredential } from '../services/users.js';
import { SessionsService } from '../services/sessions.js';
import { toBool } from '../services/context.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Who is calling: set by `identify` from a bearer token or the panel session; null when anonymous. */
    actor?: Actor | null;
  }
}

/**
 * Resolves the caller from `Authorization: Bearer <token>` or the panel session cookie.
 * A session user is re-read from the database, so a deactivated or re-roled user loses access at once.
 */
export function identify(deps: AppDeps): RequestHandler {
  const sessions = new SessionsService(deps.db, { idleSeconds: deps.config.tokenTtlSeconds, maxSeconds: deps.config.sessionMaxSeconds });
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      req.actor = null;
      const header = req.get('authorization');
      if (header) {
        const m = /^Bearer\s+(\S+)$/i.exec(header);
        const user = m ? await sessions.resolve(m[1]!) : null;
        if (!user) throw new UnauthorizedError();
        req.actor = { userId: user.id, username: user.username, role: user.role };
      } else if (req.session?.adminUser) {
        const row = (await deps.db('users').select('id', 'username', 'role', 'is_active').where({ id: req.session.adminUser.id }).first()) as
          | { id: number; username: string; role: Role; is_active: unknown }
          | undefined;
        if (row && toBool(row.is_active)) req.actor = { userId: Number(row.id), username: row.username, role: row.role };
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** The bearer token or panel session this request was authenticated with (kept on one's own password change). */
export function currentCredential(req: Request): CurrentCredential {
  const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (m) return { token: m[1]! };
  return req.session?.adminUser && req.sessionID ? { panelSessionId: req.sessionID } : {};
}
