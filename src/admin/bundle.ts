import path from 'node:path';
import { configurePanelEnv } from './mode.js';

/**
 * Bundles the components for production into ADMIN_JS_TMP_DIR (default build/adminjs) and
 * returns the bundle's path. Runs in its own process (AdminJS reads NODE_ENV at import time).
 */
export async function bundlePanelComponents(): Promise<string> {
  process.env.NODE_ENV = 'production';
  const mode = configurePanelEnv();
  // configurePanelEnv turns bundling off for production starts; this is the one place it runs.
  delete process.env.ADMIN_JS_SKIP_BUNDLE;
  const [{ default: AdminJS }, { panelOptions }] = await Promise.all([import('adminjs'), import('./options.js')]);
  await new AdminJS(panelOptions()).initialize();
  process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
  return path.join(mode.tmpDir, 'bundle.js');
}
