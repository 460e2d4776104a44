import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';
import { buildInfo } from '../../build-info.js';
import type { RouteSpec } from '../route-table.js';

/** GET /health and GET /metrics. */
export const systemRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/health',
    access: 'public',
    tag: 'monitoring',
    summary: 'Liveness and build: {status, database, version, commit, build_time}; 503 when the database is unreachable.',
    errors: [503],
    async handler(_req, res, ctx) {
      let database = 'ok';
      try {
        await ctx.deps.db.raw('select 1');
      } catch {
        database = 'unreachable';
      }
      res.status(database === 'ok' ? 200 : 503).json({ status: database === 'ok' ? 'ok' : 'degraded', database, ...buildInfo() });
    },
  },
  {
    method: 'get',
    path: '/metrics',
    access: 'public',
    tag: 'monitoring',
    summary:
      'Prometheus metrics: ipam_ip_total, ipam_ip_archived_total, ipam_ip_unassigned_project_total, ipam_ip_unassigned_owner_total and ipam_ip_unassigned_both_total (original names; the last two always 0), ipocket_ip_assets{project,type}, ipocket_range_*{range,cidr}, ipocket_http_request_duration_seconds, process metrics.',
    produces: 'text/plain',
    async handler(_req, res, ctx) {
      const body = await ctx.metrics.registry.metrics();
      res.type(ctx.metrics.registry.contentType).send(body);
    },
  },
];

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ipocket API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/** GET /openapi.json, and /docs rendering it with swagger-ui served from node_modules (no CDN). */
export function docsRouter(openapi: () => unknown): Router {
  const router = express.Router();
  const dist = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  router.get('/openapi.json', (_req, res) => void res.json(openapi()));
  router.get('/docs', (_req, res) => void res.type('html').send(DOCS_PAGE));
  router.get('/docs/init.js', (_req, res) => void res.type('application/javascript').send(DOCS_INIT));
  router.use('/docs/assets', express.static(dist, { index: false, maxAge: '1d' }));
  return router;
}
