import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { mountPanel, type PanelLoad } from './admin/index.js';
import { mountApi } from './api/index.js';
import type { AppConfig } from './config.js';
import type { AppDeps } from './http/deps.js';
import { sameOriginWrites } from './http/same-origin.js';
import { securityHeaders } from './http/security-headers.js';
import { sessionMiddleware } from './http/session.js';

export type { AppDeps };

/** Builds the HTTP application (no listening), so tests can drive it with supertest. */
/** `panel`: when AdminJS loads (src/admin/index.ts); `ipocket serve` loads it at once, an app built for tests on the first /ui request. */
export async function buildApp(deps: AppDeps, { panel = 'on-demand' }: { panel?: PanelLoad } = {}): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.use(securityHeaders(deps.config));
  // Panel sessions live in the database; the API also accepts them (exports from the panel).
  app.use(sessionMiddleware(deps));
  // Before anything that changes state, on the panel and the API alike.
  app.use(sameOriginWrites);
  // The panel first: AdminJS refuses to run behind a JSON body parser, so the API parses its own bodies.
  await mountPanel(app, deps, { load: panel });
  mountApi(app, deps);
  return app;
}

/**
 * Idle keep-alive sockets stay open this long. Node's 5 s default closes a socket while a client
 * (a proxy, or undici after a pause) is already sending on it: the request dies as ECONNRESET.
 * Above the usual 60 s idle timeout of load balancers, so they close first.
 */
const KEEP_ALIVE_MS = 65_000;

/** Listens on the configured host and port; resolves once the socket is bound. */
export function listen(app: Express, config: Pick<AppConfig, 'port' | 'host'>): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(config.port, config.host, (err?: Error) => (err ? reject(err) : resolve(server)));
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    // Must exceed keepAliveTimeout, or a slow request's headers race the socket's close.
    server.headersTimeout = KEEP_ALIVE_MS + 1_000;
    server.on('error', reject);
  });
}
