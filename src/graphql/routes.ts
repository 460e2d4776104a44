import { z } from 'zod';
import { NotFoundError } from '../domain/errors.js';
import type { ApiContext, RouteSpec } from '../api/route-table.js';
import type { Request, Response } from 'express';
import { withNetBoxSync } from '../api/routes/netbox.js';
import { buildContext } from './context.js';
import { cspNonce } from '../http/security-headers.js';
import { graphiqlAssets, graphiqlPage } from './graphiql.js';
import { graphqlServer } from './server.js';

/**
 * Hands the request to the GraphQL server with services bound to the caller. The route table
 * has already identified the caller (bearer token or panel session, as REST), refused a
 * cross-origin cookie POST (sameOriginWrites) and parsed a JSON body with the API's caps; each
 * root field then checks its own level of the access policy.
 */
async function execute(req: Request, res: Response, ctx: ApiContext): Promise<void> {
  const context = buildContext(req.actor ?? null, ctx.services(req), ctx.deps.config.requireLoginForRead, { netbox: (fn) => withNetBoxSync(req, ctx, fn) });
  await graphqlServer().handle(req, res, context);
}

const GraphQLBody = z.object({
  query: z.string().describe('The GraphQL document'),
  variables: z.record(z.string(), z.unknown()).optional(),
  operationName: z.string().optional(),
});

export const graphqlRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/graphql',
    access: 'read',
    tag: 'graphql',
    summary: 'GraphiQL (offline) for a browser (Accept: text/html, no query); otherwise a GraphQL query in the query string (?query=…&variables=…). Mutations need POST.',
    produces: ['application/json', 'text/html'],
    async handler(req, res, ctx) {
      if (req.query.query === undefined && req.accepts(['application/json', 'text/html']) === 'text/html') {
        res.type('html').send(graphiqlPage(cspNonce(res)));
        return;
      }
      await execute(req, res, ctx);
    },
  },
  {
    method: 'post',
    path: '/graphql',
    access: 'read',
    tag: 'graphql',
    summary:
      'GraphQL over HTTP: the schema is in schema.graphql. Each field checks the role REST checks for the same data (anonymous reads unless IPOCKET_REQUIRE_LOGIN_FOR_READ; writes need the editor). Errors carry extensions.code (validation_error, not_found, conflict, unauthorized, forbidden, …). Depth, cost and alias limits refuse a query before it runs.',
    body: GraphQLBody,
    async handler(req, res, ctx) {
      await execute(req, res, ctx);
    },
  },
  {
    method: 'get',
    path: '/graphql/assets/:file',
    access: 'public',
    tag: 'graphql',
    summary: "GraphiQL's script, styles and editor workers (served from here: no CDN).",
    produces: ['text/javascript', 'text/css'],
    errors: [404],
    async handler(req, res) {
      const file = String(req.params.file);
      const asset = (await graphiqlAssets()).get(file);
      if (!asset) throw new NotFoundError('GraphiQL asset', file);
      res.type(asset.type).setHeader('Cache-Control', 'no-cache');
      res.send(asset.body);
    },
  },
];
