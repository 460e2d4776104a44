/**
 * The role matrix, generated from the route table the router is built from: every route is tried
 * anonymously and as viewer, editor and superuser, with IPOCKET_REQUIRE_LOGIN_FOR_READ off and on.
 * "Allowed" means the handler ran and answered, not a refusal and not a 5xx. A new route is covered
 * the moment it is added to API_ROUTES; one with a finer check (`authorize`) needs its cases below.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import type { Access, RouteSpec } from '../../src/api/route-table.js';
import { API_ROUTES } from '../../src/api/routes/index.js';
import type { Role } from '../../src/services/context.js';
import { startFakePrometheus, vectorOf, type FakePrometheus } from '../fakes/prometheus.js';
import { buildTestApp, mountedRoutes, PANEL_MOUNTS, PANEL_ROUTES, type TestApp } from './app.js';

type Caller = 'anonymous' | Role;
const CALLERS: readonly Caller[] = ['anonymous', 'viewer', 'editor', 'superuser'];

/** Which callers each access level lets through (true) or refuses with 401/403, by IPOCKET_REQUIRE_LOGIN_FOR_READ. */
const ALLOWED: Record<'off' | 'on', Record<Access, Record<Caller, boolean>>> = {
  off: {
    public: { anonymous: true, viewer: true, editor: true, superuser: true },
    read: { anonymous: true, viewer: true, editor: true, superuser: true },
    login: { anonymous: false, viewer: true, editor: true, superuser: true },
    editor: { anonymous: false, viewer: false, editor: true, superuser: false },
    superuser: { anonymous: false, viewer: false, editor: false, superuser: true },
  },
  on: {
    public: { anonymous: true, viewer: true, editor: true, superuser: true },
    read: { anonymous: false, viewer: true, editor: true, superuser: true },
    login: { anonymous: false, viewer: true, editor: true, superuser: true },
    editor: { anonymous: false, viewer: false, editor: true, superuser: false },
    superuser: { anonymous: false, viewer: false, editor: false, superuser: true },
  },
};

/**
 * Routes whose `authorize` refines the level by the request: the requests that tell the cases
 * apart, each with the level it amounts to (the rules: src/services/access.ts).
 */
const REFINED: Record<string, { url: string; access: Access }[]> = {
  'POST /import/:plugin': [
    { url: '/import/csv?dry_run=1', access: 'login' },
    { url: '/import/bundle?dry_run=true', access: 'login' },
    { url: '/import/csv', access: 'editor' },
    { url: '/import/bundle?dry_run=0', access: 'editor' },
    // An ad-hoc connector run calls a URL of the caller's choosing: editor even as a dry-run.
    { url: '/import/prometheus?dry_run=1', access: 'editor' },
    { url: '/import/prometheus', access: 'editor' },
  ],
  // A saved configuration (mode dry_run) on a fake Prometheus: {config} is its id.
  'POST /connectors/configs/:id/run': [
    { url: '/connectors/configs/{config}/run?dry_run=1', access: 'login' },
    { url: '/connectors/configs/{config}/run', access: 'login' },
    { url: '/connectors/configs/{config}/run?dry_run=0', access: 'editor' },
  ],
};

/** A concrete URL for a route pattern: ids and addresses that do not exist (the handler answers 404/422, never 401/403). */
function sampleUrl(path: string): string {
  return path.replace(':ip', '10.254.254.254').replace(/:\w+/g, '987654');
}

const keyOf = (r: Pick<RouteSpec, 'method' | 'path'>): string => `${r.method.toUpperCase()} ${r.path}`;

/** The requests the matrix sends for a route: its refined cases, or one sample at its own level. */
function casesOf(route: RouteSpec): { url: string; access: Access }[] {
  return REFINED[keyOf(route)] ?? [{ url: sampleUrl(route.path), access: route.access }];
}

async function expectAccess(t: TestApp, method: RouteSpec['method'], url: string, who: Caller, allowed: boolean): Promise<void> {
  let req = request(t.app)[method](url);
  if (who !== 'anonymous') req = req.set(t.as[who]);
  if (method !== 'get') req = req.send({});
  const res = await req;
  const seen = `${res.status} ${res.text.slice(0, 300)}`;
  if (allowed) {
    assert.ok(![401, 403].includes(res.status), `refused: ${seen}`);
    assert.ok(res.status < 500, `allowed but failed: ${seen}`);
  } else if (who === 'anonymous') assert.deepEqual([res.status, res.body], [401, { detail: 'Unauthorized' }]);
  else assert.equal(res.status, 403, seen);
}

// /logout (and VMI's /api/auth/logout) would end the caller's token; they are checked last, separately.
/**
 * Routes a caller proves with a per-source token instead of a session (webhook pushes): no
 * session role gets in without it. Their cases: test/api/sync-push.test.ts; checked below too.
 */
const SOURCE_TOKEN_ROUTES = new Set(['POST /sync/push/:source']);

const routes = API_ROUTES.filter((r) => !r.path.endsWith('/logout') && !SOURCE_TOKEN_ROUTES.has(keyOf(r)));

