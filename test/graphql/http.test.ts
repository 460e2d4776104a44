/** /graphql over HTTP: who may call what, cross-site refusal, limits, and error codes (both databases). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, PASSWORD, type TestApp } from '../api/app.js';
import { codeOf, gql } from './client.js';

describe(`GraphQL over HTTP (${DIALECT})`, () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    assert.equal((await request(t.app).post('/projects').set(t.as.editor).send({ name: 'core' })).status, 200);
  });
  after(() => t.cleanup());

  test('an anonymous reader reads the catalog (reads are open, as on REST)', async () => {
    const a = await gql(t.app, '{ projects { name ipCount } }');
    assert.equal(a.status, 200, a.text);
    assert.deepEqual(a.data, { projects: [{ name: 'core', ipCount: 0 }] });
  });

  test('the audit log needs a login: anonymous gets code unauthorized, a viewer reads it', async () => {
    const anon = await gql(t.app, '{ auditLog(limit: 5) { total items { action targetType } } }');
    assert.equal(codeOf(anon), 'unauthorized', anon.text);
    assert.equal(anon.errors?.[0]?.extensions?.status, 401);
    assert.equal(anon.data, null);
    const viewer = await gql(t.app, '{ auditLog(limit: 5) { total items { action targetType targetLabel } } }', undefined, t.as.viewer);
    assert.equal(viewer.errors, undefined, viewer.text);
    assert.ok((viewer.data!.auditLog as { items: { targetLabel: string }[] }).items.some((i) => i.targetLabel === 'core'));
  });

  test('bad input is a validation_error naming the field and the reason, never an internal error', async () => {
    const a = await gql(t.app, '{ ipAssets(limit: 5000) { total } }');
    assert.equal(codeOf(a), 'validation_error', a.text);
    const issue = a.errors![0]!.extensions!.issues![0]!;
    assert.deepEqual(issue.loc, ['query', 'limit']);
    assert.match(issue.msg, /1000/);
    const id = await gql(t.app, '{ project(id: "abc") { name } }');
    assert.equal(codeOf(id), 'validation_error', id.text);
    assert.deepEqual(id.errors![0]!.extensions!.issues![0]!.loc, ['id']);
    const missing = await gql(t.app, '{ project(id: "987654") { name } }');
    assert.equal(codeOf(missing), 'not_found', missing.text);
    assert.equal(missing.errors![0]!.message, 'Project 987654 not found.');
  });

  test('a query nested too deep is refused before it runs, with a clear message', async () => {
    const deep = '{ ipAssets { items { host { id } project { id } } } __typename }';
    assert.equal((await gql(t.app, deep)).errors, undefined);
    // __type → fields → type → fields → type → … is a legal schema walk that only depth stops.
    const tooDeep = '{ ipAssets { items { project { id } } } a: __type(name: "IPAsset") { fields { type { fields { type { fields { type { fields { name } } } } } } } } }';
    const a = await gql(t.app, tooDeep);
    assert.equal(a.status, 200, a.text); // GraphQL over HTTP answers application/json requests 200, with errors and no data
    assert.match(a.errors![0]!.message, /^Query depth limit of 8 exceeded, found \d+\.$/);
    assert.equal(codeOf(a), 'query_too_deep');
    assert.equal(a.data, undefined);
  });

  test('too many aliases and a too costly query are refused with clear messages', async () => {
    const aliases = `{ ${Array.from({ length: 25 }, (_, i) => `p${i}: projects { id }`).join(' ')} }`;
    const a = await gql(t.app, aliases);
    assert.equal(a.data, undefined, a.text);
    assert.match(a.errors![0]!.message, /^Aliases limit of 20 exceeded, found 25\.$/);
    assert.equal(codeOf(a), 'too_many_aliases');
    const fields = 'id ipAddress type notes archived tags lastSeenAt createdAt updatedAt project { id name color description ipCount } host { id name vendor notes }';
    const costly = `{ ${Array.from({ length: 16 }, (_, i) => `q${i}: ipAssets { items { ${fields} } }`).join(' ')} }`;
    const c = await gql(t.app, costly);
    assert.equal(c.data, undefined, c.text);
    assert.match(c.errors![0]!.message, /^Query Cost limit of 1000 exceeded, found \d+\.$/);
    assert.equal(codeOf(c), 'query_too_costly');
  });

  test('with IPOCKET_REQUIRE_LOGIN_FOR_READ=1 an anonymous caller gets 401 before any parsing; a bearer token passes', async () => {
    const closed = await buildTestApp({ IPOCKET_REQUIRE_LOGIN_FOR_READ: '1' });
    try {
      const anon = await request(closed.app).post('/graphql').send({ query: '{ projects { name } }' });
      assert.deepEqual([anon.status, anon.body], [401, { detail: 'Unauthorized' }]);
      const bad = await request(closed.app).post('/graphql').set('Authorization', 'Bearer nope').send({ query: '{ projects { name } }' });
      assert.equal(bad.status, 401);
      const ok = await gql(closed.app, '{ projects { name } }', undefined, closed.as.viewer);
      assert.deepEqual(ok.data, { projects: [] });
    } finally {
      await closed.cleanup();
    }
  });

  test('the panel session works too; a cross-site POST with it is refused (403) and no CORS header lets another origin read', async () => {
    const agent = request.agent(t.app);
    assert.equal((await agent.post('/ui/login').type('form').send({ username: 'viewer1', password: PASSWORD })).status, 302);
    const same = await agent.post('/graphql').set('Sec-Fetch-Site', 'same-origin').send({ query: '{ auditLog(limit: 1) { total } }' });
    assert.equal(same.status, 200, same.text);
    assert.equal((same.body as { errors?: unknown }).errors, undefined, same.text);
    for (const headers of [{ 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' }, { Origin: 'http://evil.example' }]) {
      const res = await agent.post('/graphql').set(headers).set('Content-Type', 'text/plain').send(JSON.stringify({ query: '{ auditLog(limit: 1) { total } }' }));
      assert.equal(res.status, 403, JSON.stringify(headers));
    }
    const pre = await request(t.app).options('/graphql').set('Origin', 'http://evil.example').set('Access-Control-Request-Method', 'POST');
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
    const read = await agent.get('/graphql').query({ query: '{ projects { name } }' }).set('Origin', 'http://evil.example');
    assert.equal(read.headers['access-control-allow-origin'], undefined);
    assert.equal(read.headers['access-control-allow-credentials'], undefined);
  });

  test('a mutation with the panel cookie runs from our origin only: cross-site it is 403 and writes nothing', async () => {
    const agent = request.agent(t.app);
    assert.equal((await agent.post('/ui/login').type('form').send({ username: 'editor1', password: PASSWORD })).status, 302);
    const create = (name: string) => JSON.stringify({ query: `mutation { createIPPool(input: { poolName: "${name}", poolType: IPV4_PRIVATE, networkCidr: "10.77.0.0/24" }) { poolName } }` });
    for (const headers of [{ 'Sec-Fetch-Site': 'cross-site' }, { Origin: 'http://evil.example' }]) {
      const res = await agent.post('/graphql').set(headers).set('Content-Type', 'application/json').send(create('csrf'));
      assert.equal(res.status, 403, JSON.stringify(headers));
    }
    assert.equal(await t.db('ranges').where({ name: 'csrf' }).first(), undefined);
    const ok = await agent.post('/graphql').set('Sec-Fetch-Site', 'same-origin').set('Content-Type', 'application/json').send(create('same-origin'));
    assert.deepEqual(ok.body, { data: { createIPPool: { poolName: 'same-origin' } } });
  });

  test('a mutation over GET is refused (reads only there)', async () => {
    const res = await request(t.app).get('/graphql').query({ query: 'mutation { __typename }' }).set('Accept', 'application/json');
    assert.equal(res.status, 405, res.text);
  });

  test('GET /graphql from a browser is GraphiQL, served from here; its assets are ours', async () => {
    const page = await request(t.app).get('/graphql').set('Accept', 'text/html');
    assert.equal(page.status, 200);
    assert.match(page.text, /<script src="\/graphql\/assets\/graphiql.js">/);
    assert.doesNotMatch(page.text, /https?:\/\//);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    const js = await request(t.app).get('/graphql/assets/graphiql.js');
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.equal((await request(t.app).get('/graphql/assets/nope.js')).status, 404);
  });
});
