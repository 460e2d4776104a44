import { z } from 'zod';
import { buildInfo } from '../build-info.js';
import { openApiPath, type RouteSpec } from './route-table.js';

type Json = Record<string, unknown>;

/** JSON Schema of what a client sends (zod input side); transforms document their input type. */
function schemaOf(schema: z.ZodType): Json {
  try {
    const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
    delete s.$schema;
    return s;
  } catch {
    return {};
  }
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request (malformed JSON, invalid IP address)',
  401: 'Unauthorized: {"detail":"Unauthorized"}',
  403: 'Forbidden: the role may not do this',
  404: 'Not found',
  409: 'Conflict: taken name/address, or still linked',
  413: 'Request body too large',
  415: 'Unsupported body type',
  422: 'Validation error: {"detail":[{loc,msg,type}]}',
  429: 'Too many requests: failed logins, or imports running (see Retry-After)',
  502: 'The outside source failed (the run is recorded with its error)',
};

const ErrorSchema = {
  type: 'object',
  properties: {
    detail: {
      anyOf: [
        { type: 'string' },
        { type: 'array', items: { type: 'object', properties: { loc: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } }, msg: { type: 'string' }, type: { type: 'string' } } } },
      ],
    },
  },
};

/** An upload: multipart fields (files, and an `options` JSON text) or one raw file. */
function uploadContent(types: readonly string[]): Json {
  const file = { type: 'string', contentMediaType: 'application/octet-stream' };
  return {
    'multipart/form-data': {
      schema: { type: 'object', properties: { file, options: { type: 'string', description: 'Plugin options as JSON' } }, additionalProperties: file },
    },
    ...Object.fromEntries(types.map((type) => [type, { schema: file }])),
  };
}

/** The OpenAPI 3.1 document of the route table (bodies and query strings from the same zod schemas the services parse with). */
export function buildOpenApi(routes: readonly RouteSpec[]): Json {
  const paths: Record<string, Json> = {};
  for (const r of routes) {
    const path = openApiPath(r.path);
    const documented = (r.params ? (schemaOf(r.params).properties as Record<string, Json> | undefined) : undefined) ?? {};
    const parameters: Json[] = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: documented[m[1]!] ?? { type: m[1] === 'id' ? 'integer' : 'string' } }));
    if (r.query) {
      const qs = schemaOf(r.query) as { properties?: Record<string, Json>; required?: string[] };
      for (const [name, schema] of Object.entries(qs.properties ?? {})) {
        parameters.push({ name, in: 'query', required: qs.required?.includes(name) ?? false, schema, ...(schema.description ? { description: schema.description } : {}) });
      }
    }
    const status = r.status ?? 200;
    const responses: Record<string, Json> = {
      [String(status)]:
        status === 204
          ? { description: 'Done' }
          : { description: r.stream ? 'OK (streamed)' : 'OK', content: Object.fromEntries([r.produces ?? 'application/json'].flat().map((type) => [type, { schema: {} }])) },
    };
    const errs = new Set(r.errors ?? []);
    if (r.access !== 'public') errs.add(401);
    if (r.access === 'editor' || r.access === 'superuser') errs.add(403);
    if (r.body || r.upload) errs.add(413).add(400);
    if (r.upload) errs.add(415);
    for (const code of [...errs].sort()) responses[String(code)] = { description: ERROR_TEXT[code] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    const op: Json = {
      tags: [r.tag],
      summary: r.summary.split('. ')[0],
      description: `${r.summary}\n\nAccess: ${r.access}.`,
      operationId: `${r.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters,
      responses,
    };
    if (r.access !== 'public' && r.access !== 'read') op.security = [{ bearer: [] }];
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(r.body) } } };
    if (r.upload) op.requestBody = { required: false, content: uploadContent(r.upload.types) };
    (paths[path] ??= {})[r.method] = op;
  }
  const info = buildInfo();
  return {
    openapi: '3.1.0',
    info: {
      title: 'ipocket API',
      version: info.version,
      description: 'REST API of ipocket, compatible with the original ipocket. Log in with POST /login and send `Authorization: Bearer <token>`.',
    },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: ErrorSchema },
    },
  };
}
