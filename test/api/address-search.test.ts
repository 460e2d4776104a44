import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { AssetsService } from '../../src/services/assets/service.js';
import { countAssets } from '../../src/services/assets/stream.js';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { formatTimestamp } from '../../src/domain/time.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

const daysAgo = (n: number): string => formatTimestamp(new Date(Date.now() - n * 86_400_000));

/** The IP list search (CIDR, address prefix, host name) and last_seen_at, through the REST API. */
describe(`IP list search and last seen (${DIALECT})`, () => {
  let t: TestApp;
  let ed: { Authorization: string };
  let rangeId: number;
  const ips = (res: request.Response): string[] => (res.body as { ip_address: string }[]).map((a) => a.ip_address);
  before(async () => {
    t = await buildTestApp();
    ed = t.as.editor;
    const host = (await request(t.app).post('/hosts').set(ed).send({ name: 'web-01' })).body as { id: number };
    const db = (await request(t.app).post('/hosts').set(ed).send({ name: 'db-01' })).body as { id: number };
    for (const [ip, extra] of [
      ['10.20.0.11', { type: 'OS', host_id: host.id }],
      ['10.20.0.12', { type: 'VM', notes: 'cache' }],
      ['10.20.1.5', { type: 'VM', host_id: db.id }],
      ['10.2.0.1', { type: 'VM' }],
      ['110.20.0.1', { type: 'VM', notes: 'not 10.20.0.x' }],
      ['2001:db8:20::1', { type: 'VM' }],
    ] as const) {
      const res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: ip, ...extra });
      assert.equal(res.status, 200, res.text);
    }
    rangeId = (await request(t.app).post('/ranges').set(ed).send({ name: 'lab', cidr: '10.20.0.0/16' })).body.id;
    await t.db('ip_assets').where({ ip_address: '10.20.0.11' }).update({ last_seen_at: daysAgo(40) });
    await t.db('ip_assets').where({ ip_address: '10.20.0.12' }).update({ last_seen_at: daysAgo(2) });
    await t.db('ip_assets').where({ ip_address: '10.20.1.5' }).update({ last_seen_at: daysAgo(10) });
  });
  after(() => t.cleanup());

  test('q=<CIDR> lists the addresses inside it, paged and streamed', async () => {
    let res = await request(t.app).get('/ip-assets').query({ q: '10.20.0.0/24', limit: 20 });
    assert.equal(res.status, 200);
    assert.deepEqual(ips(res), ['10.20.0.11', '10.20.0.12']);
    assert.equal(res.headers['x-total-count'], '2');
    res = await request(t.app).get('/ip-assets').query({ q: '10.20.0.0/24' });
    assert.deepEqual(ips(res), ['10.20.0.11', '10.20.0.12']);
    res = await request(t.app).get('/ip-assets').query({ q: '2001:db8:20::/48', limit: 20 });
    assert.deepEqual(ips(res), ['2001:db8:20::1']);
  });

  test('q=<address prefix> matches addresses that start so (not "110.20.0.1", not notes)', async () => {
    let res = await request(t.app).get('/ip-assets').query({ q: '10.20.0.', limit: 20 });
    assert.deepEqual(ips(res), ['10.20.0.11', '10.20.0.12']);
    res = await request(t.app).get('/ip-assets').query({ q: '10.2', limit: 20 });
    assert.deepEqual(ips(res), ['10.2.0.1', '10.20.0.11', '10.20.0.12', '10.20.1.5']);
    res = await request(t.app).get('/ip-assets').query({ q: '2001:db8:2', limit: 20 });
    assert.deepEqual(ips(res), ['2001:db8:20::1']);
  });

  test('q=<host name> finds the addresses of that host; notes still match', async () => {
    let res = await request(t.app).get('/ip-assets').query({ q: 'web-01', limit: 20 });
    assert.deepEqual(ips(res), ['10.20.0.11']);
    res = await request(t.app).get('/ip-assets').query({ q: 'db-0' });
    assert.deepEqual(ips(res), ['10.20.1.5']);
    res = await request(t.app).get('/ip-assets').query({ q: 'cache', limit: 20 });
    assert.deepEqual(ips(res), ['10.20.0.12']);
  });

  test('text search ignores case in notes and host names, walked and index-driven', async () => {
    const walked = async (q: string): Promise<string[]> => ips(await request(t.app).get('/ip-assets').query({ q, limit: 20 }));
    const driven = new AssetsService({ db: t.db, actor: SYSTEM_ACTOR }, { walkLimit: 0 });
    const indexed = async (q: string): Promise<string[]> => (await driven.list({ limit: 20, q })).items.map((a) => a.ip_address);
    for (const list of [walked, indexed]) {
      assert.deepEqual(await list('CACHE'), ['10.20.0.12']);
      assert.deepEqual(await list('Web-01'), ['10.20.0.11']);
      assert.deepEqual(await list('DB-0'), ['10.20.1.5']);
    }
  });

  test('the index-driven (candidate) path gives the same answers', async () => {
    // walkLimit 0: the planner never walks, it drives the page from the trigram/host/last-seen indexes.
    const assets = new AssetsService({ db: t.db, actor: SYSTEM_ACTOR }, { walkLimit: 0 });
    const list = async (q: Record<string, unknown>): Promise<string[]> => (await assets.list({ limit: 20, ...q })).items.map((a) => a.ip_address);
    assert.deepEqual(await list({ q: 'web-01' }), ['10.20.0.11']);
    assert.deepEqual(await list({ q: 'cache' }), ['10.20.0.12']);
    assert.deepEqual(await list({ q: '10.20.0.0/24' }), ['10.20.0.11', '10.20.0.12']);
    assert.deepEqual(await list({ not_seen_days: 7 }), ['10.20.0.11', '10.20.1.5']);
  });

  test('a text search pages and counts every live match: address, notes in any case, host name', async () => {
    const host = (await request(t.app).post('/hosts').set(ed).send({ name: 'rack-77-sw' })).body as { id: number };
    for (const [ip, extra] of [
      ['10.30.0.1', { type: 'VM', notes: 'in rack-77' }],
      ['10.30.0.2', { type: 'OS', notes: 'RACK-77 top' }],
      ['10.30.0.3', { type: 'OS', host_id: host.id }],
      ['10.30.0.4', { type: 'VM', notes: 'rack-77, retired' }],
      ['10.30.0.5', { type: 'VM', notes: 'rack-78' }],
    ] as const) {
      assert.equal((await request(t.app).post('/ip-assets').set(ed).send({ ip_address: ip, ...extra })).status, 200);
    }
    assert.equal((await request(t.app).post('/ip-assets/10.30.0.4/archive').set(ed)).status, 204);
    // A full page of one: the total comes from the count, not from the page.
    let res = await request(t.app).get('/ip-assets').query({ q: 'rack-77', limit: 1 });
    assert.deepEqual(ips(res), ['10.30.0.1']);
    assert.equal(res.headers['x-total-count'], '3');
    res = await request(t.app).get('/ip-assets').query({ q: 'Rack-77', limit: 1, offset: 2 });
    assert.deepEqual(ips(res), ['10.30.0.3']);
    assert.equal(res.headers['x-total-count'], '3');
    res = await request(t.app).get('/ip-assets').query({ q: 'rack-77', type: 'OS', limit: 1 });
    assert.equal(res.headers['x-total-count'], '2');
    res = await request(t.app).get('/ip-assets').query({ q: 'rack-77', archived: 'archived', limit: 1 });
    assert.deepEqual(ips(res), ['10.30.0.4']);
    res = await request(t.app).get('/ip-assets').query({ q: '10.30.0', limit: 1 });
    assert.equal(res.headers['x-total-count'], '4');
  });

  test('a text search matching an asset twice (notes and host) counts it once; pages past the end and the cap keep the total', async () => {
    const host = (await request(t.app).post('/hosts').set(ed).send({ name: 'edge-9' })).body as { id: number };
    for (const [ip, extra] of [
      ['2001:db8:40::1', { type: 'VM', notes: 'edge-9' }],
      ['10.40.0.4', { type: 'VM', notes: 'EDGE-99' }],
      ['10.40.0.1', { type: 'OS', notes: 'edge-9 spare', host_id: host.id }],
      ['10.40.0.2', { type: 'OS', host_id: host.id }],
      ['10.40.0.3', { type: 'VM', notes: 'Edge-9', tags: ['edge'] }],
      ['10.40.0.5', { type: 'VM', notes: 'edge-9' }],
      ['10.40.0.6', { type: 'VM', notes: 'edge-8' }],
    ] as const) {
      assert.equal((await request(t.app).post('/ip-assets').set(ed).send({ ip_address: ip, ...extra })).status, 200);
    }
    assert.equal((await request(t.app).post('/ip-assets/10.40.0.5/archive').set(ed)).status, 204);
    const all = ['10.40.0.1', '10.40.0.2', '10.40.0.3', '10.40.0.4', '2001:db8:40::1'];
    let res = await request(t.app).get('/ip-assets').query({ q: 'edge-9', limit: 50 });
    assert.deepEqual(ips(res), all);
    assert.equal(res.headers['x-total-count'], '5');
    res = await request(t.app).get('/ip-assets').query({ q: 'edge-9', limit: 2, offset: 2 });
    assert.deepEqual(ips(res), all.slice(2, 4));
    assert.equal(res.headers['x-total-count'], '5');
    res = await request(t.app).get('/ip-assets').query({ q: 'edge-9', limit: 2, offset: 10 });
    assert.deepEqual(ips(res), []);
    assert.equal(res.headers['x-total-count'], '5');
    res = await request(t.app).get('/ip-assets').query({ q: 'edge-9', type: 'OS', limit: 1 });
    assert.deepEqual(ips(res), ['10.40.0.1']);
    assert.equal(res.headers['x-total-count'], '2');
    res = await request(t.app).get('/ip-assets').query({ q: 'edge-9', tags: 'edge', limit: 1 });
    assert.deepEqual(ips(res), ['10.40.0.3']);
    res = await request(t.app).get('/ip-assets').query({ q: 'edge-9', archived: 'all', limit: 50 });
    assert.deepEqual(ips(res), [...all.slice(0, 4), '10.40.0.5', all[4]]);
    // Above the cap the total stops there ("at least"), and the pages still follow address order.
    const capped = new AssetsService({ db: t.db, actor: SYSTEM_ACTOR }, { countCap: 3 });
    for (const [offset, page] of [[0, all.slice(0, 2)], [2, all.slice(2, 4)], [4, all.slice(4)]] as const) {
      const got = await capped.list({ q: 'edge-9', limit: 2, offset });
      assert.deepEqual(got.items.map((a) => a.ip_address), page);
      if (offset < 4) assert.deepEqual([got.total, got.total_exact], [3, false]);
    }
    const exact = await new AssetsService({ db: t.db, actor: SYSTEM_ACTOR }, { countCap: 5 }).list({ q: 'edge-9', limit: 1 });
    assert.deepEqual([exact.total, exact.total_exact], [5, true]);
    // The count alone (exports' and bulk edits' "all matching"), without a page first.
    assert.equal(await countAssets(t.db, { q: 'edge-9' }), 5);
    assert.equal(await countAssets(t.db, { q: 'edge-9', archived: 'all' }), 6);
  });

  test('the drill-down reads the same search: a CIDR, a host name', async () => {
    let res = await request(t.app).get(`/ranges/${rangeId}/addresses`).query({ q: '10.20.0.8/29', status: 'used' });
    assert.deepEqual((res.body.items as { ip_address: string }[]).map((r) => r.ip_address), ['10.20.0.11', '10.20.0.12']);
    res = await request(t.app).get(`/ranges/${rangeId}/addresses`).query({ q: 'web-01' });
    assert.equal(res.status, 200);
    assert.deepEqual((res.body.items as { ip_address: string }[]).map((r) => r.ip_address), ['10.20.0.11']);
  });

  test('asset JSON carries last_seen_at; not_seen_days=N lists addresses last seen more than N days ago', async () => {
    let res = await request(t.app).get('/ip-assets/10.20.0.11');
    assert.match(res.body.last_seen_at, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    res = await request(t.app).get('/ip-assets/10.2.0.1');
    assert.equal(res.body.last_seen_at, null);
    res = await request(t.app).get('/ip-assets').query({ not_seen_days: 7, limit: 20 });
    assert.deepEqual(ips(res), ['10.20.0.11', '10.20.1.5']);
    res = await request(t.app).get('/ip-assets').query({ not_seen_days: 30 });
    assert.deepEqual(ips(res), ['10.20.0.11']);
    res = await request(t.app).get('/ip-assets').query({ not_seen_days: 7, q: 'db-01', limit: 20 });
    assert.deepEqual(ips(res), ['10.20.1.5']);
    res = await request(t.app).get('/ip-assets').query({ not_seen_days: 0 });
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.detail[0].loc, ['query', 'not_seen_days']);
  });

  test('exports add last_seen_at as the last CSV column and a JSON key', async () => {
    const csv = await request(t.app).get('/export/ip-assets.csv').set(ed);
    assert.equal(csv.status, 200);
    const [header, ...rows] = csv.text.trim().split('\n');
    assert.equal(header, 'ip_address,type,project_name,host_name,tags,notes,archived,created_at,updated_at,last_seen_at');
    const row = rows.find((r) => r.startsWith('10.20.0.11,'))!;
    assert.match(row, /,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const json = await request(t.app).get('/export/ip-assets.json').set(ed);
    const rec = (JSON.parse(json.text) as { ip_address: string; last_seen_at: string | null }[]).find((r) => r.ip_address === '10.2.0.1')!;
    assert.equal(rec.last_seen_at, null);
  });
});
