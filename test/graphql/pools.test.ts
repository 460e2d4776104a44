/**
 * The seed's pool queries and mutations over the pools services: same validation, errors with
 * codes and role checks as the REST API; viewer (and superuser, anonymous) mutations refused
 * with nothing written; a page of 100 pools and 1,000 reservations costs a fixed number of SQL
 * statements. Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';
import { buildTestApp, type TestApp } from '../api/app.js';
import { codeOf, gql } from './client.js';

const POOL_FIELDS = 'id poolName poolType networkCidr gateway dnsServers vlanId status autoAssignEnabled description totalAddresses reservedCount assignedCount availableCount utilizationPercent createdAt updatedAt';
const RES_FIELDS = 'id poolId subscriberId ipAddress ipType status reservedAt assignedAt releasedAt expiresAt assignedBy notes';

describe(`GraphQL pools and reservations (${DIALECT})`, () => {
  let t: TestApp;
  let ed: Record<string, string>;
  before(async () => {
    t = await buildTestApp();
    ed = t.as.editor;
  });
  after(() => t.cleanup());

  test('the seed lifecycle: create, read, update, reserve, assign automatically, check conflicts, utilization, release, delete', async () => {
    const created = await gql(t.app, `mutation($input: CreateIPPoolInput!) { createIPPool(input: $input) { ${POOL_FIELDS} } }`, {
      input: { poolName: 'cust-a', poolType: 'IPV4_PUBLIC', networkCidr: '203.0.113.0/28', gateway: '203.0.113.1', dnsServers: ['192.0.2.53'], vlanId: 120, description: 'customers' },
    }, ed);
    assert.equal(created.errors, undefined, created.text);
    const pool = created.data!.createIPPool as Record<string, unknown>;
    assert.deepEqual({ ...pool, id: undefined, createdAt: undefined, updatedAt: undefined }, {
      id: undefined, createdAt: undefined, updatedAt: undefined,
      poolName: 'cust-a', poolType: 'IPV4_PUBLIC', networkCidr: '203.0.113.0/28', gateway: '203.0.113.1', dnsServers: ['192.0.2.53'], vlanId: 120, status: 'ACTIVE',
      autoAssignEnabled: true, description: 'customers', totalAddresses: '13', reservedCount: 0, assignedCount: 0, availableCount: '13', utilizationPercent: 0,
    });
    const id = pool.id as string;

    const updated = await gql(t.app, 'mutation($id: ID!) { updateIPPool(id: $id, input: { description: "renamed", vlanId: null }) { description vlanId poolName } }', { id }, ed);
    assert.deepEqual(updated.data, { updateIPPool: { description: 'renamed', vlanId: null, poolName: 'cust-a' } }, updated.text);

    const manual = await gql(t.app, `mutation($input: ReserveIPInput!) { reserveIP(input: $input) { ${RES_FIELDS} pool { poolName } } }`, { input: { poolId: id, subscriberId: 'sub-1', ipAddress: '203.0.113.5', notes: 'rack 4' } }, ed);
    assert.equal(manual.errors, undefined, manual.text);
    const r1 = manual.data!.reserveIP as Record<string, unknown>;
    assert.deepEqual([r1.ipAddress, r1.status, r1.subscriberId, r1.ipType, r1.notes, r1.pool], ['203.0.113.5', 'RESERVED', 'sub-1', 'ipv4', 'rack 4', { poolName: 'cust-a' }]);

    const auto = await gql(t.app, `mutation($id: ID!) { assignIPAuto(subscriberId: "sub-2", poolId: $id) { ${RES_FIELDS} } }`, { id }, ed);
    assert.equal(auto.errors, undefined, auto.text);
    const r2 = auto.data!.assignIPAuto as Record<string, unknown>;
    assert.deepEqual([r2.ipAddress, r2.status, r2.subscriberId], ['203.0.113.2', 'ASSIGNED', 'sub-2']);
    assert.match(String(r2.assignedAt), /Z$/);

    const taken = await gql(t.app, 'mutation($id: ID!) { reserveIP(input: { poolId: $id, subscriberId: "sub-3", ipAddress: "203.0.113.5" }) { id } }', { id }, ed);
    assert.equal(codeOf(taken), 'conflict', taken.text);
    assert.match(taken.errors![0]!.message, /held by subscriber sub-1/);

    const reads = await gql(t.app, `query($id: ID!) {
      ipPool(id: $id) { poolName reservedCount assignedCount availableCount utilizationPercent utilization { used usable } }
      missing: ipPool(id: "987654") { id }
      ipPools(filters: { poolType: IPV4_PUBLIC }) { poolName }
      none: ipPools(filters: { status: MAINTENANCE }) { poolName }
      ipReservations(filters: { poolId: $id, status: ASSIGNED }) { subscriberId ipAddress }
      subscriberIPs(subscriberId: "sub-1") { ipAddress status }
      checkIPConflicts(ipAddress: "203.0.113.5") { ipAddress conflictType severity forceable existingReservation { subscriberId } }
      free: checkIPConflicts(ipAddress: "203.0.113.9") { conflictType }
      poolUtilization(poolId: $id) { poolId total reserved assigned available utilizationPercent status alertState projectedDepletionDate }
    }`, { id });
    assert.equal(reads.errors, undefined, reads.text);
    const d = reads.data!;
    assert.deepEqual(d.ipPool, { poolName: 'cust-a', reservedCount: 1, assignedCount: 1, availableCount: '11', utilizationPercent: 15.38, utilization: { used: 2, usable: '14' } });
    assert.equal(d.missing, null);
    assert.deepEqual(d.ipPools, [{ poolName: 'cust-a' }]);
    assert.deepEqual(d.none, []);
    assert.deepEqual(d.ipReservations, [{ subscriberId: 'sub-2', ipAddress: '203.0.113.2' }]);
    assert.deepEqual(d.subscriberIPs, [{ ipAddress: '203.0.113.5', status: 'RESERVED' }]);
    const conflicts = d.checkIPConflicts as { conflictType: string; existingReservation: unknown }[];
    assert.ok(conflicts.some((c) => c.conflictType === 'RESERVATION_EXISTS' && JSON.stringify(c.existingReservation) === '{"subscriberId":"sub-1"}'), JSON.stringify(conflicts));
    assert.deepEqual(d.free, []);
    const rest = (await request(t.app).get(`/api/v1/ip-management/pools/${id}/utilization`)).body as Record<string, unknown>;
    const u = d.poolUtilization as Record<string, unknown>;
    assert.deepEqual(
      [u.total, u.reserved, u.assigned, u.available, u.utilizationPercent, u.status, u.alertState],
      [String(rest.total), String(rest.reserved), String(rest.assigned), String(rest.available), rest.utilization_percent, rest.status, rest.alert_state],
    );

    const released = await gql(t.app, `mutation($r: ID!) { releaseIP(reservationId: $r, reason: "moved") }`, { r: r1.id }, ed);
    assert.deepEqual(released.data, { releaseIP: true }, released.text);
    const after = await gql(t.app, '{ ipReservations(filters: { ipAddress: "203.0.113.5" }) { id status releasedAt } }');
    assert.equal((after.data!.ipReservations as { status: string }[])[0]!.status, 'RELEASED');

    const blocked = await gql(t.app, 'mutation($id: ID!) { deleteIPPool(id: $id) }', { id }, ed);
    assert.equal(codeOf(blocked), 'conflict', `a pool with a live reservation: ${blocked.text}`);
    await gql(t.app, `mutation($r: ID!) { releaseIP(reservationId: $r) }`, { r: r2.id }, ed);
    const deleted = await gql(t.app, 'mutation($id: ID!) { deleteIPPool(id: $id) }', { id }, ed);
    assert.deepEqual(deleted.data, { deleteIPPool: true }, deleted.text);
    assert.equal((await gql(t.app, `query($id: ID!) { ipPool(id: $id) { id } }`, { id })).data!.ipPool, null);
  });

  test('bad input is a validation_error naming the field; a missing pool is not_found', async () => {
    const bad = await gql(t.app, 'mutation { createIPPool(input: { poolName: "x", poolType: IPV4_PRIVATE, networkCidr: "10.0.0.0/33" }) { id } }', undefined, ed);
    assert.equal(codeOf(bad), 'validation_error', bad.text);
    assert.deepEqual(bad.errors![0]!.extensions!.issues![0]!.loc, ['body', 'network_cidr']);
    const vlan = await gql(t.app, 'mutation { createIPPool(input: { poolName: "y", poolType: IPV4_PRIVATE, networkCidr: "10.1.0.0/24", vlanId: 9000 }) { id } }', undefined, ed);
    assert.equal(codeOf(vlan), 'validation_error', vlan.text);
    assert.deepEqual(vlan.errors![0]!.extensions!.issues![0]!.loc, ['body', 'vlan_id']);
    const missing = await gql(t.app, 'mutation { assignIPAuto(subscriberId: "s", poolId: "987654") { id } }', undefined, ed);
    assert.equal(codeOf(missing), 'not_found', missing.text);
    assert.equal(missing.errors![0]!.extensions!.status, 404);
  });

  test('mutations are refused to a viewer and a superuser (forbidden) and to anonymous callers (unauthorized); nothing is written', async () => {
    const s = servicesFor(t.db);
    const pool = await s.pools.create({ pool_name: 'guarded', pool_type: 'IPV4_PRIVATE', network_cidr: '10.50.0.0/24' });
    const held = await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'keeper' });
    const mutations = [
      'mutation { createIPPool(input: { poolName: "nope", poolType: IPV4_PRIVATE, networkCidr: "10.51.0.0/24" }) { id } }',
      `mutation { updateIPPool(id: "${pool.id}", input: { description: "nope" }) { id } }`,
      `mutation { deleteIPPool(id: "${pool.id}") }`,
      `mutation { reserveIP(input: { poolId: "${pool.id}", subscriberId: "intruder" }) { id } }`,
      `mutation { assignIPAuto(subscriberId: "intruder", poolId: "${pool.id}") { id } }`,
      `mutation { releaseIP(reservationId: "${held.id}") }`,
    ];
    const before = await t.db('audit_log').count({ n: '*' });
    for (const m of mutations) {
      for (const [who, headers, code] of [['viewer', t.as.viewer, 'forbidden'], ['superuser', t.as.superuser, 'forbidden'], ['anonymous', {}, 'unauthorized']] as const) {
        const a = await gql(t.app, m, undefined, headers);
        assert.equal(codeOf(a), code, `${who}: ${m}: ${a.text}`);
        assert.equal(a.data, null, `${who}: ${m}`);
      }
    }
    const viewer = await gql(t.app, mutations[0]!, undefined, t.as.viewer);
    assert.equal(viewer.errors![0]!.message, 'This needs the editor role.');
    assert.deepEqual(await t.db('audit_log').count({ n: '*' }), before);
    assert.equal((await s.pools.get(pool.id)).description, null);
    assert.equal((await s.reservations.get(held.id)).status, 'RESERVED');
    assert.equal((await s.reservations.list({ subscriber_id: 'intruder' })).total, 0);
    assert.equal((await s.pools.list({ q: 'nope' })).length, 0);
  });

  test('100 pools with utilization and 1,000 reservations with their pool cost a fixed number of statements', async () => {
    const s = servicesFor(t.db);
    for (let i = 0; i < 100; i++) {
      const p = await s.pools.create({ pool_name: `bulk-${i}`, pool_type: 'IPV4_PRIVATE', network_cidr: `10.${100 + Math.floor(i / 100)}.${i % 100}.0/24` });
      await s.reservations.reserveBatch({ pool_id: p.id, subscriber_id: `bulk-sub-${i}`, count: 10 });
    }
    const query = `{ ipPools(filters: { q: "bulk-" }) { id poolName networkCidr status utilization { used usable percent } }
      ipReservations(filters: { limit: 1000, live: true }) { id ipAddress subscriberId status pool { poolName } } }`;
    // A token used over a minute ago is touched (one more statement) by its next use: use it now,
    // so the count below is the query's alone however long the set-up took.
    await gql(t.app, '{ __typename }', undefined, t.as.viewer);
    let n = 0;
    const count = () => void n++;
    t.db.on('query', count);
    let a;
    try {
      a = await gql(t.app, query, undefined, t.as.viewer);
    } finally {
      t.db.off('query', count);
    }
    assert.equal(a.errors, undefined, a.text);
    const pools = a.data!.ipPools as { utilization: { used: number } }[];
    const reservations = a.data!.ipReservations as { pool: { poolName: string } | null }[];
    assert.equal(pools.length, 100);
    assert.ok(pools.every((p) => p.utilization.used === 10));
    assert.equal(reservations.length, 1000);
    assert.ok(reservations.every((r) => r.pool && r.pool.poolName.startsWith('bulk-')));
    // Token check; pools with used counts; the reservations' page (no count: the list shows none). The
    // reservations' pools are the listed ones, primed into the loader when ipPools answers first; the two
    // root fields run side by side, so when the reservations' pool fields ask first, one batched pool read.
    assert.ok(n <= 4, `ran ${n} statements`);
  });
});
