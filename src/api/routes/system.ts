import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { buildInfo } from '../../build-info.js';
import { NotFoundError } from '../../domain/errors.js';
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

const SWAGGER_DIST = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** GET /openapi.json, and /docs rendering it with swagger-ui served from node_modules (no CDN). */
export const docsRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/openapi.json',
    access: 'public',
    tag: 'docs',
    summary: 'This document: the OpenAPI 3.1 description of every endpoint, built from the route table.',
    handler(_req, res, ctx) {
      res.json(ctx.openapi());
    },
  },
  {
    method: 'get',
    path: '/docs',
    access: 'public',
    tag: 'docs',
    summary: 'The API reference rendered by swagger-ui (served from this server, nothing from the internet).',
    produces: 'text/html',
    handler(_req, res) {
      res.type('html').send(DOCS_PAGE);
    },
  },
  {
    method: 'get',
    path: '/docs/init.js',
    access: 'public',
    tag: 'docs',
    summary: 'The script that starts swagger-ui on /openapi.json.',
    produces: 'application/javascript',
    handler(_req, res) {
      res.type('application/javascript').send(DOCS_INIT);
    },
  },
  {
    method: 'get',
    path: '/docs/assets/:file',
    access: 'public',
    tag: 'docs',
    summary: "swagger-ui's files (swagger-ui.css, swagger-ui-bundle.js, …) from the installed swagger-ui-dist.",
    params: z.object({ file: z.string().regex(/^[\w.-]+$/) }),
    produces: ['text/css', 'application/javascript'],
    errors: [404],
    async handler(req, res) {
      const file = String(req.params.file);
      // One file name, no directories: the root option keeps it inside swagger-ui-dist.
      if (!/^[\w.-]+$/.test(file) || file.startsWith('.')) throw new NotFoundError('Docs asset', file);
      await new Promise<void>((resolve, reject) =>
        res.sendFile(file, { root: SWAGGER_DIST, maxAge: '1d' }, (err?: Error & { status?: number }) => {
          if (!err) return resolve();
          reject(err.status === 404 ? new NotFoundError('Docs asset', file) : err);
        }),
      );
    },
  },
];
