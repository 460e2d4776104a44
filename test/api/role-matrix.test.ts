/**
 * The role matrix, generated from the route table the router is built from: every route that is
 * not public is tried anonymously and as viewer, editor and superuser. A new route is covered the
 * moment it is added to API_ROUTES.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import type { Express } from 'express';
import { apiErrorHandler } from '../../src/api/errors.js';
import type { Access } from '../../src/api/route-table.js';
import { API_ROUTES } from '../../src/api/routes/index.js';
import type { Role } from '../../src/services/context.js';
import { buildTestApp, type TestApp } from './app.js';

/** Which callers each access level lets through (true) or refuses with 401/403. */
const ALLOWED: Record<Access, Record<'anonymous' | Role, boolean>> = {
  public: { anonymous: true, viewer: true, editor: true, superuser: true },
  read: { anonymous: true, viewer: true, editor: true, superuser: true },
  login: { anonymous: false, viewer: true, editor: true, superuser: true },
  editor: { anonymous: false, viewer: false, editor: true, superuser: false },
  superuser: { anonymous: false, viewer: false, editor: false, superuser: true },
};

/** A concrete URL for a route pattern: ids and addresses that do not exist (the handler answers 404/422, never 401/403). */
function sampleUrl(path: string): string {
  return path.replace(':ip', '10.254.254.254').replace(/:\w+/g, '987654');
}

type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: unknown };

/** "METHOD /path" of every route in the API's routers (found by its error handler; all mounted at the root). */
function registeredApiRoutes(app: Express): string[] {
  const stackOf = (h: unknown): Layer[] | undefined => (h as { stack?: Layer[] } | undefined)?.stack;
  const top = stackOf((app as unknown as { router: unknown }).router) ?? [];
  const api = top.find((l) => stackOf(l.handle)?.some((x) => x.handle === apiErrorHandler));
  assert.ok(api, 'the API router is mounted');
  const out: string[] = [];
  const walk = (stack: Layer[]): void => {
    for (const l of stack) {
      if (l.route) {
        for (const p of [l.route.path].flat()) for (const m of Object.keys(l.route.methods)) if (m !== '_all') out.push(`${m.toUpperCase()} ${p}`);
      } else if (stackOf(l.handle)) walk(stackOf(l.handle)!);
    }
  };
  walk(stackOf(api.handle)!);
  return out;
}

// /logout would end the caller's token; it is checked last, separately.
const routes = API_ROUTES.filter((r) => r.path !== '/logout');

describe('role matrix (generated from API_ROUTES)', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  test('the routes registered on the app are the table plus docs and data-ops; no data-ops write is anonymous', async () => {
    const registered = registeredApiRoutes(t.app);
    const table = new Set(API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`));
    for (const key of table) assert.ok(registered.includes(key), `${key} is in the table but not registered`);
    const docs = new Set(['GET /openapi.json', 'GET /docs', 'GET /docs/init.js']);
    const others = registered.filter((k) => !table.has(k) && !docs.has(k));
    // Whatever else is mounted (import/export, owned by data-ops) must not let a stranger write or export.
    for (const key of others) {
      const [method, path] = key.split(' ') as [string, string];
      if (method === 'GET' && !path.startsWith('/export')) continue;
      const res = await request(t.app)[method.toLowerCase() as 'get'](sampleUrl(path));
      assert.equal(res.status, 401, `${key} answered ${res.status} to an anonymous caller`);
    }
  });

  test('every route is registered on the app exactly as the table says', async () => {
    // An unknown method/path pair falls through to Express's 404; every table route must not.
    for (const r of routes) {
      const res = await request(t.app)[r.method](sampleUrl(r.path)).set(t.as.superuser);
      assert.notEqual(res.text.startsWith('<!DOCTYPE html>') && res.status === 404, true, `${r.method.toUpperCase()} ${r.path} is not mounted`);
    }
  });

  test('the table has the compat endpoints and every write route has an explicit non-public access level', () => {
    const keys = new Set(API_ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`));
    for (const k of [
      'GET /health', 'GET /metrics', 'GET /sd/node', 'POST /login', 'POST /logout',
      'GET /ip-assets', 'POST /ip-assets', 'GET /ip-assets/:ip', 'PATCH /ip-assets/:ip', 'DELETE /ip-assets/:ip', 'POST /ip-assets/:ip/archive',
      'GET /hosts', 'POST /hosts', 'GET /hosts/:id', 'PATCH /hosts/:id',
      'GET /projects', 'POST /projects', 'PATCH /projects/:id', 'GET /vendors', 'POST /vendors', 'PATCH /vendors/:id', 'GET /ranges', 'POST /ranges',
    ]) assert.ok(keys.has(k), `missing ${k}`);
    for (const r of API_ROUTES) if (r.method !== 'get' && r.path !== '/login') assert.notEqual(r.access, 'public', `${r.method} ${r.path} is public`);
  });

  for (const route of routes) {
    for (const who of ['anonymous', 'viewer', 'editor', 'superuser'] as const) {
      const allowed = ALLOWED[route.access][who];
      test(`${route.method.toUpperCase()} ${route.path} as ${who} → ${allowed ? 'allowed' : who === 'anonymous' ? '401' : '403'}`, async () => {
        let req = request(t.app)[route.method](sampleUrl(route.path));
        if (who !== 'anonymous') req = req.set(t.as[who]);
        if (route.method !== 'get') req = req.send({});
        const res = await req;
        if (allowed) assert.ok(![401, 403].includes(res.status), `got ${res.status} ${res.text}`);
        else if (who === 'anonymous') assert.deepEqual([res.status, res.body], [401, { detail: 'Unauthorized' }]);
        else assert.equal(res.status, 403, res.text);
      });
    }
  }

  test('POST /logout: anonymous 401; a logged-in caller 204 and the token stops working', async () => {
    assert.equal((await request(t.app).post('/logout')).status, 401);
    assert.equal((await request(t.app).post('/logout').set(t.as.viewer)).status, 204);
    assert.equal((await request(t.app).get('/me').set(t.as.viewer)).status, 401);
  });
});

describe('IPOCKET_REQUIRE_LOGIN_FOR_READ=1', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ IPOCKET_REQUIRE_LOGIN_FOR_READ: '1' });
  });
  after(() => t.cleanup());

  for (const route of API_ROUTES.filter((r) => r.access === 'read')) {
    test(`${route.method.toUpperCase()} ${route.path} needs a login`, async () => {
      assert.equal((await request(t.app)[route.method](sampleUrl(route.path))).status, 401);
      assert.ok(![401, 403].includes((await request(t.app)[route.method](sampleUrl(route.path)).set(t.as.viewer)).status));
    });
  }
});
