import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { dashboardData } from '../../src/services/dashboard.js';
import { DIALECT } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';
import { buildTestApp, type TestApp } from './app.js';

/**
 * Issue 19: a reserved or assigned pool address is used everywhere — range utilization, the
 * drill-down, /metrics — and /sd/node lists the assigned ones; IP asset creation over a held
 * address answers 409 naming the subscriber. Released addresses are free again (in a pool without
 * quarantine; quarantine is test/services/pools-quarantine.test.ts's).
 */
describe(`pool reservations count as used everywhere (${DIALECT})`, () => {
  let t: TestApp;
  let poolId: number;
  before(async () => {
    t = await buildTestApp();
    const s = servicesFor(t.db);
    const pool = await s.pools.create({ pool_name: 'cust', pool_type: 'IPV4_PUBLIC', network_cidr: '10.50.0.0/24', gateway: '10.50.0.1', quarantine_days: 0 });
    poolId = pool.id;
    await s.assets.create({ ip_address: '10.50.0.2', type: 'VM' });
    await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'sub-r1' }); // .3
    await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'sub-a1', assign: true }); // .4
    const gone = await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'sub-x' }); // .5
    await s.reservations.release(gone.id);
    await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'sub-a2', ip_address: '10.50.0.200', assign: true });
  });
  after(() => t.cleanup());

  test('range list and /metrics count the live reservations beside the asset', async () => {
    const list = (await request(t.app).get('/ranges')).body as { id: number; utilization: { used: number; free: number } }[];
    const r = list.find((x) => x.id === poolId)!;
    assert.deepEqual([r.utilization.used, r.utilization.free], [4, 250]);
    const metrics = (await request(t.app).get('/metrics')).text;
    assert.match(metrics, /ipocket_range_used_addresses\{range="cust",cidr="10\.50\.0\.0\/24"\} 4/);
  });

  test('the drill-down shows reserved and assigned addresses as used, with their holder', async () => {
    const used = (await request(t.app).get(`/ranges/${poolId}/addresses`).query({ status: 'used' })).body;
    assert.equal(used.total, 4);
    assert.deepEqual(
      used.items.map((i: { ip_address: string; asset: unknown; reservation: { subscriber_id: string; status: string } | null }) => [i.ip_address, i.asset ? 'asset' : `${i.reservation!.subscriber_id} ${i.reservation!.status}`]),
      [
        ['10.50.0.2', 'asset'],
        ['10.50.0.3', 'sub-r1 RESERVED'],
        ['10.50.0.4', 'sub-a1 ASSIGNED'],
        ['10.50.0.200', 'sub-a2 ASSIGNED'],
      ],
    );
    // Paging into the used list lands on reservations too (k-th used key counts them).
    const second = (await request(t.app).get(`/ranges/${poolId}/addresses`).query({ status: 'used', offset: 2, limit: 1 })).body;
    assert.deepEqual(second.items.map((i: { ip_address: string }) => i.ip_address), ['10.50.0.4']);
    const free = (await request(t.app).get(`/ranges/${poolId}/addresses`).query({ status: 'free', limit: 3 })).body;
    assert.equal(free.total, 250);
    // .1 is the gateway but nothing holds it: the range view lists it free; .5 was released.
    assert.deepEqual(free.items.map((i: { ip_address: string }) => i.ip_address), ['10.50.0.1', '10.50.0.5', '10.50.0.6']);
    const all = (await request(t.app).get(`/ranges/${poolId}/addresses`).query({ status: 'all', limit: 5 })).body;
    assert.deepEqual(all.items.map((i: { status: string }) => i.status), ['free', 'used', 'used', 'used', 'free']);
  });

  test('/sd/node lists assigned pool addresses (not merely reserved ones), grouped per pool', async () => {
    const body = (await request(t.app).get('/sd/node')).body;
    assert.deepEqual(body, [
      { targets: ['10.50.0.2:9100'], labels: { project: 'unassigned', type: 'VM' } },
      { targets: ['10.50.0.4:9100', '10.50.0.200:9100'], labels: { project: 'unassigned', type: 'POOL', pool: 'cust' } },
    ]);
    const grouped = (await request(t.app).get('/sd/node?group_by=project&port=9182')).body;
    assert.deepEqual(grouped.at(-1), { targets: ['10.50.0.4:9182', '10.50.0.200:9182'], labels: { project: 'unassigned', type: 'POOL', pool: 'cust' } });
    // A project or type filter selects assets only.
    assert.deepEqual((await request(t.app).get('/sd/node?type=VM')).body, [{ targets: ['10.50.0.2:9100'], labels: { project: 'unassigned', type: 'VM' } }]);
  });

  test('creating an IP asset over a held address answers 409 naming the subscriber; a released one is free', async () => {
    const res = await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.50.0.3', type: 'VM' });
    assert.equal(res.status, 409, res.text);
    assert.match(JSON.stringify(res.body), /held by subscriber sub-r1/);
    assert.equal((await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.50.0.5', type: 'VM' })).status, 200);
  });

  test('a prefix-delegation pool counts delegated prefixes alike on its pool page, in the range list and on the dashboard', async () => {
    const s = servicesFor(t.db);
    // 2001:db8:100::/48 delegating /56s: 256 slots, one delegated is 0.39 % (in addresses the range showed 0 %).
    const pd = await s.pools.create({ pool_name: 'pd', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:100::/48', delegation_prefix_length: 56 });
    await s.reservations.reserve({ pool_id: pd.id, subscriber_id: 'sub-pd', assign: true });
    const expected = { total: 256, usable: 256, used: 1, free: 255, percent: 0.39, unit: 'prefix' };
    const pool = (await request(t.app).get(`/api/v1/ip-management/pools/${pd.id}/utilization`)).body as { utilization_percent: number; available: number; total: number };
    assert.deepEqual([pool.utilization_percent, pool.available, pool.total], [0.39, 255, 256]);
    const list = (await request(t.app).get('/ranges')).body as { id: number; utilization: Record<string, unknown> }[];
    assert.deepEqual(list.find((r) => r.id === pd.id)!.utilization, expected);
    // The address pool beside it keeps counting addresses, no unit (.5 became an IP asset in the test before).
    assert.deepEqual(list.find((r) => r.id === poolId)!.utilization, { total: 256, usable: 254, used: 5, free: 249, percent: 1.97 });
    assert.deepEqual(((await request(t.app).get(`/ranges/${pd.id}`)).body as { utilization: unknown }).utilization, expected);
    assert.deepEqual((await s.ranges.utilizationByIds([pd.id, poolId])).get(pd.id), expected);
    // The pools API's list and pool answer the same (they counted it in addresses: 0 %).
    const pools = (await request(t.app).get('/api/v1/ip-management/pools')).body as { id: number; utilization: Record<string, unknown> }[];
    assert.deepEqual(pools.find((p) => p.id === pd.id)!.utilization, expected);
    assert.deepEqual(pools.find((p) => p.id === poolId)!.utilization, { total: 256, usable: 254, used: 5, free: 249, percent: 1.97 });
    assert.deepEqual(((await request(t.app).get(`/api/v1/ip-management/pools/${pd.id}`)).body as { utilization: unknown }).utilization, expected);
    const dash = (await dashboardData(t.db)).ranges.find((r) => r.id === pd.id)!;
    assert.deepEqual([dash.usable, dash.used, dash.free, dash.percent, dash.unit], ['256', 1, '255', 0.39, 'prefix']);
  });
});
