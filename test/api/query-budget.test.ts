/**
 * Statements per request on the load test's busiest routes. Each statement is a round trip to
 * PostgreSQL, and under load those round trips, not the lookups, were what the server's one
 * thread spent its time on: an asset comes with its tags in the same query, a new asset's tags
 * need no delete, and a change description reads each project/host name once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { statementCounter } from '../helpers/statements.js';
import { buildTestApp, type TestApp } from './app.js';

describe(`statements per request (${DIALECT})`, () => {
  let t: TestApp;
  let counter: ReturnType<typeof statementCounter>;
  /** The statements one request ran (the session lookup included), and its answer. */
  const counted = (send: () => request.Test) => counter.counted(send);
  let projectId: number;
  before(async () => {
    t = await buildTestApp();
    projectId = (await request(t.app).post('/projects').set(t.as.editor).send({ name: 'counted' })).body.id;
    for (let i = 1; i <= 60; i++) {
      const res = await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: `10.50.0.${i}`, type: 'VM', project_id: projectId, tags: i % 2 ? ['web', 'db'] : [] });
      assert.equal(res.status, 200, res.text);
    }
    counter = statementCounter(t.db);
  });
  after(async () => {
    counter.stop();
    await t.cleanup();
  });

  test('one asset: the caller, the asset with its tags, and the sources that see it (3 statements)', async () => {
    const { res, sql } = await counted(() => request(t.app).get('/ip-assets/10.50.0.3').set(t.as.editor));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.tags, ['db', 'web']);
    assert.deepEqual(res.body.seen_by, []);
    assert.equal(sql.length, 3, sql.join('\n'));
  });

  test('an archived or unknown address: 404 from the caller and the asset alone, no sightings read (2 statements)', async () => {
    assert.equal((await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.50.2.1', type: 'VM' })).status, 200);
    assert.equal((await request(t.app).post('/ip-assets/10.50.2.1/archive').set(t.as.editor)).status, 204);
    for (const ip of ['10.50.2.1', '10.50.9.9']) {
      const { res, sql } = await counted(() => request(t.app).get(`/ip-assets/${ip}`).set(t.as.editor));
      assert.equal(res.status, 404, res.text);
      assert.equal(sql.filter((q) => q.includes('ip_asset_sightings')).length, 0, sql.join('\n'));
      assert.equal(sql.length, 2, sql.join('\n'));
    }
    // The sightings route still answers for an archived address.
    assert.equal((await request(t.app).get('/ip-assets/10.50.2.1/seen-by').set(t.as.editor)).status, 200);
  });

  test('a page of the list: caller, page with the counters\' total, rows with tags (3 statements)', async () => {
    const { res, sql } = await counted(() => request(t.app).get('/ip-assets').query({ limit: 50, offset: 5 }).set(t.as.editor));
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 50);
    assert.deepEqual(res.body[0].tags, []);
    assert.deepEqual(res.body[1].tags, ['db', 'web']);
    assert.equal(res.headers['x-total-count'], '60');
    assert.equal(sql.length, 3, sql.join('\n'));
  });

  test('a text search: caller, matches counted with their page in one statement on PostgreSQL, rows with tags', async () => {
    await request(t.app).patch('/ip-assets/10.50.0.7').set(t.as.editor).send({ notes: 'team-7 rack' });
    await request(t.app).patch('/ip-assets/10.50.0.9').set(t.as.editor).send({ notes: 'Team-7' });
    for (const [query, ips] of [
      [{ q: 'team-7', limit: 1 }, ['10.50.0.7']],
      [{ q: 'team-7', limit: 50 }, ['10.50.0.7', '10.50.0.9']],
      [{ q: 'team-7', limit: 1, offset: 5 }, []],
    ] as const) {
      const { res, sql } = await counted(() => request(t.app).get('/ip-assets').query(query).set(t.as.editor));
      assert.equal(res.status, 200);
      assert.deepEqual((res.body as { ip_address: string }[]).map((a) => a.ip_address), ips);
      assert.equal(res.headers['x-total-count'], '2');
      // SQLite: the counters, a capped count of the walk, then its page; an empty page reads no rows.
      const expected = (DIALECT === 'pg' ? 2 : 4) + Math.min(1, ips.length);
      assert.equal(sql.length, expected, sql.join('\n'));
    }
  });

  test('a create in a project with a tag: at most 10 statements, BEGIN and COMMIT included', async () => {
    const { res, sql } = await counted(() => request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.50.1.1', type: 'VM', project_id: projectId, tags: ['web'] }));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.tags, ['web']);
    assert.ok(sql.length <= 10, `${sql.length} statements:\n${sql.join('\n')}`);
  });

  test('a notes edit: at most 7 statements, BEGIN and COMMIT included; the answer is the row as stored', async () => {
    const { res, sql } = await counted(() => request(t.app).patch('/ip-assets/10.50.0.1').set(t.as.editor).send({ notes: 'edited' }));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.notes, 'edited');
    assert.deepEqual(res.body.tags, ['db', 'web']);
    assert.ok(sql.length <= 7, `${sql.length} statements:\n${sql.join('\n')}`);
    // The answer is built from the locked row and the change, not read back: it must equal a fresh read.
    // (The read adds the sources that see the address, `seen_by`; an edit does not change them.)
    const fresh = async () => {
      const { seen_by: _seenBy, ...asset } = (await request(t.app).get('/ip-assets/10.50.0.1').set(t.as.editor)).body as Record<string, unknown>;
      return asset;
    };
    assert.deepEqual(await fresh(), res.body);
    const retagged = await request(t.app).patch('/ip-assets/10.50.0.1').set(t.as.editor).send({ tags: ['zz', 'db'], project_id: null, type: 'OS' });
    assert.equal(retagged.status, 200, retagged.text);
    assert.deepEqual(await fresh(), retagged.body);
    const history = await request(t.app).get('/audit').query({ target_type: 'IP_ASSET', target_id: res.body.id }).set(t.as.editor);
    assert.match(JSON.stringify(history.body), /edited/);
  });
});
