import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../build-info.js';

export interface PanelMode {
  /** Serve the bundle prebuilt by `npm run build`; never bundle at start. */
  production: boolean;
  /** Where AdminJS writes entry.js and bundle.js (a plain folder: Express 5 ignores dot-directories). */
  tmpDir: string;
}

/** True when this module runs from the compiled `dist/` tree (npm start), false under tsx (npm run dev, tests). */
export function runningCompiled(): boolean {
  return fileURLToPath(import.meta.url).split(path.sep).includes('dist');
}

/**
 * Sets the environment AdminJS reads at import time (NODE_ENV, ADMIN_JS_TMP_DIR, ADMIN_JS_SKIP_BUNDLE).
 * Must run before anything imports `adminjs`, which is why the panel is loaded with a dynamic import.
 * Compiled code defaults to production (prebuilt bundle in build/adminjs); sources to development.
 */
export function configurePanelEnv(): PanelMode {
  if (!process.env.NODE_ENV && runningCompiled()) process.env.NODE_ENV = 'production';
  const production = process.env.NODE_ENV === 'production';
  const tmpDir = path.resolve(process.env.ADMIN_JS_TMP_DIR || path.join(projectRoot(), 'build', production ? 'adminjs' : 'adminjs-dev'));
  process.env.ADMIN_JS_TMP_DIR = tmpDir;
  if (production) process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
  return { production, tmpDir };
}

/** The bundle a production start serves; a clear error when `npm run build` was skipped. */
export function assertPrebuiltBundle(mode: PanelMode): void {
  const file = path.join(mode.tmpDir, 'bundle.js');
  if (!existsSync(file)) throw new Error(`The panel bundle ${file} is missing: run "npm run build" first (components are bundled at build time, never at start).`);
}

/**
 * Development bundles lazily on the first request for components.bundle.js, but AdminJS would
 * serve any bundle already on disk, however old: remove it so every start bundles the current sources.
 */
export function dropStaleDevBundle(mode: PanelMode): void {
  if (!mode.production) rmSync(path.join(mode.tmpDir, 'bundle.js'), { force: true });
}
