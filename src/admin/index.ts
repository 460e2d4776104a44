import path from 'node:path';
import type { Express } from 'express';
import type AdminJSClass from 'adminjs';
import type { AppDeps } from '../http/deps.js';
import type { KnexDatabase, KnexResource } from './adapter/resource.js';
import { assertPrebuiltBundle, configurePanelEnv, dropStaleDevBundle } from './mode.js';

/**
 * Mounts the AdminJS panel at /ui (and / → /ui, /favicon.ico). AdminJS reads NODE_ENV and
 * ADMIN_JS_TMP_DIR when imported, so the environment is set first and the panel is loaded
 * with a dynamic import. Production serves the bundle built by `npm run build` and never bundles.
 */
export async function mountPanel(app: Express, deps: AppDeps): Promise<void> {
  const mode = configurePanelEnv();
  if (mode.production) assertPrebuiltBundle(mode);
  else dropStaleDevBundle(mode);
  const [{ default: AdminJS }, adapter, { panelOptions, ROOT_PATH }, { buildPanelRouter, STATIC_DIR }] = await Promise.all([
    import('adminjs'),
    import('./adapter/resource.js'),
    import('./options.js'),
    import('./router.js'),
  ]);
  registerAdapterOnce(AdminJS, adapter);
  const admin = new AdminJS(panelOptions(deps));
  app.get('/', (_req, res) => res.redirect(ROOT_PATH));
  app.get('/favicon.ico', (_req, res) => res.type('image/svg+xml').sendFile(path.join(STATIC_DIR, 'favicon.svg'), { maxAge: '1d' }));
  app.use(ROOT_PATH, buildPanelRouter(admin, deps, mode));
}

let registered = false;
function registerAdapterOnce(AdminJS: typeof AdminJSClass, adapter: { KnexDatabase: typeof KnexDatabase; KnexResource: typeof KnexResource }): void {
  if (registered) return;
  AdminJS.registerAdapter({ Database: adapter.KnexDatabase, Resource: adapter.KnexResource });
  registered = true;
}
