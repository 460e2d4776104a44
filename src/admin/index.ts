import path from 'node:path';
import type { Express, Router } from 'express';
import type AdminJSClass from 'adminjs';
import type { AppDeps } from '../http/deps.js';
import type { KnexDatabase, KnexResource } from './adapter/resource.js';
import { assertPrebuiltBundle, configurePanelEnv, dropStaleDevBundle, type PanelMode } from './mode.js';
import { ROOT_PATH, STATIC_DIR } from './paths.js';

/**
 * Mounts the AdminJS panel at /ui (and / → /ui, /favicon.ico). AdminJS reads NODE_ENV and
 * ADMIN_JS_TMP_DIR when imported, so the environment is set first and AdminJS is loaded with a
 * dynamic import. Production serves the bundle built by `npm run build` and never bundles; a
 * missing bundle fails the start at once.
 *
 * Importing AdminJS (its React design system included) is most of the start-up time, so it loads
 * in the background: the server listens (API, /health) meanwhile, and /ui requests wait for it.
 * `load: 'on-demand'` defers it to the first /ui request: an app built for API work alone (each
 * test file builds several) never pays for a panel it does not show.
 */
export async function mountPanel(app: Express, deps: AppDeps, { load = 'now' }: { load?: PanelLoad } = {}): Promise<void> {
  const mode = configurePanelEnv();
  if (mode.production) assertPrebuiltBundle(mode);
  else dropStaleDevBundle(mode);
  app.get('/', (_req, res) => res.redirect(ROOT_PATH));
  app.get('/favicon.ico', (_req, res) => res.type('image/svg+xml').sendFile(path.join(STATIC_DIR, 'favicon.svg'), { maxAge: '1d' }));
  let router: Router | undefined;
  let ready: Promise<Router> | undefined;
  const start = (): Promise<Router> => {
    if (ready) return ready;
    ready = loadPanel(deps, mode).then((r) => (router = r));
    ready.catch((err: unknown) => console.error('The panel failed to load:', err));
    return ready;
  };
  if (load === 'now') void start();
  app.use(ROOT_PATH, (req, res, next) => {
    if (router) return router(req, res, next);
    start().then((r) => r(req, res, next), next);
  });
}

/** When the panel's AdminJS is loaded: at once in the background (a server), or on the first /ui request. */
export type PanelLoad = 'now' | 'on-demand';

async function loadPanel(deps: AppDeps, mode: PanelMode): Promise<Router> {
  const [{ default: AdminJS }, adapter, { panelOptions }, { buildPanelRouter }] = await Promise.all([
    import('adminjs'),
    import('./adapter/resource.js'),
    import('./options.js'),
    import('./router.js'),
  ]);
  registerAdapterOnce(AdminJS, adapter);
  return buildPanelRouter(new AdminJS(panelOptions(deps)), deps, mode);
}

let registered = false;
function registerAdapterOnce(AdminJS: typeof AdminJSClass, adapter: { KnexDatabase: typeof KnexDatabase; KnexResource: typeof KnexResource }): void {
  if (registered) return;
  AdminJS.registerAdapter({ Database: adapter.KnexDatabase, Resource: adapter.KnexResource });
  registered = true;
}
