import { Router } from 'express';
import type { AppDeps } from '../../http/deps.js';

/** Import and export endpoints (/import/*, /export/*). Placeholder until the plugin framework issue lands. */
export function dataOpsRouter(_deps: AppDeps): Router {
  return Router();
}
