import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { AppDeps } from '../http/deps.js';
import type { AppMetrics } from '../metrics.js';
import type { Actor } from '../services/context.js';
import { createServices, type Services } from '../services/index.js';
import { identify, readAccess, requireLogin, requireRole } from './auth.js';
import { jsonBody, rejectNulChars } from './http.js';

/**
 * Who may call a route. `public`: anyone; `read`: anyone unless IPOCKET_REQUIRE_LOGIN_FOR_READ;
 * `login`: any logged-in user; `editor`: data writes (a Viewer or a Superuser gets 403, as in the
 * original); `superuser`: user management.
 */
export type Access = 'public' | 'read' | 'login' | 'editor' | 'superuser';

export type Method = 'get' | 'post' | 'patch' | 'delete';

/** What a handler gets besides req/res. */
export interface ApiContext {
  deps: AppDeps;
  metrics: AppMetrics;
  /** Services bound to the caller (anonymous readers act as a nameless viewer). */
  services(req: Request): Services;
}

/** One API endpoint: the router, the OpenAPI document and the role-matrix tests are all built from these. */
export interface RouteSpec {
  method: Method;
  /** Express path, e.g. "/ip-assets/:ip". */
  path: string;
  access: Access;
  tag: string;
  summary: string;
  /** Request body schema (documented; the services parse with the same schema). */
  body?: z.ZodType;
  /** Query string schema (documented). */
  query?: z.ZodType;
  /** Success status (200 unless said). */
  status?: number;
  /** Documented error statuses besides the access ones. */
  errors?: number[];
  /** Documented response content type when not JSON. */
  produces?: string;
  handler(req: Request, res: Response, ctx: ApiContext): Promise<void> | void;
}

const ANONYMOUS: Actor = { userId: null, username: null, role: 'viewer' };

/** The access check for a level (run before the body is parsed, so a stranger cannot make us parse 2 MB). */
export function accessGuard(deps: AppDeps, access: Access): RequestHandler {
  switch (access) {
    case 'public':
      return (_req, _res, next) => next();
    case 'read':
      return readAccess(deps);
    case 'login':
      return requireLogin;
    case 'editor':
      return requireRole('editor');
    case 'superuser':
      return requireRole('superuser');
  }
}

/** Builds an Express router from route specs. */
export function buildRouter(routes: readonly RouteSpec[], deps: AppDeps, metrics: AppMetrics): Router {
  const router = Router();
  const ctx: ApiContext = { deps, metrics, services: (req) => createServices({ db: deps.db, actor: req.actor ?? ANONYMOUS }, deps.config) };
  const body = jsonBody();
  const strict = identify(deps);
  // Public reads ignore a bad or expired token (the original never checked one there); elsewhere it is a 401.
  const lenient: RequestHandler = (req, res, next) => strict(req, res, (err?: unknown) => (err ? ((req.actor = null), next()) : next()));
  for (const route of routes) {
    const who = route.access === 'public' ? null : route.access === 'read' && !deps.config.requireLoginForRead ? lenient : strict;
    const chain: RequestHandler[] = who ? [who, accessGuard(deps, route.access)] : [];
    if (route.method !== 'get') chain.push(body);
    chain.push(rejectNulChars);
    chain.push((req: Request, res: Response, next: NextFunction) => {
      Promise.resolve(route.handler(req, res, ctx)).catch(next);
    });
    router[route.method](route.path, ...chain);
  }
  return router;
}

/** "/ip-assets/:ip" → "/ip-assets/{ip}" (OpenAPI path templates). */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, '{$1}');
}
