import type { RequestHandler } from 'express';
import type { AppDeps } from './deps.js';

/** Panel sessions (express-session over a knex store). Placeholder until the panel issue lands. */
export function sessionMiddleware(_deps: AppDeps): RequestHandler {
  return (_req, _res, next) => next();
}
