/** Bad input never answers 500: malformed JSON, wrong types, unknown fields, huge bodies, bad addresses, SQL-looking text, non-UTF-8. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { API_ROUTES } from '../../src/api/routes/index.js';
import { buildTestApp, type TestApp } from './app.js';

describe('bad input', () => {
  let t: TestApp;
  let ed: { Authorization: string };
  before(async () => {
    t = await buildTestApp();
    ed = t.as.editor;
    await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.7.0.1', type: 'VM' });
  });
  after(() => t.cleanup());

  const post = (body: string, type = 'application/json') => request(t.app).post('/ip-assets').set(ed).set('Content-Type', type).send(body);

  test('an unknown path or method answers 404 in the API JSON error shape, pointing at the docs', async () => {
    for (const [method, path] of [['get', '/nope'], ['delete', '/health'], ['post', '/ip-assets/10.0.0.1/nope']] as const) {
      const res = await request(t.app)[method](path).set(ed);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.match(res.headers['content-type'] ?? '', /application\/json/);
      assert.match(res.body.detail, new RegExp(`No such endpoint: ${method.toUpperCase()} ${path.replaceAll('.', '\\.')}.*/docs`));
    }
  });

  test('malformed JSON → 400; a JSON scalar → 400; an array → 422', async () => {
    assert.deepEqual([(await post('{"ip_address": ')).status, (await post('{bad')).body], [400, { detail: 'Malformed JSON body.' }]);
    assert.equal((await post('"just a string"')).status, 400);
    assert.equal((await post('[]')).status, 422);
  });

  test('wrong types and unknown fields → 422 naming the field', async () => {
    let res = await post(JSON.stringify({ ip_address: 42, type: 'VM' }));
    assert.deepEqual([res.status, res.body.detail[0].loc], [422, ['body', 'ip_address']]);
    res = await post(JSON.stringify({ ip_address: '10.7.0.2', type: 'VM', colour: 'red' }));
    assert.deepEqual([res.status, res.body.detail[0].loc, res.body.detail[0].type], [422, ['body', 'colour'], 'extra_forbidden']);
    res = await post(JSON.stringify({ ip_address: '10.7.0.2', type: 'VM', tags: [1, 2] }));
    assert.equal(res.status, 422);
    assert.equal(res.body.detail[0].loc[1], 'tags');
    res = await post(JSON.stringify({ ip_address: '10.7.0.2', type: 'VM', notes: 'x'.repeat(10_001) }));
    assert.deepEqual([res.status, res.body.detail[0].loc], [422, ['body', 'notes']]);
  });

  test('a body over the limit → 413', async () => {
    const res = await post(JSON.stringify({ ip_address: '10.7.0.3', type: 'VM', notes: 'x'.repeat(3 * 1024 * 1024) }));
    assert.deepEqual([res.status, res.body], [413, { detail: 'Request body is too large.' }]);
  });

  test('no JSON content type → 422 (no body), not a crash', async () => {
    assert.equal((await post('ip_address=10.7.0.4', 'application/x-www-form-urlencoded')).status, 422);
    assert.equal((await post('hello', 'text/plain')).status, 422);
  });

  test('invalid addresses and CIDRs', async () => {
    for (const ip of ['999.1.1.1', '10.0.0.1/24', 'fe80::1%eth0', '010.0.0.1', '1.2.3', '::ffff:999.0.0.1', ' ']) {
      const res = await post(JSON.stringify({ ip_address: ip, type: 'VM' }));
      assert.ok([400, 422].includes(res.status), `${ip}: ${res.status}`);
    }
    for (const cidr of ['10.0.0.0/33', '10.0.0.0', 'banana/8', '2001:db8::/129', '10.0.0.0/08']) {
      const res = await request(t.app).post('/ranges').set(ed).send({ name: 'r', cidr });
      assert.deepEqual([res.status, res.body.detail?.[0]?.loc], [422, ['body', 'cidr']], cidr);
    }
    assert.equal((await request(t.app).get('/ip-assets/%FF')).status, 400);
    assert.equal((await request(t.app).get('/ip-assets/10.7.0.1%2F24')).status, 400);
  });

  test('SQL-looking strings are data, never SQL', async () => {
    const name = "x'; DROP TABLE ip_assets; --";
    const res = await request(t.app).post('/projects').set(ed).send({ name });
    assert.deepEqual([res.status, res.body.name], [200, name]);
    assert.deepEqual((await request(t.app).get(`/ip-assets?q=${encodeURIComponent("' OR 1=1 --")}`)).body, []);
    assert.deepEqual((await request(t.app).get(`/ip-assets?q=${encodeURIComponent('%_\\')}`)).body, []);
    assert.equal((await request(t.app).get(`/ip-assets/${encodeURIComponent("1' OR '1'='1")}`)).status, 400);
    assert.equal((await request(t.app).get('/ip-assets?limit=1')).headers['x-total-count'], '1');
  });

  test('non-UTF-8 body → 400; another charset → 415; NUL characters → 422', async () => {
    const latin1 = Buffer.concat([Buffer.from('{"ip_address":"10.7.0.5","type":"VM","notes":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    assert.equal(await rawPost(t, '/ip-assets', latin1, 'application/json'), 400);
    assert.equal(await rawPost(t, '/ip-assets', latin1, 'application/json; charset=latin1'), 415);
    const res = await post(JSON.stringify({ ip_address: '10.7.0.5', type: 'VM', notes: 'a\u0000b' }));
    assert.deepEqual([res.status, res.body.detail[0].loc], [422, ['body', 'notes']]);
    assert.equal((await request(t.app).get('/ip-assets?q=a%00b')).status, 422);
  });

  test('ids out of range → 422, not a driver error', async () => {
    assert.equal((await request(t.app).get('/hosts/99999999999999')).status, 422);
    assert.equal((await request(t.app).get('/hosts/-1')).status, 422);
    const res = await post(JSON.stringify({ ip_address: '10.7.0.6', type: 'VM', project_id: 2 ** 40 }));
    assert.equal(res.status, 422);
  });

  test('every write route survives garbage bodies (generated from the route table)', async () => {
    const garbage: unknown[] = [{}, { name: 123 }, { name: null, cidr: [], ip_address: {}, type: 7 }, { asset_ids: ['a'] }, { username: '', password: 1, role: 'god' }, { id: 1, '__proto__': { x: 1 } }];
    for (const r of API_ROUTES.filter((x) => x.method !== 'get' && !/\/(login|logout)$/.test(x.path))) {
      const who = r.access === 'superuser' ? t.as.superuser : r.access === 'editor' ? ed : t.as.viewer;
      for (const body of garbage) {
        const url = r.path.replace(':ip', '10.7.0.1').replace(/:\w+/g, '1');
        const res = await request(t.app)[r.method](url).set(who).send(body as object);
        assert.ok(res.status < 500, `${r.method} ${url} ${JSON.stringify(body)} → ${res.status} ${res.text}`);
      }
    }
  });
});

/** Sends exact bytes (supertest would re-encode a Buffer as JSON); returns the status. */
async function rawPost(t: TestApp, path: string, body: Buffer, type: string): Promise<number> {
  const server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...t.as.editor, 'Content-Type': type, 'Content-Length': body.length } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
  } finally {
    server.close();
  }
}
