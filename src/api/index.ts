import type { Express } from 'express';
import { buildInfo } from '../build-info.js';
import type { AppDeps } from '../http/deps.js';
import { dataOpsRouter } from './routes/data-ops.js';

/** Mounts the REST API, /metrics, /sd/node and /health at the root. */
export function mountApi(app: Express, deps: AppDeps): void {
  app.get('/health', async (_req, res) => {
    let database = 'ok';
    try {
      await deps.db.raw('select 1');
    } catch {
      database = 'unreachable';
    }
    res.status(database === 'ok' ? 200 : 503).json({ status: database === 'ok' ? 'ok' : 'degraded', database, ...buildInfo() });
  });
  app.use(dataOpsRouter(deps));
}
