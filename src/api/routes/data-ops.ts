import { Router } from 'express';
import type { AppDeps } from '../../http/deps.js';
import { apiErrorHandler } from '../errors.js';
import { exportRouter } from './data-ops-export.js';
import { importRouter } from './data-ops-import.js';

/**
 * Import and export endpoints (/import/*, /export/*). The router authenticates and parses its
 * own bodies (no global JSON parser: AdminJS must not sit behind one) and answers errors in the
 * API's shape itself, so it works wherever it is mounted.
 */
export function dataOpsRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(importRouter(deps));
  router.use(exportRouter(deps));
  router.use(['/import', '/export'], apiErrorHandler);
  return router;
}
