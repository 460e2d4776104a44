import type { Server } from 'node:http';
import express, { type Express } from 'express';
import type { Knex } from 'knex';
import type { AppConfig } from './config.js';
import { buildInfo } from './build-info.js';

export interface AppDeps {
  config: AppConfig;
  db: Knex;
}

/** Builds the HTTP application (no listening), so tests can drive it with supertest. */
export async function buildApp(deps: AppDeps): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.get('/health', async (_req, res) => {
    let database = 'ok';
    try {
      await deps.db.raw('select 1');
    } catch {
      database = 'unreachable';
    }
    res.status(database === 'ok' ? 200 : 503).json({ status: database === 'ok' ? 'ok' : 'degraded', database, ...buildInfo() });
  });
  return app;
}

/** Listens on the configured host and port; resolves once the socket is bound. */
export function listen(app: Express, config: AppConfig): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(config.port, config.host, (err?: Error) => (err ? reject(err) : resolve(server)));
    server.on('error', reject);
  });
}
