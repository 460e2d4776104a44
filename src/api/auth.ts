import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { UnauthorizedError } from '../domain/errors.js';
import type { AppDeps } from '../http/deps.js';
import { SYSTEM_ACTOR, type Actor } from '../services/context.js';
import { servicesConfig } from '../plugins/catalog.js';
import { createServices } from '../services/index.js';
import type { CurrentCredential } from '../services/users.js';

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
  const { auth } = createServices({ db: deps.db, actor: SYSTEM_ACTOR }, servicesConfig(deps.config));
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      req.actor = null;
      const header = req.get('authorization');
      if (header) {
        const m = /^Bearer\s+(\S+)$/i.exec(header);
        const actor = m ? await auth.actorForToken(m[1]!) : null;
        if (!actor) throw new UnauthorizedError();
        req.actor = actor;
      } else if (req.session?.adminUser) {
        req.actor = await auth.actorForUser(req.session.adminUser.id);
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
