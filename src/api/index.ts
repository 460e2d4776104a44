import { Router, type Express, type RequestHandler } from 'express';
import type { AppDeps } from '../http/deps.js';
import { createMetrics, type AppMetrics } from '../metrics.js';
import { apiErrorHandler, apiNotFound } from './errors.js';
import { buildOpenApi } from './openapi.js';
import { buildRouter } from './route-table.js';
import { API_ROUTES } from './routes/index.js';

/** Times every request that reaches the API by route pattern and status; a successful write makes the next scrape recount. */
function requestTimer(metrics: AppMetrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl}${String((req.route as { path: string }).path)}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
      if (req.method !== 'GET' && req.method !== 'HEAD' && res.statusCode < 400) metrics.invalidate();
    });
    next();
  };
}

/** Mounts the REST API, /metrics, /sd/node, /health, /openapi.json and /docs at the root. */
export function mountApi(app: Express, deps: AppDeps): void {
  const metrics = createMetrics(deps.db);
  let openapi: unknown;
  const api = Router();
  api.use(requestTimer(metrics));
  api.use(buildRouter(API_ROUTES, deps, metrics, () => (openapi ??= buildOpenApi(API_ROUTES))));
  api.use(apiNotFound);
  api.use(apiErrorHandler);
  app.use(api);
}
