/**
 * /api/v1/ip-management: pools CRUD with the seed's field names, utilization by state, free
 * addresses, conflict checks and the conflict list, on a real HTTP app (both databases).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { formatTimestamp } from '../../src/domain/time.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

const P = '/api/v1/ip-management';

interface PoolJson {
  id: number;
  pool_name: string;
  pool_type: string;
  network_cidr: string;
  gateway: string | null;
  dns_servers: string[];
  vlan_id: number | null;
  status: string;
  auto_assign_enabled: boolean;
  allow_manual_reservation: boolean;
}

describe(`ip-management pools over REST (${DIALECT})`, () => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  const post = (path: string, body: unknown) => request(t.app).post(`${P}${path}`).set(t.as.editor).send(body as object);

  test('create, read, list with filters, update and delete a pool with the seed field names', async () => {
    let res = await post('/pools', {
      pool_name: 'Residential static',
      pool_type: 'IPV4_PUBLIC',
      network_cidr: '203.0.113.0/29',
      gateway: '203.0.113.1',
      dns_servers: '192.0.2.53, 192.0.2.54',
      vlan_id: 120,
      auto_assign_enabled: true,
      allow_manual_reservation: false,
      description: 'static IPs for residential plans',
    });
    assert.equal(res.status, 201, res.text);
    const pool = res.body as PoolJson;
    ids.res = pool.id;
    assert.deepEqual(
      [pool.pool_name, pool.pool_type, pool.network_cidr, pool.gateway, pool.dns_servers, pool.vlan_id, pool.status, pool.auto_assign_enabled, pool.allow_manual_reservation],
      ['Residential static', 'IPV4_PUBLIC', '203.0.113.0/29', '203.0.113.1', ['192.0.2.53', '192.0.2.54'], 120, 'ACTIVE', true, false],
    );
    res = await post('/pools', { pool_name: 'Lab v6', pool_type: 'IPV6_GLOBAL', network_cidr: '2001:db8:1::/64' });
    assert.equal(res.status, 201, res.text);
    ids.v6 = (res.body as PoolJson).id;

    res = await request(t.app).get(`${P}/pools/${ids.res}`);
    assert.equal(res.status, 200);
    assert.equal((res.body as PoolJson).pool_name, 'Residential static');
    res = await request(t.app).get(`${P}/pools?pool_type=IPV6_GLOBAL`);
    assert.deepEqual((res.body as PoolJson[]).map((p) => p.pool_name), ['Lab v6']);
    res = await request(t.app).get(`${P}/pools?q=residential`);
    assert.deepEqual((res.body as PoolJson[]).map((p) => p.pool_name), ['Residential static']);

    res = await request(t.app).put(`${P}/pools/${ids.v6}`).set(t.as.editor).send({ status: 'MAINTENANCE', vlan_id: 7 });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([(res.body as PoolJson).status, (res.body as PoolJson).vlan_id], ['MAINTENANCE', 7]);

    res = await post('/pools', { pool_name: 'Doomed', pool_type: 'IPV4_PRIVATE', network_cidr: '10.99.0.0/24' });
    assert.equal((await request(t.app).delete(`${P}/pools/${(res.body as PoolJson).id}`).set(t.as.editor)).status, 204);
    assert.equal((await request(t.app).get(`${P}/pools/${(res.body as PoolJson).id}`)).status, 404);
  });

  test('bad input answers 422 naming the field; a taken name 409; viewers read but may not write', async () => {
    let res = await post('/pools', { pool_name: 'X', pool_type: 'IPV4_SOMETHING', network_cidr: '10.1.0.0/24' });
    assert.equal(res.status, 422);
    assert.ok(JSON.stringify(res.body).includes('pool_type'), res.text);
    res = await post('/pools', { pool_name: 'X', pool_type: 'IPV4_PRIVATE', network_cidr: '10.1.0.0/24', gateway: '10.2.0.1' });
    assert.equal(res.status, 422);
    assert.match(JSON.stringify(res.body), /gateway/);
    res = await post('/pools', { pool_name: 'Residential static', pool_type: 'IPV4_PRIVATE', network_cidr: '10.3.0.0/24' });
    assert.equal(res.status, 409, res.text);
    res = await request(t.app).get(`${P}/pools/${ids.res}/available-ips?limit=0`);
    assert.equal(res.status, 422);
    assert.match(JSON.stringify(res.body), /limit/);
    assert.equal((await request(t.app).post(`${P}/pools`).set(t.as.viewer).send({ pool_name: 'V', pool_type: 'IPV4_PRIVATE', network_cidr: '10.4.0.0/24' })).status, 403);
    assert.equal((await request(t.app).get(`${P}/pools`).set(t.as.viewer)).status, 200);
    assert.equal((await request(t.app).get(`${P}/pools/abc`)).status, 422);
  });

  test('utilization by state and free addresses: network, broadcast, gateway and IP assets are skipped', async () => {
    // 203.0.113.0/29: usable .1–.6, gateway .1 → 5 addresses; an IP asset takes .3.
    assert.equal((await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '203.0.113.3', type: 'OS' })).status, 200);
    let res = await request(t.app).get(`${P}/pools/${ids.res}/utilization`);
    assert.equal(res.status, 200, res.text);
    const u = res.body as Record<string, unknown>;
    assert.deepEqual(
      [u.total, u.reserved, u.assigned, u.in_use, u.available, u.utilization_percent, u.status, u.alert_state, u.projected_depletion_date],
      [5, 0, 0, 1, 4, 20, 'ACTIVE', 'ok', null],
    );
    res = await request(t.app).get(`${P}/pools/${ids.res}/available-ips`);
    assert.deepEqual((res.body as { items: string[] }).items, ['203.0.113.2', '203.0.113.4', '203.0.113.5', '203.0.113.6']);
    res = await request(t.app).get(`${P}/pools/${ids.res}/available-ips?limit=2&offset=1`);
    assert.deepEqual((res.body as { items: string[] }).items, ['203.0.113.4', '203.0.113.5']);
    res = await request(t.app).get(`${P}/pools/${ids.v6}/available-ips?limit=2&offset=18446744073709551613`);
    // The /64's last two of 2^64 − 1 usable addresses (the Subnet-Router anycast ::0 is not one).
    assert.deepEqual((res.body as { items: string[] }).items, ['2001:db8:1:0:ffff:ffff:ffff:fffe', '2001:db8:1:0:ffff:ffff:ffff:ffff']);
  });

  test('check-conflicts: holder, outside the pool, the gateway, another pool, live evidence', async () => {
    const inner = await post('/pools', { pool_name: 'Inner', pool_type: 'IPV4_PUBLIC', network_cidr: '203.0.113.4/30' });
    assert.equal(inner.status, 201, inner.text);
    ids.inner = (inner.body as PoolJson).id;
    const check = async (body: Record<string, unknown>) => {
      const res = await request(t.app).post(`${P}/check-conflicts`).set(t.as.viewer).send(body);
      assert.equal(res.status, 200, res.text);
      return res.body as { has_conflicts: boolean; conflicts: { conflict_type: string; severity: string; forceable: boolean; holder?: Record<string, unknown>; message: string }[] };
    };
    let r = await check({ ip_address: '203.0.113.3', pool_id: ids.res });
    assert.deepEqual(r.conflicts.map((c) => c.conflict_type), ['IP_ASSET_IN_USE']);
    assert.equal(r.conflicts[0]!.holder!.kind, 'ip_asset');
    assert.equal(r.conflicts[0]!.forceable, false);
    r = await check({ ip_address: '198.51.100.7', pool_id: ids.res });
    assert.deepEqual(r.conflicts.map((c) => [c.conflict_type, c.severity]), [['OUTSIDE_POOL', 'CRITICAL']]);
    r = await check({ ip_address: '203.0.113.1', pool_id: ids.res });
    assert.deepEqual(r.conflicts.map((c) => c.conflict_type), ['GATEWAY_ADDRESS']);
    r = await check({ ip_address: '203.0.113.5', pool_id: ids.res });
    assert.deepEqual(r.conflicts.map((c) => [c.conflict_type, c.forceable]), [['IN_OTHER_POOL', true]]);
    r = await check({ ip_address: '203.0.113.2', pool_id: ids.res });
    assert.deepEqual(r, { ip_address: '203.0.113.2', pool_id: ids.res, has_conflicts: false, conflicts: [] });

    // An archived asset Nmap saw two days ago: nothing holds it, but something answers there.
    assert.equal((await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '203.0.113.2', type: 'OS' })).status, 200);
    assert.equal((await request(t.app).post('/ip-assets/203.0.113.2/archive').set(t.as.editor)).status, 204);
    await t.db('ip_assets').where({ ip_address: '203.0.113.2' }).update({ last_seen_at: formatTimestamp(new Date(Date.now() - 2 * 86_400_000)) });
    r = await check({ ip_address: '203.0.113.2', pool_id: ids.res });
    assert.deepEqual(r.conflicts.map((c) => [c.conflict_type, c.severity, c.forceable]), [['LIVE_EVIDENCE', 'HIGH', true]]);
    assert.match(r.conflicts[0]!.message, /seen in use by discovery/);
    // Older than the window asked for: no longer evidence.
    const res = await request(t.app).post(`${P}/check-conflicts?evidence_days=1`).send({ ip_address: '203.0.113.2', pool_id: ids.res });
    assert.deepEqual((res.body as { conflicts: unknown[] }).conflicts, []);

    const bad = await request(t.app).post(`${P}/check-conflicts`).send({ ip_address: 'not-an-ip' });
    assert.equal(bad.status, 400);
    const missing = await request(t.app).post(`${P}/check-conflicts`).send({});
    assert.equal(missing.status, 422);
    assert.match(JSON.stringify(missing.body), /ip_address/);
  });

  test('the conflict list: overlapping pools and recent sightings nothing holds', async () => {
    const res = await request(t.app).get(`${P}/conflicts`).set(t.as.viewer);
    assert.equal(res.status, 200, res.text);
    const list = (res.body as { conflicts: { conflict_type: string; ip_address: string; holder?: Record<string, unknown> }[] }).conflicts;
    assert.deepEqual(
      list.map((c) => [c.conflict_type, c.ip_address]),
      [
        ['LIVE_EVIDENCE', '203.0.113.2'],
        ['POOL_OVERLAP', '203.0.113.0/29'],
      ],
    );
    assert.deepEqual(list[1]!.holder, { kind: 'pools', pool_ids: [ids.res, ids.inner] });
  });

  test('stats: totals, IPv4 against IPv6, top utilized', async () => {
    const res = await request(t.app).get(`${P}/stats`);
    assert.equal(res.status, 200, res.text);
    const s = res.body as { totals: { pools: number }; ipv4: { pools: number; in_use: number }; ipv6: { pools: number; total: string }; top_utilized: { pool_name: string }[] };
    assert.equal(s.totals.pools, 3);
    assert.equal(s.ipv4.pools, 2);
    assert.equal(s.ipv6.pools, 1);
    assert.equal(s.ipv6.total, '18446744073709551615');
    assert.equal(s.top_utilized[0]!.pool_name, 'Residential static');
    const one = await request(t.app).get(`${P}/pools/${ids.res}/stats`);
    assert.equal(one.status, 200, one.text);
    assert.equal((one.body as { utilization: { in_use: number } }).utilization.in_use, 1);
  });
});
