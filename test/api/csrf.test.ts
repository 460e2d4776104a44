/** Cookie-authenticated writes must be same-origin; imports take real upload types; GETs change nothing; refusals are 403. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, PASSWORD, type TestApp } from './app.js';

let t: TestApp;
const BUNDLE = JSON.stringify({ schema_version: '1', app: 'ipocket', data: { ip_assets: [{ ip_address: '10.66.0.1', type: 'VM' }] } });

async function panel(username: string) {
  const agent = request.agent(t.app);
  assert.equal((await agent.post('/ui/login').type('form').send({ username, password: PASSWORD })).status, 302);
  return agent;
}

describe(`same-origin writes with the panel cookie (${DIALECT})`, () => {
  let assetId: number;
  before(async () => {
    t = await buildTestApp();
    const res = await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.0.0.5', type: 'VM' });
    assetId = (res.body as { id: number }).id;
  });
  after(() => t.cleanup());

  const archived = async () => Boolean(((await t.db('ip_assets').where({ id: assetId }).first()) as { archived: unknown }).archived);

  test('a cookie write marked same-site or cross-site, or from another Origin, is 403; same-origin passes', async () => {
    const ed = await panel('editor1');
    for (const headers of [{ 'Sec-Fetch-Site': 'same-site' }, { 'Sec-Fetch-Site': 'cross-site' }, { Origin: 'http://127.0.0.1:1' }, { Origin: 'null' }]) {
      const res = await ed.post('/ip-assets').set(headers).send({ ip_address: '10.0.0.6', type: 'VM' });
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal((await ed.post('/ui/api/resources/tags/actions/new').set(headers).field('name', 'sneaky')).status, 403, `panel ${JSON.stringify(headers)}`);
      assert.equal((await ed.post('/ui/logout').set(headers)).status, 403);
    }
    assert.equal(await t.db('ip_assets').where({ ip_address: '10.0.0.6' }).first(), undefined);
    assert.equal((await ed.post('/ip-assets').set('Sec-Fetch-Site', 'same-origin').send({ ip_address: '10.0.0.7', type: 'VM' })).status < 300, true);
    assert.equal((await ed.post('/ip-assets').set('Host', 'ipocket.test:8000').set('Origin', 'http://ipocket.test:8000').send({ ip_address: '10.0.0.8', type: 'VM' })).status < 300, true);
  });

  test('bearer-token requests are unaffected by Origin and Fetch Metadata', async () => {
    const res = await request(t.app).post('/ip-assets').set(t.as.editor).set('Sec-Fetch-Site', 'cross-site').set('Origin', 'http://elsewhere.example').send({ ip_address: '10.0.0.9', type: 'VM' });
    assert.equal(res.status < 300, true, res.text);
  });

  test('imports refuse text/plain and form bodies (415) and take multipart or their raw types', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream']) {
      const res = await request(t.app).post('/import/bundle').set(t.as.editor).set('Content-Type', type).send(BUNDLE);
      assert.equal(res.status, 415, `${type}: ${res.text}`);
      assert.match(res.body.detail, /multipart\/form-data/);
    }
    assert.equal(await t.db('ip_assets').where({ ip_address: '10.66.0.1' }).first(), undefined);
    assert.equal((await request(t.app).post('/import/bundle?dry_run=1').set(t.as.viewer).set('Content-Type', 'application/json').send(BUNDLE)).status, 200);
    assert.equal((await request(t.app).post('/import/bundle?dry_run=1').set(t.as.viewer).attach('file', Buffer.from(BUNDLE), 'b.json')).status, 200);
  });

  test('GET of the archive record action shows the record and archives nothing; POST archives', async () => {
    const ed = await panel('editor1');
    const shown = await ed.get(`/ui/api/resources/ip_assets/records/${assetId}/archive`);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.record.params.ip_address, '10.0.0.5');
    assert.equal(await archived(), false);
    assert.equal((await ed.post(`/ui/api/resources/ip_assets/records/${assetId}/archive`).set('Sec-Fetch-Site', 'same-origin').field('x', '1')).status, 200);
    assert.equal(await archived(), true);
    await t.db('ip_assets').where({ id: assetId }).update({ archived: false });
  });

  test('a refused panel action answers 403 (not 200 with a notice)', async () => {
    const viewer = await panel('viewer1');
    for (const res of [
      await viewer.post('/ui/api/resources/tags/actions/new').field('name', 'nope'),
      await viewer.post(`/ui/api/resources/ip_assets/records/${assetId}/archive`).field('x', '1'),
      await viewer.post(`/ui/api/resources/ip_assets/records/${assetId}/delete`),
      await (await panel('super1')).get('/ui/api/resources/ip_assets/actions/new'),
      await viewer.get('/ui/api/resources/users/actions/list'),
    ]) {
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.notice.type, 'error');
    }
    assert.equal(await archived(), false);
  });

  test('logout is a POST: the API ends the panel session it is called with; GET /ui/logout only asks', async () => {
    const ed = await panel('editor1');
    assert.equal((await ed.get('/ui/logout')).status, 200);
    assert.equal((await ed.get('/ui/api/resources/ip_assets/actions/list')).status, 200, 'still logged in');
    assert.equal((await ed.post('/logout').set('Sec-Fetch-Site', 'same-origin')).status, 204);
    assert.equal((await ed.get('/ui/api/resources/ip_assets/actions/list')).headers.location, '/ui/login');
  });
});
