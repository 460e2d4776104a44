/**
 * Issue 19's "Done when", over the real thing: two app HTTP servers (the second in a process of
 * its own, test/concurrency/cluster.ts) on one SQLite file or one PostgreSQL database, 200
 * concurrent POST /api/v1/ip-management/reservations spread over both — against one pool, and
 * across 10 pools. More are asked for than fit, so exhaustion is part of the race. Every address
 * answered is distinct, none is lost (the answers are exactly the stored live reservations), the
 * only failures are the documented 409 of an exhausted pool, and there is one audit entry per
 * successful allocation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECT } from '../helpers/db.js';
import { startCluster, type Cluster, type Reply } from './cluster.js';

const P = '/api/v1/ip-management';

describe(`200 concurrent REST allocations from two app instances (${DIALECT})`, () => {
  let c: Cluster;
  before(async () => {
    c = await startCluster(2);
  });
  after(() => c.cleanup());

  const createPool = async (name: string, cidr: string): Promise<number> => {
    const r = await c.call('POST', `${P}/pools`, { pool_name: name, pool_type: 'IPV4_PRIVATE', network_cidr: cidr });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return (r.body as { id: number }).id;
  };

  /** The run's checks: distinct, none lost, only exhaustion 409s, one audit entry each. */
  async function check(poolIds: number[], replies: Reply[], capacity: Map<number, number>, asked: Map<number, number>): Promise<void> {
    const ok = replies.filter((r) => r.status === 201).map((r) => r.body as { pool_id: number; ip_address: string; id: number });
    const refused = replies.filter((r) => r.status !== 201);
    for (const r of refused) {
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.match(JSON.stringify(r.body), /Pool rest-[\w-]+ has no free address: \d+ of \d+ used\./);
    }
    assert.equal(new Set(ok.map((r) => r.ip_address)).size, ok.length, 'an address was handed out twice');
    for (const id of poolIds) {
      // Each pool filled up exactly: as many answers as it holds, or as were asked for.
      assert.equal(ok.filter((r) => r.pool_id === id).length, Math.min(capacity.get(id)!, asked.get(id)!), `pool ${id}`);
    }
    const stored = (await c.db('ip_reservations').whereIn('pool_id', poolIds).whereIn('status', ['RESERVED', 'ASSIGNED']).select('id', 'ip_address')) as { id: number; ip_address: string }[];
    assert.deepEqual(stored.map((s) => s.ip_address).sort(), ok.map((r) => r.ip_address).sort(), 'stored live reservations differ from the answers');
    const audits = (await c.db('audit_log').where({ target_type: 'IP_RESERVATION', action: 'CREATE' }).whereIn('target_id', stored.map((s) => Number(s.id))).count({ n: '*' }).first()) as { n: number | string };
    assert.equal(Number(audits.n), ok.length);
  }

  test('one pool: 200 requests for its 126 addresses give 126 distinct ones and 74 exhaustion 409s', async () => {
    const id = await createPool('rest-one', '10.91.0.0/25');
    const replies = await Promise.all(Array.from({ length: 200 }, (_v, i) => c.call('POST', `${P}/reservations`, { pool_id: id, subscriber_id: `one-${i}` })));
    assert.equal(replies.filter((r) => r.status === 201).length, 126);
    await check([id], replies, new Map([[id, 126]]), new Map([[id, 200]]));
  });

  test('10 pools: 20 requests each for their 14 addresses, interleaved, all at once', async () => {
    const ids: number[] = [];
    for (let p = 0; p < 10; p++) ids.push(await createPool(`rest-ten-${p}`, `10.92.${p}.0/28`));
    const replies = await Promise.all(Array.from({ length: 200 }, (_v, i) => c.call('POST', `${P}/reservations`, { pool_id: ids[i % 10], subscriber_id: `ten-${i}` })));
    assert.equal(replies.filter((r) => r.status === 201).length, 140);
    await check(ids, replies, new Map(ids.map((id) => [id, 14])), new Map(ids.map((id) => [id, 20])));
  });
});
