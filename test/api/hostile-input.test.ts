/** Hostile input answers 4xx with a message: deep nesting, oversized tag strings, bad export filters, non-decimal ids. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

let t: TestApp;
const nested = (n: number): string => '['.repeat(n) + ']'.repeat(n);

describe(`hostile input (${DIALECT})`, () => {
  let hostId: number;
  before(async () => {
    t = await buildTestApp();
    // Enough hosts that the ids the tricks decode to (16, 10, 5) exist.
    for (let i = 1; i <= 16; i++) {
      const res = await request(t.app).post('/hosts').set(t.as.editor).send({ name: `h-${i}` });
      assert.ok(res.status < 300, res.text);
      hostId = (res.body as { id: number }).id;
    }
    await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.9.0.1', type: 'VM' });
  });
  after(() => t.cleanup());

  test('JSON nested 100,000 deep → 400 with a message on every JSON surface, POST /login included', async () => {
    const body = nested(100_000);
    const calls = [
      request(t.app).post('/login'),
      request(t.app).post('/ip-assets').set(t.as.editor),
      request(t.app).patch(`/hosts/${hostId}`).set(t.as.editor),
      request(t.app).post('/connectors/configs').set(t.as.editor),
      request(t.app).post('/import/prometheus?dry_run=1').set(t.as.viewer),
    ];
    for (const [i, call] of calls.entries()) {
      const res = await call.set('Content-Type', 'application/json').send(body);
      assert.equal(res.status, 400, `call ${i}: ${res.text.slice(0, 200)}`);
      assert.match(JSON.stringify(res.body), /nest/i);
    }
    // Ordinary nesting still works.
    assert.equal((await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.9.0.2', type: 'VM', tags: ['a'] })).status < 300, true);
  });

  test('a bundle or an options field nested 100,000 deep → 400', async () => {
    const bundle = await request(t.app).post('/import/bundle?dry_run=1').set(t.as.viewer).attach('file', Buffer.from(`{"schema_version":"1","data":${nested(100_000)}}`), 'bundle.json');
    assert.equal(bundle.status, 400, bundle.text.slice(0, 200));
    assert.match(bundle.body.detail, /nest/);
    const opts = await request(t.app).post('/import/bundle?dry_run=1').set(t.as.viewer).field('options', nested(100_000)).attach('file', Buffer.from('{}'), 'bundle.json');
    assert.equal(opts.status, 400, opts.text.slice(0, 200));
  });

  test('Nmap XML with 200,000 nested elements → 400 naming the nesting', async () => {
    const xml = `<?xml version="1.0"?><nmaprun>${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</nmaprun>`;
    const res = await request(t.app).post('/import/nmap?dry_run=1').set(t.as.viewer).attach('file', Buffer.from(xml), 'scan.xml');
    assert.equal(res.status, 400, res.text.slice(0, 300));
    assert.match(res.body.detail, /nest more than 256 levels/);
  });

  test('a comma-separated tag string has the same limits as a list: 64 characters a name, 200 names', async () => {
    const long = await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.9.1.1', type: 'VM', tags: 'x'.repeat(1_048_576) });
    assert.equal(long.status, 422, long.text.slice(0, 200));
    assert.deepEqual(long.body.detail[0].loc, ['body', 'tags']);
    assert.match(long.body.detail[0].msg, /at most 64 characters/);
    assert.ok(long.text.length < 1000, 'the message does not echo the megabyte');
    const many = Array.from({ length: 2000 }, (_, i) => `t${i}`).join(',');
    for (const [path, body] of [
      ['/ip-assets', { ip_address: '10.9.1.2', type: 'VM', tags: many }],
      ['/ip-assets/bulk', { asset_ids: [1], add_tags: many }],
    ] as const) {
      const res = await request(t.app).post(path).set(t.as.editor).send(body);
      assert.equal(res.status, 422, `${path}: ${res.text.slice(0, 200)}`);
      assert.match(JSON.stringify(res.body.detail), /at most 200 tags/);
    }
    const listForm = await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.9.1.3', type: 'VM', tags: many.split(',') });
    assert.equal(listForm.status, 422);
    assert.equal((await t.db('tags').where('name', 'like', 'xxxx%').first()) ?? null, null, 'nothing was stored');
    assert.equal((await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.9.1.4', type: 'VM', tags: 'a, b ,c' })).status < 300, true);
  });

  test('export filters the database would refuse answer 422 before streaming', async () => {
    for (const q of ['project=%00', 'host=a%00b', 'project=99999999999999', 'host=99999999999']) {
      const res = await request(t.app).get(`/export/ip-assets.csv?${q}`).set(t.as.viewer);
      assert.equal(res.status, 422, `${q}: ${res.status} ${res.text.slice(0, 200)}`);
      assert.equal(res.body.detail[0].loc[0], 'query');
    }
    assert.equal((await request(t.app).get('/export/ip-assets.csv?project=unassigned').set(t.as.viewer)).status, 200);
  });

  test('path ids are decimal digits only: 0x10, 1e1, %205, +5 and 5.0 are 422', async () => {
    for (const id of ['0x10', '1e1', '%205', '+5', '5.0', '0', '-1', '2147483648']) {
      for (const path of [`/hosts/${id}`, `/import/runs/${id}`, `/connectors/configs/${id}`]) {
        const res = await request(t.app).get(path).set(t.as.superuser);
        assert.equal(res.status, 422, `${path}: ${res.status}`);
        assert.deepEqual(res.body.detail[0].loc.slice(0, 1), ['path']);
      }
    }
    assert.equal((await request(t.app).get(`/hosts/${hostId}`).set(t.as.viewer)).status, 200);
  });
});
