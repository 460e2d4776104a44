import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { GraphQLContext } from './context.js';
import { maskError } from './errors.js';
import { limitPlugins } from './limits.js';
import { graphqlSchema } from './schema.js';

let yoga: YogaServerInstance<GraphQLContext, object> | undefined;

/**
 * The GraphQL server (graphql-yoga over the Pothos schema), built once per process: the HTTP
 * route hands it each request with a context of services bound to the caller (routes.ts).
 * Its own landing page and GraphiQL are off (ours is served offline under our CSP); CORS is off,
 * so no other origin reads an answer made with the panel cookie; batching and uploads are off.
 */
export function graphqlServer(): YogaServerInstance<GraphQLContext, object> {
  return (yoga ??= createYoga<GraphQLContext, object>({
    schema: graphqlSchema(),
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    cors: false,
    batching: false,
    multipart: false,
    // Expected failures (a 404, a refused role) are answers, not incidents; maskError logs the unexpected ones.
    logging: false,
    maskedErrors: { maskError },
    plugins: limitPlugins(),
  }));
}
