/**
 * Fuzz over every route of the route table (imports, exports and connector configurations
 * included): hostile bodies, query strings and path parameters, as every role. No answer may be
 * a 5xx. The corpus is generated from a fixed seed (fast-check is not a dependency), so a failure
 * reproduces; IPOCKET_FUZZ_SEED picks another one. Bounded: a few thousand requests, under 60 s.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import type { z } from 'zod';
import { openApiPath, type RouteSpec } from '../../src/api/route-table.js';
import { API_ROUTES } from '../../src/api/routes/index.js';
import { prng } from '../../bench/dataset.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

const SEED = Number(process.env.IPOCKET_FUZZ_SEED ?? 20261201);
const CASES_PER_ROUTE_AND_ROLE = 5;

const nested = (n: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

const STRINGS = [
  '', ' ', 'a', 'x'.repeat(70), 'y'.repeat(100_000), '\u0000', 'a\u0000b', '\ud800', '\udfff', '😀', 'é', 'ＡＢＣ', '10.0.0.1', '::1', '::ffff:10.0.0.1',
  '256.256.256.256', '10.0.0.0/8', '10.0.0.1/33', '2001:db8::/129', 'fe80::1%eth0', '0x10', '1e1', '-1', '0', '2147483648', '99999999999999999999',
  "' OR 1=1 --", '"; DROP TABLE users; --', '<script>alert(1)</script>', '../../etc/passwd', '%00', '%', 'a,b,c', Array.from({ length: 300 }, (_, i) => `t${i}`).join(','),
  'VM', 'vm', 'IPMI_iLO', 'BMC', 'prod', '*/5 * * * *', 'true', 'null', 'unassigned', 'NaN', 'Infinity',
];
const VALUES: unknown[] = [
  ...STRINGS, null, true, false, 0, -1, 1, 1.5, -0, 1e308, 2 ** 31, 2 ** 53 + 1, Number.MIN_SAFE_INTEGER,
  [], [1, 2], ['a', 'b'], [null], Array.from({ length: 1000 }, (_, i) => i + 1), {}, { a: 1 }, { __proto__: { polluted: 1 } }, { constructor: { prototype: { x: 1 } } },
  nested(30), nested(63, {}), nested(200),
];
const RAW_BODIES: { type: string; body: string | Buffer }[] = [
  { type: 'application/json', body: '' },
  { type: 'application/json', body: '{' },
  { type: 'application/json', body: 'null' },
  { type: 'application/json', body: '"text"' },
  { type: 'application/json', body: '[]' },
  { type: 'application/json', body: '[[[[' },
  { type: 'application/json', body: '['.repeat(100_000) + ']'.repeat(100_000) },
  { type: 'application/json', body: '{"a":' + '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_001) },
  { type: 'application/json', body: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}' },
  { type: 'application/json', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  { type: 'application/json; charset=utf-16', body: '{}' },
  { type: 'text/plain', body: '{"ip_address":"10.0.0.1","type":"VM"}' },
  { type: 'application/x-www-form-urlencoded', body: 'a=1&a=2&b[c]=d' },
  { type: 'application/xml', body: '<a><b></a>' },
];
const PATH_VALUES = ['0', '-1', '0x10', '1e1', ' 5', '+5', '5.0', '%00', '%ff', '%E2%82', '..', 'a'.repeat(5000), '99999999999999999999', '2147483647', '2147483648', '10.0.0.1', '::1', '1000', '1001', 'fe80::1%25eth0', '%F0%9F%98%80', 'null', 'undefined'];

/** Field names a schema documents (objects, also inside pipes/refinements), to aim values at real fields. */
function fieldsOf(schema: z.ZodType | undefined): string[] {
  let s = schema as unknown as { shape?: Record<string, unknown>; _zod?: { def?: { in?: unknown; innerType?: unknown; schema?: unknown } } } | undefined;
  for (let i = 0; i < 5 && s; i++) {
    if (s.shape) return Object.keys(s.shape);
    const def = s._zod?.def;
    s = (def?.in ?? def?.innerType ?? def?.schema) as typeof s;
  }
  return [];
}

interface Target {
  method: RouteSpec['method'];
  path: string;
  bodyFields: string[];
  queryFields: string[];
}

/**
 * The route table, with the import route aimed at its real plugins (a random name is a 404).
 * Connector runs are left out: they call URLs (an ad-hoc one through /import/<connector> too).
 */
const SKIP = new Set(['POST /logout', 'POST /connectors/configs/:id/run', 'POST /import/:plugin']);
const TARGETS: Target[] = [
  ...API_ROUTES.filter((r) => !SKIP.has(`${r.method.toUpperCase()} ${r.path}`)).map((r) => ({ method: r.method, path: r.path, bodyFields: fieldsOf(r.body), queryFields: fieldsOf(r.query) })),
  ...(
    [
      ['post', '/import/bundle', ['file', 'options'], ['dry_run', 'changes', 'file_name']],
      ['post', '/import/csv', ['hosts', 'ip_assets', 'options'], ['dry_run', 'changes', 'file_name']],
      ['post', '/import/nmap', ['file', 'options'], ['dry_run', 'changes', 'type', 'project']],
    ] as const
  ).map(([method, path, bodyFields, queryFields]) => ({ method, path, bodyFields: [...bodyFields], queryFields: [...queryFields] })),
];

describe(`fuzz: every route, hostile input, every role (${DIALECT})`, () => {
  let t: TestApp;
  const protectedIds = new Set<string>();
  before(async () => {
    t = await buildTestApp();
    // Some real rows, so valid-looking ids and addresses reach the deeper code paths.
    const ed = t.as.editor;
    const project = await request(t.app).post('/projects').set(ed).send({ name: 'fuzz-project' });
    await request(t.app).post('/hosts').set(ed).send({ name: 'fuzz-host', os_ip: '10.0.0.1' });
    await request(t.app).post('/ranges').set(ed).send({ name: 'fuzz-range', cidr: '10.0.0.0/24' });
    await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.2', type: 'VM', project_id: project.body.id, tags: ['prod'] });
    // The test's own users must keep their tokens: their ids are never fuzzed into /users paths.
    for (const id of Object.values(t.ids)) protectedIds.add(String(id));
  });
  after(() => t.cleanup());

  test('no request answers 5xx', { timeout: 600_000 }, async () => {
    const rand = prng(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    const roles = [null, 'viewer', 'editor', 'superuser'] as const;
    const failures: string[] = [];
    const started = Date.now();
    let sent = 0;
    const realIds = ['1', '2', '3'];

    for (const target of TARGETS) {
      for (const role of roles) {
        for (let c = 0; c < CASES_PER_ROUTE_AND_ROLE; c++) {
          const path = target.path.replace(/:(\w+)/g, (_m, name: string) => {
            let v = rand() < 0.3 ? pick(realIds) : pick(PATH_VALUES);
            if (target.path.startsWith('/users') && protectedIds.has(v)) v = '1000';
            if (name === 'ip' && rand() < 0.3) v = pick(['10.0.0.2', '10.0.0.99', '::1', '2001:db8::1']);
            if (name === 'file' && rand() < 0.5) v = pick(['ip-assets.csv', 'hosts.json', 'bundle.zip', 'bundle.csv', 'tags.zip']);
            return /%|^[\w.:-]*$/.test(v) && !v.includes(' ') ? v.replace(/^(?!.*%)(.*)$/, (s) => encodeURIComponent(s)) : encodeURIComponent(v);
          });
          const query: Record<string, string | string[]> = {};
          const qFields = [...target.queryFields, 'limit', 'offset', 'q', 'zz'];
          for (let i = Math.floor(rand() * 4); i > 0; i--) {
            const key = pick(qFields);
            const value = String(pick(STRINGS)).slice(0, 2000);
            query[key] = rand() < 0.2 ? [value, String(pick(STRINGS)).slice(0, 200)] : value;
          }
          const qs = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString();
          let req = request(t.app)[target.method](`${path}${qs ? `?${qs}` : ''}`);
          if (role) req = req.set(t.as[role]);
          if (target.method !== 'get') {
            const mode = rand();
            if (mode < 0.25) {
              const raw = pick(RAW_BODIES);
              req = req.set('Content-Type', raw.type).send(raw.body);
            } else if (mode < 0.35 && target.path.startsWith('/import/')) {
              req = req.field('options', String(pick(STRINGS)).slice(0, 5000)).attach(pick(target.bodyFields.length ? target.bodyFields : ['file']), Buffer.from(String(pick(STRINGS))), pick(['bundle.json', 'b.zip', 'x.csv', 'scan.xml']));
            } else {
              const body: Record<string, unknown> = {};
              const fields = [...target.bodyFields, 'extra_field'];
              for (let i = 1 + Math.floor(rand() * 4); i > 0; i--) body[pick(fields)] = pick(VALUES);
              req = req.send(rand() < 0.1 ? [body] : body);
            }
          }
          const res = await req;
          sent++;
          if (res.status >= 500) failures.push(`${role ?? 'anonymous'} ${target.method.toUpperCase()} ${openApiPath(target.path)} → ${res.status} ${res.text.slice(0, 200)} [${path}?${qs.slice(0, 200)}]`);
        }
      }
    }
    const ms = Date.now() - started;
    console.log(`fuzz: ${sent} requests over ${TARGETS.length} routes × ${roles.length} roles in ${ms} ms (seed ${SEED}); ${failures.length} × 5xx`);
    assert.deepEqual(failures.slice(0, 20), []);
  });

  test('POST /logout with junk still answers 204 or 401', async () => {
    const login = await request(t.app).post('/login').send({ username: 'viewer1', password: 'correct-horse-battery' });
    for (const raw of RAW_BODIES) {
      const res = await request(t.app).post('/logout').set('Authorization', `Bearer ${login.body.access_token}`).set('Content-Type', raw.type).send(raw.body);
      assert.ok(res.status < 500, `${raw.type}: ${res.status}`);
    }
  });
});
