/**
 * POST /api/v1/ip-management/pools/{id}/reserve-batch (both databases): N addresses at once, all
 * or nothing, the 409 naming how many are free, 422 naming the field, editors only, audited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

const P = '/api/v1/ip-management';

describe(`ip-management batch allocation over REST (${DIALECT})`, () => {
  let t: TestApp;
  let v4 = 0;
  let pd = 0;
  before(async () => {
    t = await buildTestApp();
    // 198.51.100.0/29 with gateway .1: five free addresses, .2–.6.
    const a = await request(t.app).post(`${P}/pools`).set(t.as.editor).send({ pool_name: 'Batch v4', pool_type: 'IPV4_PUBLIC', network_cidr: '198.51.100.0/29', gateway: '198.51.100.1' });
    assert.equal(a.status, 201, a.text);
    v4 = (a.body as { id: number }).id;
    const b = await request(t.app).post(`${P}/pools`).set(t.as.editor).send({ pool_name: 'Batch PD', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:200::/48', delegation_prefix_length: 56 });
    assert.equal(b.status, 201, b.text);
    pd = (b.body as { id: number }).id;
  });
  after(() => t.cleanup());

  const batch = (id: number, body: unknown, who = t.as.editor) => request(t.app).post(`${P}/pools/${id}/reserve-batch`).set(who).send(body as object);
  const live = async (id: number) => ((await request(t.app).get(`${P}/reservations?pool_id=${id}&live=true`)).body as { ip_address: string }[]).map((r) => r.ip_address).sort();

  test('more than the pool has free is refused whole (409 naming how many are free), nothing reserved', async () => {
    const res = await batch(v4, { subscriber_id: 'block-a', count: 6 });
    assert.equal(res.status, 409, res.text);
    assert.match(res.text, /only 5 free addresses[\s\S]*6 addresses were asked for/);
    assert.deepEqual(await live(v4), []);
  });

  test('N addresses in one call, lowest first, skipping the gateway; assign hands them out; audited', async () => {
    const res = await batch(v4, { subscriber_id: 'block-a', count: 3, assign: true });
    assert.equal(res.status, 201, res.text);
    const body = res.body as { pool_id: number; count: number; reservations: { ip_address: string; status: string; subscriber_id: string }[] };
    assert.deepEqual([body.pool_id, body.count], [v4, 3]);
    assert.deepEqual(
      body.reservations.map((r) => [r.ip_address, r.status, r.subscriber_id]),
      [
        ['198.51.100.2', 'ASSIGNED', 'block-a'],
        ['198.51.100.3', 'ASSIGNED', 'block-a'],
        ['198.51.100.4', 'ASSIGNED', 'block-a'],
      ],
    );
    const u = (await request(t.app).get(`${P}/pools/${v4}/utilization`)).body as { assigned: number; available: number };
    assert.deepEqual([u.assigned, u.available], [3, 2]);
    const audit = await request(t.app).get('/audit?target_type=IP_RESERVATION').set(t.as.editor);
    const changes = (audit.body as { changes: string }[]).map((e) => e.changes);
    for (const ip of ['198.51.100.2', '198.51.100.3', '198.51.100.4']) assert.ok(changes.includes(`ASSIGNED ${ip} for subscriber block-a in pool Batch v4`), audit.text);
    // Highest first takes from the top.
    const top = await batch(v4, { subscriber_id: 'block-b', count: 1, order: 'highest' });
    assert.equal(top.status, 201, top.text);
    assert.equal((top.body as { reservations: { ip_address: string }[] }).reservations[0]!.ip_address, '198.51.100.6');
  });

  test('a prefix-delegation pool hands out N prefixes of its length', async () => {
    const res = await batch(pd, { subscriber_id: 'pd-block', count: 2 });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(
      (res.body as { reservations: { ip_address: string; prefix_length: number }[] }).reservations.map((r) => [r.ip_address, r.prefix_length]),
      [
        ['2001:db8:200::/56', 56],
        ['2001:db8:200:100::/56', 56],
      ],
    );
  });

  test('bad input names the field; unknown pool 404; a viewer is refused (403) and nothing changes', async () => {
    let res = await batch(v4, { subscriber_id: 'x', count: 0 });
    assert.equal(res.status, 422);
    assert.deepEqual((res.body as { detail: { loc: string[]; msg: string }[] }).detail[0], { loc: ['body', 'count'], msg: 'must be 1–10000', type: 'too_small' });
    res = await batch(v4, { count: 2 });
    assert.equal(res.status, 422);
    assert.deepEqual((res.body as { detail: { loc: string[] }[] }).detail[0]!.loc, ['body', 'subscriber_id']);
    res = await batch(v4, { subscriber_id: 'x', count: 1, pool_id: 7 });
    assert.equal(res.status, 422);
    res = await batch(987654, { subscriber_id: 'x', count: 1 });
    assert.equal(res.status, 404, res.text);
    const before = await live(v4);
    res = await batch(v4, { subscriber_id: 'x', count: 1 }, t.as.viewer);
    assert.equal(res.status, 403);
    assert.deepEqual(await live(v4), before);
  });
});
