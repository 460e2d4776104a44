import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { ForbiddenError, PasswordChangeRequiredError, UnauthorizedError } from '../domain/errors.js';
import type { AppDeps } from '../http/deps.js';
import type { AppMetrics } from '../metrics.js';
import type { Actor } from '../services/context.js';
import { check, refusal, type Access } from '../services/access.js';
import { servicesConfig } from '../plugins/catalog.js';
import { createServices, type Services } from '../services/index.js';
import { identify } from './auth.js';
import { jsonBody, rejectNulChars } from './http.js';
import { concurrencyGate, uploadBody, type UploadSpec } from './upload.js';

/** Who may call a route: the levels of the one access policy (src/services/access.ts). */
export type { Access };

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What a handler gets besides req/res. */
export interface ApiContext {
  deps: AppDeps;
  metrics: AppMetrics;
  /** Services bound to the caller (anonymous readers act as a nameless viewer). */
  services(req: Request): Services;
  /** The OpenAPI document of the table this router was built from (GET /openapi.json). */
  openapi(): unknown;
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
  /** Documented response content type(s) when not JSON. */
  produces?: string | readonly string[];
  /** Path parameter schemas (documented; each handler still parses its own). */
  params?: z.ZodObject;
  /** Cap of the JSON body (2mb unless said). */
  bodyLimit?: string;
  /**
   * A finer check than the access level (canApply with dry_run, say), run after it and before any
   * body is read, so a refused caller cannot make us read a 10 MB upload. Throws 401/403.
   */
  authorize?(req: Request, ctx: ApiContext): void | Promise<void>;
  /** An upload instead of a JSON body: multipart/form-data or a raw body of the listed types, size-capped. */
  upload?: UploadSpec;
  /**
   * The handler streams the answer itself (an export, a long list): once bytes are sent an error
   * can only cut the response, never become an error answer.
   */
  stream?: boolean;
  /**
   * Answers a user who must change their password (every other route refuses them with 403
   * password_change_required): the password change itself, /me and logout.
   */
  duringPasswordChange?: true;
  handler(req: Request, res: Response, ctx: ApiContext): Promise<void> | void;
}

const ANONYMOUS: Actor = { userId: null, username: null, role: 'viewer' };

/** The access check for a level (run before the body is parsed, so a stranger cannot make us parse 2 MB). */
function accessGuard(deps: AppDeps, route: RouteSpec): RequestHandler {
  const opts = { requireLoginForRead: deps.config.requireLoginForRead };
  return (req, _res, next) => {
    const verdict = check(route.access, req.actor, opts);
    // Before the role: whatever they asked for, what such a user must do first is change the password.
    if (verdict !== 'unauthorized' && req.actor?.mustChangePassword && !route.duringPasswordChange) return next(new PasswordChangeRequiredError());
    next(verdict === 'allowed' ? undefined : verdict === 'unauthorized' ? new UnauthorizedError() : new ForbiddenError(refusal(route.access)));
  };
}

/** Builds an Express router from route specs. */
export function buildRouter(routes: readonly RouteSpec[], deps: AppDeps, metrics: AppMetrics, openapi: () => unknown = () => ({})): Router {
  const router = Router();
  const settings = servicesConfig(deps.config);
  const ctx: ApiContext = { deps, metrics, services: (req) => createServices({ db: deps.db, actor: req.actor ?? ANONYMOUS }, settings), openapi };
  const bodies = new Map<string, RequestHandler>();
  const body = (limit = '2mb'): RequestHandler => bodies.get(limit) ?? bodies.set(limit, jsonBody(limit)).get(limit)!;
  const strict = identify(deps);
  // Public reads ignore a bad or expired token (the original never checked one there); elsewhere it is a 401.
  const lenient: RequestHandler = (req, res, next) => strict(req, res, (err?: unknown) => (err ? ((req.actor = null), next()) : next()));
  for (const route of routes) {
    const who = route.access === 'public' ? null : route.access === 'read' && !deps.config.requireLoginForRead ? lenient : strict;
    const chain: RequestHandler[] = who ? [who, accessGuard(deps, route)] : [];
    const authorize = route.authorize;
    if (authorize) chain.push((req, _res, next) => void Promise.resolve().then(() => authorize(req, ctx)).then(() => next(), next));
    if (route.upload) {
      // Uploads are not scanned for NUL characters: they are files (a ZIP holds NULs), read by their plugin.
      if (route.upload.concurrency) chain.push(concurrencyGate(route.upload.concurrency()));
      chain.push(uploadBody(deps, route.upload));
    } else {
      if (route.method !== 'get') chain.push(body(route.bodyLimit));
      chain.push(rejectNulChars);
    }
    chain.push((req: Request, res: Response, next: NextFunction) => {
      Promise.resolve(route.handler(req, res, ctx)).catch((err: unknown) => {
        if (!route.stream || !res.headersSent) return next(err);
        // Headers are gone once bytes flow: cut the response so the client sees a broken download.
        console.error(`${req.method} ${req.originalUrl} failed mid-stream:`, err);
        res.destroy();
      });
    });
    router[route.method](route.path, ...chain);
  }
  return router;
}

/** "/ip-assets/:ip" → "/ip-assets/{ip}" (OpenAPI path templates). */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, '{$1}');
}
