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

  test('a page of the list: caller, then the page\'s rows with tags and the counters\' total in one statement (2 statements)', async () => {
    const { res, sql } = await counted(() => request(t.app).get('/ip-assets').query({ limit: 50, offset: 5 }).set(t.as.editor));
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 50);
    assert.deepEqual(res.body[0].tags, []);
    assert.deepEqual(res.body[1].tags, ['db', 'web']);
    assert.equal(res.headers['x-total-count'], '60');
    assert.equal(sql.length, 2, sql.join('\n'));
    // In address order (10.50.0.6 … 10.50.0.55), as the two-step page was.
    assert.deepEqual((res.body as { ip_address: string }[]).map((a) => a.ip_address), Array.from({ length: 50 }, (_, i) => `10.50.0.${i + 6}`));
    // Past the end: no rows, and the total still comes (from the counters).
    const past = await request(t.app).get('/ip-assets').query({ limit: 50, offset: 500 }).set(t.as.editor);
    assert.deepEqual(past.body, []);
    assert.equal(past.headers['x-total-count'], '60');
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

  test('a page of hosts: caller, page with its total, the page\'s addresses (3 statements); past the end the total still comes', async () => {
    for (const name of ['h-a', 'h-b', 'h-c']) assert.equal((await request(t.app).post('/hosts').set(t.as.editor).send({ name, ...(name === 'h-b' ? { os_ip: '10.50.0.30' } : {}) })).status, 200);
    const { res, sql } = await counted(() => request(t.app).get('/hosts').query({ limit: 2, offset: 1, q: 'h-' }).set(t.as.editor));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual((res.body as { name: string; os_ips: string[] }[]).map((h) => [h.name, h.os_ips]), [['h-b', ['10.50.0.30']], ['h-c', []]]);
    assert.equal(res.headers['x-total-count'], '3');
    assert.equal(sql.length, 3, sql.join('\n'));
    const past = await request(t.app).get('/hosts').query({ limit: 2, offset: 5, q: 'h-' }).set(t.as.editor);
    assert.deepEqual(past.body, []);
    assert.equal(past.headers['x-total-count'], '3');
    // Unfiltered, the total is the table's count: the same 3 statements, and the same answer.
    const all = (await request(t.app).get('/hosts').query({ limit: 500 }).set(t.as.editor)).body as { name: string }[];
    const unfiltered = await counted(() => request(t.app).get('/hosts').query({ limit: 2, offset: 1 }).set(t.as.editor));
    assert.deepEqual((unfiltered.res.body as { name: string }[]).map((h) => h.name), all.slice(1, 3).map((h) => h.name));
    assert.equal(unfiltered.res.headers['x-total-count'], String(all.length));
    assert.equal(unfiltered.sql.length, 3, unfiltered.sql.join('\n'));
  });

  test('a create in a project with a tag: 8 statements on PostgreSQL (tag links and audit entry in one), BEGIN and COMMIT included', async () => {
    const { res, sql } = await counted(() => request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.50.1.1', type: 'VM', project_id: projectId, tags: ['web', 'db'] }));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.tags, ['db', 'web']);
    assert.ok(sql.length <= (DIALECT === 'pg' ? 8 : 10), `${sql.length} statements:\n${sql.join('\n')}`);
    // What was written is what was answered: the links, and one CREATE entry naming the project and tags.
    const { seen_by: _seenBy, ...stored } = (await request(t.app).get('/ip-assets/10.50.1.1').set(t.as.editor)).body as Record<string, unknown>;
    assert.deepEqual(stored, res.body);
    const history = (await request(t.app).get('/audit').query({ target_type: 'IP_ASSET', target_id: res.body.id }).set(t.as.editor)).body as { action: string; changes: string; username: string }[];
    assert.deepEqual(history.map((e) => e.action), ['CREATE']);
    assert.match(history[0]!.changes, /counted/);
    assert.match(history[0]!.changes, /tags: \+db \+web/);
    assert.equal(history[0]!.username, 'editor1');
  });

  test('a create with a tag new to the inventory and one that exists: both linked, the new tag created once', async () => {
    const { res } = await counted(() => request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.50.1.2', type: 'VM', tags: ['web', 'brand-new', 'web'] }));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.tags, ['brand-new', 'web']);
    assert.deepEqual((await request(t.app).get('/ip-assets/10.50.1.2').set(t.as.editor)).body.tags, ['brand-new', 'web']);
    assert.equal((await request(t.app).get('/ip-assets').query({ tags: 'brand-new' }).set(t.as.editor)).headers['x-total-count'], '1');
    const history = (await request(t.app).get('/audit').query({ target_type: 'IP_ASSET', target_id: res.body.id }).set(t.as.editor)).body as { action: string }[];
    assert.deepEqual(history.map((e) => e.action), ['CREATE']);
  });

  test('a notes edit of an asset in a project: at most 6 statements, BEGIN and COMMIT included; the answer is the row as stored', async () => {
    const { res, sql } = await counted(() => request(t.app).patch('/ip-assets/10.50.0.1').set(t.as.editor).send({ notes: 'edited' }));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.notes, 'edited');
    assert.deepEqual(res.body.tags, ['db', 'web']);
    // Caller, BEGIN, the locked row with its tags and project name, UPDATE, audit entry, COMMIT.
    assert.ok(sql.length <= 6, `${sql.length} statements:\n${sql.join('\n')}`);
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
