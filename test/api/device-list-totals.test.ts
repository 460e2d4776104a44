/**
 * What a client of GET /devices sees of the totals (issue 14's speed work): the kind chip's total
 * is exact from the counters; a common tag's stops at COUNT_CAP and says so in the body
 * (`total_exact: false`) and the headers (X-Total-Count-Exact: false); its last page is exact.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { COUNT_CAP } from '../../src/services/devices/list.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

describe(`REST /devices totals (${DIALECT})`, () => {
  let t: TestApp;
  const n = COUNT_CAP + 25;
  before(async () => {
    t = await buildTestApp();
    // Straight into the tables: a thousand devices through the API would take a minute.
    const at = '2026-01-01 00:00:00';
    const hosts = Array.from({ length: n }, (_, i) => ({ name: `dev-${String(i).padStart(5, '0')}`, kind: 'server', created_at: at, updated_at: at }));
    for (let i = 0; i < n; i += 200) await t.db('hosts').insert(hosts.slice(i, i + 200));
    const ids = ((await t.db('hosts').select('id')) as { id: number }[]).map((r) => r.id);
    for (let i = 0; i < n; i += 200) await t.db('device_tags').insert(ids.slice(i, i + 200).map((id) => ({ device_id: id, tag: 'lab', created_by: 'test' })));
  });
  after(() => t.cleanup());

  test('a kind chip is exact; a common tag is "at least COUNT_CAP" in body and headers; its last page is exact', async () => {
    const kind = await request(t.app).get('/devices?kind=server&limit=10').set(t.as.viewer);
    assert.equal(kind.status, 200, kind.text);
    assert.deepEqual([kind.body.total, kind.body.total_exact, kind.headers['x-total-count'], kind.headers['x-total-count-exact']], [n, true, String(n), undefined]);
    const tag = await request(t.app).get('/devices?tag=lab&limit=10').set(t.as.viewer);
    assert.equal(tag.status, 200, tag.text);
    assert.deepEqual([tag.body.items.length, tag.body.total, tag.body.total_exact, tag.headers['x-total-count'], tag.headers['x-total-count-exact']], [10, COUNT_CAP, false, String(COUNT_CAP), 'false']);
    const last = await request(t.app).get(`/devices?tag=lab&limit=10&offset=${n - 5}`).set(t.as.viewer);
    assert.deepEqual([last.body.items.length, last.body.total, last.body.total_exact, last.headers['x-total-count']], [5, n, true, String(n)]);
  });
});