for (const mode of ['off', 'on'] as const) {
  describe(`role matrix (generated from API_ROUTES), IPOCKET_REQUIRE_LOGIN_FOR_READ ${mode}`, () => {
    let t: TestApp;
    let prom: FakePrometheus;
    let config = '';
    before(async () => {
      t = await buildTestApp(mode === 'on' ? { IPOCKET_REQUIRE_LOGIN_FOR_READ: '1' } : {});
      prom = await startFakePrometheus(vectorOf(['192.0.2.80:9100']));
      const saved = await request(t.app).post('/connectors/configs').set(t.as.editor).send({ name: 'matrix-prom', plugin: 'prometheus', options: { url: prom.url }, mode: 'dry_run' });
      assert.equal(saved.status, 201, saved.text);
      config = String((saved.body as { id: number }).id);
    });
    after(async () => {
      await prom.close();
      await t.cleanup();
    });

    for (const route of routes) {
      for (const c of casesOf(route)) {
        for (const who of CALLERS) {
          const allowed = ALLOWED[mode][c.access][who];
          test(`${route.method.toUpperCase()} ${c.url} as ${who} → ${allowed ? 'allowed' : who === 'anonymous' ? '401' : '403'}`, () =>
            expectAccess(t, route.method, c.url.replace('{config}', config), who, allowed));
        }
      }
    }

    test('POST /logout: anonymous 401; a logged-in caller 204 and the token stops working', async () => {
      assert.equal((await request(t.app).post('/logout')).status, 401);
      assert.equal((await request(t.app).post('/logout').set(t.as.viewer)).status, 204);
      assert.equal((await request(t.app).get('/me').set(t.as.viewer)).status, 401);
    });

    test('POST /api/auth/logout (VMI): anonymous 401; a logged-in caller 200 and the token stops working', async () => {
      assert.equal((await request(t.app).post('/api/auth/logout')).status, 401);
      assert.equal((await request(t.app).post('/api/auth/logout').set(t.as.editor)).status, 200);
      assert.equal((await request(t.app).get('/me').set(t.as.editor)).status, 401);
    });
  });
}

describe('the route table is the whole API', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  test('every route mounted on the app outside the panel is in the table, and every table route is mounted', () => {
    const { routes: mounted, mounts } = mountedRoutes(t.app);
    const table = new Set(API_ROUTES.map(keyOf));
    for (const key of table) assert.ok(mounted.includes(key), `${key} is in the table but not mounted`);
    assert.deepEqual(mounted.filter((k) => !table.has(k) && !PANEL_ROUTES.has(k)), [], 'mounted outside the route table');
    assert.deepEqual(mounts.filter((m) => !PANEL_MOUNTS.has(m)), [], 'middleware mounted at a path outside the route table');
  });

  test('every route with a finer check (authorize) has its cases in REFINED, and REFINED names only such routes', () => {
    const refined = API_ROUTES.filter((r) => r.authorize && !SOURCE_TOKEN_ROUTES.has(keyOf(r))).map(keyOf);
    assert.deepEqual(Object.keys(REFINED).sort(), refined.sort());
  });

  test('the table has the compat endpoints and every write route has an explicit non-public access level', () => {
    const keys = new Set(API_ROUTES.map(keyOf));
    for (const k of [
      'GET /health', 'GET /metrics', 'GET /sd/node', 'POST /login', 'POST /logout',
      'GET /ip-assets', 'POST /ip-assets', 'GET /ip-assets/:ip', 'PATCH /ip-assets/:ip', 'DELETE /ip-assets/:ip', 'POST /ip-assets/:ip/archive',
      'GET /hosts', 'POST /hosts', 'GET /hosts/:id', 'PATCH /hosts/:id',
      'GET /projects', 'POST /projects', 'PATCH /projects/:id', 'GET /vendors', 'POST /vendors', 'PATCH /vendors/:id', 'GET /ranges', 'POST /ranges',
      'POST /import/:plugin', 'GET /export/:file', 'GET /import/runs', 'GET /connectors/configs', 'POST /connectors/configs/:id/run',
    ]) assert.ok(keys.has(k), `missing ${k}`);
    const logins = new Set(['/login', '/api/auth/login']);
    for (const r of API_ROUTES) if (r.method !== 'get' && !logins.has(r.path) && !SOURCE_TOKEN_ROUTES.has(keyOf(r))) assert.notEqual(r.access, 'public', `${r.method} ${r.path} is public`);
    // A source-token route is public only in name: its authorize refuses every caller without the token.
    for (const r of API_ROUTES) if (SOURCE_TOKEN_ROUTES.has(keyOf(r))) assert.ok(r.authorize, `${keyOf(r)} checks its token`);
  });

  test('the table has every static IP management endpoint of the seed (issue 19): editors write, viewers read', () => {
    const P = '/api/v1/ip-management';
    const want: [string, Access][] = [
      ['GET /pools', 'read'], ['POST /pools', 'editor'], ['GET /pools/:pool_id', 'read'], ['PUT /pools/:pool_id', 'editor'], ['DELETE /pools/:pool_id', 'editor'],
      ['GET /pools/:pool_id/utilization', 'read'], ['GET /pools/:pool_id/available-ips', 'read'], ['GET /pools/:pool_id/stats', 'read'], ['GET /stats', 'read'],
      ['GET /reservations', 'read'], ['POST /reservations', 'editor'], ['GET /reservations/:reservation_id', 'read'], ['PUT /reservations/:reservation_id', 'editor'],
      ['DELETE /reservations/:reservation_id', 'editor'], ['POST /reservations/:reservation_id/extend', 'editor'],
      ['POST /subscribers/:subscriber_id/assign-ip', 'editor'], ['POST /subscribers/:subscriber_id/release-ip', 'editor'], ['GET /subscribers/:subscriber_id/ips', 'read'],
      ['POST /subscribers/:subscriber_id/terminate', 'editor'], ['POST /subscribers/:subscriber_id/plan-change', 'editor'],
      ['POST /check-conflicts', 'read'], ['GET /conflicts', 'read'],
    ];
    const access = new Map(API_ROUTES.map((r) => [keyOf(r), r.access]));
    for (const [k, level] of want) {
      const [method, path] = k.split(' ');
      assert.equal(access.get(`${method} ${P}${path}`), level, `${method} ${P}${path}`);
    }
  });
});
