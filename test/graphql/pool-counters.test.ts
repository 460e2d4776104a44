/**
 * GraphQL pool counters batched (issue 16): the seed's counters by state (totalAddresses,
 * reservedCount, assignedCount, inUseCount, availableCount, utilizationPercent) of every pool on
 * the page come from one batched count, so 100 pools cost the same few statements as 5, with the
 * same figures GET /api/v1/ip-management/pools/{id}/utilization answers. Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';
import { buildTestApp, type TestApp } from '../api/app.js';
import { gql } from './client.js';

const COUNTERS = 'id poolName totalAddresses reservedCount assignedCount inUseCount availableCount utilizationPercent';

describe(`GraphQL pool counters are batched (${DIALECT})`, () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
    const s = servicesFor(t.db);
    for (let i = 0; i < 100; i++) {
      // Every fourth with a gateway (excluded from the total), some with an asset (in use), some with a released address (quarantine).
      const p = await s.pools.create({ pool_name: `cnt-${String(i).padStart(3, '0')}`, pool_type: 'IPV4_PRIVATE', network_cidr: `10.${120 + Math.floor(i / 100)}.${i % 100}.0/24`, gateway: i % 4 === 0 ? `10.120.${i}.1` : null });
      await s.reservations.reserveBatch({ pool_id: p.id, subscriber_id: `cnt-sub-${i}`, count: 1 + (i % 7) });
      if (i % 3 === 0) await s.assets.create({ ip_address: `10.120.${i}.200`, type: 'VM' });
      if (i % 5 === 0) await s.reservations.release((await s.reservations.reserve({ pool_id: p.id, subscriber_id: `cnt-gone-${i}` })).id);
    }
    // A prefix-delegation pool on the same page.
    const pd = await s.pools.create({ pool_name: 'cnt-00-pd', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:120::/48', delegation_prefix_length: 56 });
    await s.reservations.reserveBatch({ pool_id: pd.id, subscriber_id: 'cnt-pd-sub', count: 3 });
  });
  after(() => t.cleanup());

  async function statements(query: string): Promise<{ n: number; data: { ipPools: Record<string, unknown>[] } }> {
    let n = 0;
    const count = () => void n++;
    t.db.on('query', count);
    try {
      const a = await gql(t.app, query, undefined, t.as.viewer);
      assert.equal(a.errors, undefined, a.text);
      return { n, data: a.data as { ipPools: Record<string, unknown>[] } };
    } finally {
      t.db.off('query', count);
    }
  }

  test('101 pools with their counters by state run as many statements as 11 (both with a prefix pool), and each equals the REST utilization', async () => {
    const all = await statements(`{ ipPools(filters: { q: "cnt-" }) { ${COUNTERS} } }`);
    const few = await statements(`{ ipPools(filters: { q: "cnt-00" }) { ${COUNTERS} } }`);
    assert.equal(all.data.ipPools.length, 101);
    assert.ok(few.data.ipPools.length === 11, String(few.data.ipPools.length));
    assert.equal(all.n, few.n, `101 pools: ${all.n} statements, ${few.data.ipPools.length} pools: ${few.n}`);
    // The list; every pool's counters, used keys and gateway in one statement; the prefix pool's free slots (and maybe a token touch).
    assert.ok(all.n <= 5, `ran ${all.n} statements`);
    console.log(`# 101 pools with counters: ${all.n} SQL statements (${DIALECT})`);

    for (const p of all.data.ipPools) {
      const u = (await request(t.app).get(`/api/v1/ip-management/pools/${String(p.id)}/utilization`)).body as Record<string, unknown>;
      assert.deepEqual(
        [p.totalAddresses, p.reservedCount, p.assignedCount, p.inUseCount, p.availableCount, p.utilizationPercent].map(String),
        [u.total, u.reserved, u.assigned, u.in_use, u.available, u.utilization_percent].map(String),
        String(p.poolName),
      );
    }
    // Spot checks against what was made: cnt-000 has a gateway (253 usable), 1 reserved, an asset, a released address in quarantine.
    const first = all.data.ipPools.find((p) => p.poolName === 'cnt-000')!;
    assert.deepEqual([first.totalAddresses, first.reservedCount, first.inUseCount, first.availableCount].map(String), ['253', '1', '2', '250']);
    const pd = all.data.ipPools.find((p) => p.poolName === 'cnt-00-pd')!;
    assert.deepEqual([pd.totalAddresses, pd.reservedCount, pd.availableCount].map(String), ['256', '3', '253']);
  });
});
