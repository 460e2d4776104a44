/** Text the databases cannot hold as UTF-8 is refused with 422 naming the field, like NUL, and stores nothing. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { buildTestApp, type TestApp } from './app.js';

describe('unpaired UTF-16 surrogates', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  // Written as JSON escapes: the bytes on the wire are valid UTF-8, the decoded string is not Unicode text.
  const post = (path: string, json: string) => request(t.app).post(path).set(t.as.editor).set('Content-Type', 'application/json').send(json);

  test('a lone high or low surrogate in a body field → 422 naming it; nothing is stored', async () => {
    for (const notes of ['a\\ud800b', '\\udfff', 'x\\ud83d']) {
      const res = await post('/ip-assets', `{"ip_address":"10.9.0.1","type":"VM","notes":"${notes}"}`);
      assert.equal(res.status, 422, `${notes}: ${res.text}`);
      assert.deepEqual(res.body.detail[0].loc, ['body', 'notes']);
      assert.match(res.body.detail[0].msg, /surrogate/);
    }
    const tag = await post('/ip-assets', '{"ip_address":"10.9.0.1","type":"VM","tags":["ok","bad\\ud800"]}');
    assert.deepEqual([tag.status, tag.body.detail?.[0]?.loc], [422, ['body', 'tags', 1]]);
    const host = await post('/hosts', '{"name":"srv\\udc00"}');
    assert.deepEqual([host.status, host.body.detail?.[0]?.loc], [422, ['body', 'name']]);
    assert.equal((await request(t.app).get('/ip-assets/10.9.0.1')).status, 404);
    assert.deepEqual((await request(t.app).get('/hosts')).body, []);
  });

  test('a proper surrogate pair (an emoji) is ordinary text and round-trips', async () => {
    const res = await post('/ip-assets', '{"ip_address":"10.9.0.2","type":"VM","notes":"rack \\ud83d\\ude80 A"}');
    assert.equal(res.status, 200, res.text);
    assert.equal((await request(t.app).get('/ip-assets/10.9.0.2')).body.notes, 'rack \u{1F680} A');
  });
});
