import path from 'node:path';
import express, { Router } from 'express';
import { STATIC_DIR } from '../../admin/paths.js';
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
  // The original's CSV templates, at its paths (the Data Ops page links them).
  router.use('/static/samples', express.static(path.join(STATIC_DIR, 'samples'), { index: false, maxAge: '1h' }));
  router.use(importRouter(deps));
  router.use(exportRouter(deps));
  router.use(['/import', '/export'], apiErrorHandler);
  return router;
}
