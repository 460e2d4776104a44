import path from 'node:path';
import { Router as AdminRoutes } from 'adminjs';
import type AdminJS from 'adminjs';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import formidable from 'express-formidable';
import { buildInfo } from '../build-info.js';
import { isLockTimeout } from '../db/errors.js';
import { AppError, NotFoundError, ServiceUnavailableError, TooManyRequestsError, UnauthorizedError } from '../domain/errors.js';
import type { AppDeps, SessionUser } from '../http/deps.js';
import { cspNonce } from '../http/security-headers.js';
import { SESSION_COOKIE, startSession } from '../http/session.js';
import { SYSTEM_ACTOR } from '../services/context.js';
import { servicesConfig } from '../plugins/catalog.js';
import { createServices } from '../services/index.js';
import type { User, UsersService } from '../services/users.js';
import { refusalStatus } from './adapter/errors.js';
import { cspSafeAsset, withNonces } from './csp.js';
import type { PanelMode } from './mode.js';
import { ROOT_PATH, STATIC_DIR } from './paths.js';


type Route = (typeof AdminRoutes.routes)[number];

const LOGOUT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ipocket</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; display: grid; place-items: center; min-height: 90vh; margin: 0; background: #f6f7fb">
<form method="post" action="${ROOT_PATH}/logout" style="background: #fff; padding: 32px 40px; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.12); text-align: center">
<p style="margin: 0 0 20px">Log out of ipocket?</p>
<button type="submit" style="background: #3040d6; color: #fff; border: 0; border-radius: 4px; padding: 10px 24px; font-size: 15px; cursor: pointer">Log out</button>
<p style="margin: 16px 0 0"><a href="${ROOT_PATH}">Back to the panel</a></p>
</form></body></html>`;

/** What AdminJS keeps in the session: our SessionUser plus the fields its UI displays. */
function sessionUser(user: User): SessionUser & { email: string; title: string } {
  const session = { id: user.id, username: user.username, role: user.role, email: user.username, title: user.role };
  return user.must_change_password ? { ...session, must_change_password: true } : session;
}

/** Wraps document.createElement so every <style> a bundle creates carries this answer's nonce (read from __webpack_nonce__). */
const STAMP_STYLE_NONCE = `(function () {
  var create = document.createElement.bind(document);
  document.createElement = function (tag, options) {
    var el = create(tag, options);
    if (String(tag).toLowerCase() === 'style') el.setAttribute('nonce', window.__webpack_nonce__);
    return el;
  };
})();`;

/**
 * AdminJS's templates link Google Fonts; we remove that (nothing may leave the machine) and add
 * the build metadata the sidebar shows.
 */
export function rewriteHtml(html: string, nonce: string): string {
  const info = JSON.stringify(buildInfo()).replace(/</g, '\\u003c');
  // styled-components gives the style sheets it adds the nonce found in __webpack_nonce__ (CSP
  // style-src). Emotion (react-select: every select of AdminJS's edit and filter forms) reads no
  // such global and creates its cache before any page code runs, so each <style> element created
  // from script gets the nonce here, as GraphiQL's page does for Monaco; script-src is what
  // guards against injected code, and any code able to create an element already runs.
  const ours = `<script nonce="${nonce}">window.IPOCKET_BUILD = ${info}; window.__webpack_nonce__ = ${JSON.stringify(nonce)};${STAMP_STYLE_NONCE}</script>`;
  return withNonces(html.replace(/<link[^>]+fonts\.googleapis\.com[^>]*>/, ours), nonce);
}

/** Refuses panel requests a browser marks as coming from another site (CSRF: SameSite=Lax still sends GET navigations). */
const sameSiteOnly: RequestHandler = (req, res, next) => {
  const site = req.get('sec-fetch-site');
  const isApi = req.path.startsWith('/api/');
  const unsafe = req.method !== 'GET' && req.method !== 'HEAD';
  if ((isApi || unsafe) && site && site !== 'same-origin' && site !== 'none') {
    res.status(403).type('text/plain').send('Cross-site request refused.');
    return;
  }
  next();
};

/** Calls one AdminJS controller action, like @adminjs/express does, with 404s for unknown resources/actions. */
function routeHandler(admin: AdminJS, route: Route): RequestHandler {
  return async (req, res, next) => {
    try {
      const { resourceId, action } = req.params as Record<string, string | undefined>;
      if (resourceId) {
        const resource = admin.resources.find((r) => r._decorated?.id() === resourceId);
        const decorated = resource && action ? resource.decorate().actions[action] : undefined;
        if (!resource || (action && !decorated)) {
          res.status(404).json({ notice: { message: 'Not found', type: 'error' } });
          return;
        }
        // AdminJS answers a refused action 200 with an error notice; monitoring and clients need the status.
        if (decorated && !decorated.isAccessible(req.session?.adminUser as never)) {
          res.status(403).json({ notice: { message: 'forbiddenError', type: 'error' } });
          return;
        }
      }
      const controller = new route.Controller({ admin }, req.session?.adminUser) as Record<string, (r: unknown, s: Response) => Promise<unknown>>;
      // ApiController#search is a deprecated alias (it logs on every call) of resourceAction 'search'.
      const method = route.action === 'search' ? 'resourceAction' : route.action;
      if (route.action === 'search') (req.params as Record<string, string>).action = 'search';
      const payload = { ...((req as unknown as { fields?: object }).fields ?? {}), ...((req as unknown as { files?: object }).files ?? {}) };
      const out = await controller[method]!({ ...req, params: req.params, query: req.query, payload, method: req.method.toLowerCase() }, res);
      if (route.contentType) res.set({ 'Content-Type': route.contentType });
      const refused = refusalStatus(out, req.method);
      if (refused) res.status(refused);
      const isPage = route.Controller.name === 'AppController' && route.action !== 'bundleComponents';
      if (typeof out === 'string') res.send(isPage ? rewriteHtml(out, cspNonce(res)) : out);
      else if (out !== undefined && out !== null) res.send(out);
    } catch (err) {
      next(err);
    }
  };
}

function expressPath(adminPath: string): string {
  const converted = adminPath.replace(/{(\w+)}/g, ':$1');
  return converted === '' ? '/' : converted;
}

/**
 * The panel under /ui: public assets and login first, then a gate that re-reads the user from
 * the database on every request (role changes and deactivation apply at once), then AdminJS.
 */
export function buildPanelRouter(admin: AdminJS, deps: AppDeps, mode: PanelMode): express.Router {
  const router = express.Router();
  const { auth, users } = createServices({ db: deps.db, actor: SYSTEM_ACTOR }, servicesConfig(deps.config));
  const loginPath = `${ROOT_PATH}/login`;

  router.use(sameSiteOnly);
  router.use('/static', express.static(STATIC_DIR, { maxAge: mode.production ? '1d' : 0, index: false }));
  for (const asset of AdminRoutes.assets) {
    const patched = cspSafeAsset(path.resolve(asset.src));
    if (patched) {
      router.get(asset.path, (_req, res) => void res.type('application/javascript').set('Cache-Control', mode.production ? 'public, max-age=86400' : 'no-cache').send(patched));
      continue;
    }
    router.get(asset.path, (_req, res, next) => res.sendFile(path.resolve(asset.src), { maxAge: mode.production ? '1d' : 0 }, (err) => err && next(err)));
  }
  const bundleRoute = AdminRoutes.routes.find((r) => r.action === 'bundleComponents');
  if (bundleRoute) router.get(expressPath(bundleRoute.path), routeHandler(admin, bundleRoute));

  const renderLogin = async (res: Response, errorMessage: string | null, status = 200): Promise<void> => {
    res.status(status).send(rewriteHtml(await admin.renderLogin({ action: loginPath, errorMessage }), cspNonce(res)));
  };
  router.get('/login', async (req, res, next) => {
    try {
      if (req.session?.adminUser) return res.redirect(ROOT_PATH);
      await renderLogin(res, null);
    } catch (err) {
      next(err);
    }
  });
  // The same login sequence (and failed-login limits) as POST /login of the API: AuthService.login.
  router.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const username = typeof body.username === 'string' ? body.username.trim().slice(0, 64) : '';
      const password = typeof body.password === 'string' ? body.password.slice(0, 200) : '';
      try {
        const { user } = await auth.login(
          { username, password, address: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null },
          { audit: 'panel session started', start: (u) => startSession(req, sessionUser(u), deps.config.sessionMaxSeconds) },
        );
        if (user.must_change_password) return res.redirect(CHANGE_PASSWORD_PAGE);
      } catch (err) {
        if (err instanceof TooManyRequestsError) {
          res.setHeader('Retry-After', String(err.retryAfterSeconds));
          return await renderLogin(res, 'tooManyRequests', 429);
        }
        if (err instanceof UnauthorizedError) return await renderLogin(res, 'invalidCredentials', 401);
        throw err;
      }
      res.redirect(ROOT_PATH);
    } catch (err) {
      next(err);
    }
  });
  // A GET (the panel's "Log out" link, or any page linking it) only asks; the POST from that page logs out.
  router.get('/logout', (req, res) => {
    if (!req.session?.adminUser) return res.redirect(loginPath);
    res.type('html').send(LOGOUT_PAGE);
  });
  router.post('/logout', (req, res, next) => {
    if (!req.session) return res.redirect(loginPath);
    const who = req.session.adminUser;
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      const client = { address: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
      const recorded = who ? auth.recordLogout({ userId: who.id, username: who.username, role: who.role }, 'panel session ended', client) : Promise.resolve();
      recorded.then(() => res.redirect(loginPath), next);
    });
  });

  router.use(requireCurrentUser(users, loginPath));
  router.use(requirePasswordChanged);
  // Bodies are parsed only for logged-in users, and only here (AdminJS refuses a JSON parser before it).
  router.use(formidable({ maxFileSize: deps.config.maxUploadBytes }));
  for (const route of AdminRoutes.routes) {
    if (route === bundleRoute) continue;
    const handler = routeHandler(admin, route);
    if (route.method === 'GET') router.get(expressPath(route.path), handler);
    else if (route.method === 'POST') router.post(expressPath(route.path), handler);
  }
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    // The database stayed locked longer than we wait (another instance, a CLI import): nothing was written.
    const busy = err instanceof ServiceUnavailableError ? err : isLockTimeout(err) ? new ServiceUnavailableError() : null;
    if (busy) {
      res.setHeader('Retry-After', String(busy.retryAfterSeconds));
      return void res.status(503).json({ notice: { message: busy.message, type: 'error' } });
    }
    // A service refusal a handler let through (AdminJS rethrows errors not its own): its own status.
    if (err instanceof AppError && err.status < 500) return void res.status(err.status).json({ notice: { message: err.message, type: 'error' } });
    console.error('panel error:', err);
    res.status(500).type('text/plain').send('Internal error');
  });
  return router;
}

const CHANGE_PASSWORD_PAGE = `${ROOT_PATH}/pages/change-password`;
/** What a user who must change their password may still load: the change-password page and its handler. */
const DURING_PASSWORD_CHANGE = new Set(['/pages/change-password', '/api/pages/change-password']);

/**
 * A user who must choose a new password (the generated first admin, a superuser's reset) sees
 * only the change-password page: a page navigation is redirected there, a panel API call is
 * refused 403 with a notice saying what to do. requireCurrentUser has re-read the flag.
 */
const requirePasswordChanged: RequestHandler = (req, res, next) => {
  if (!req.session.adminUser?.must_change_password || DURING_PASSWORD_CHANGE.has(req.path)) return next();
  if (req.path.startsWith('/api/')) {
    return void res.status(403).json({ code: 'password_change_required', notice: { message: 'You must change your password first (Change password).', type: 'error' } });
  }
  res.redirect(CHANGE_PASSWORD_PAGE);
};

/**
 * Anonymous → login page (AdminJS's client treats a redirect to it as "session expired").
 * Otherwise the user is re-read: a deactivated or deleted user is logged out, a new role applies now.
 */
function requireCurrentUser(users: UsersService, loginPath: string): RequestHandler {
  return async (req, res, next) => {
    try {
      const current = req.session?.adminUser;
      if (!current) return res.redirect(loginPath);
      const user = await users.get(current.id).catch((err: unknown) => {
        if (err instanceof NotFoundError) return null;
        throw err;
      });
      if (!user || !user.is_active) {
        return req.session.destroy((err) => {
          if (err) return next(err);
          res.clearCookie(SESSION_COOKIE, { path: '/' });
          res.redirect(loginPath);
        });
      }
      const stale = user.role !== current.role || user.username !== current.username || user.must_change_password !== !!current.must_change_password;
      if (stale) req.session.adminUser = sessionUser(user);
      next();
    } catch (err) {
      next(err);
    }
  };
}
