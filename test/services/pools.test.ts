import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, ValidationError } from '../../src/domain/errors.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

/** The field a failure names (ValidationError issue loc, or a ConflictError's field). */
function fieldOf(err: unknown): string | undefined {
  if (err instanceof ValidationError) return err.issues.map((i) => i.loc.slice(1).join('.')).join(',');
  if (err instanceof ConflictError) return err.field;
  return undefined;
}

async function refused(p: Promise<unknown>, status: number, field: string | undefined, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: Error & { status?: number }) => {
    assert.equal(err.status, status, err.message);
    assert.equal(fieldOf(err), field, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe(`pools and reservations (${DIALECT})`, () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(() => t.cleanup());

  it('a pool is a range with settings: created, listed, shown in the range list, updated, audited', async () => {
    const s = servicesFor(t.db);
    const pool = await s.pools.create({ pool_name: 'cust-a', pool_type: 'IPV4_PUBLIC', network_cidr: '203.0.113.0/24', gateway: '203.0.113.1', dns_servers: '9.9.9.9, 1.1.1.1', vlan_id: 120 });
    assert.equal(pool.network_cidr, '203.0.113.0/24');
    assert.deepEqual(pool.dns_servers, ['9.9.9.9', '1.1.1.1']);
    assert.equal(pool.status, 'ACTIVE');
    assert.equal(pool.utilization_alert_threshold, 80);
    assert.equal(pool.auto_assign_enabled, true);
    const range = (await s.ranges.list()).find((r) => r.id === pool.id);
    assert.equal(range?.name, 'cust-a');
    const updated = await s.pools.update(pool.id, { description: 'customers', utilization_alert_threshold: 90 });
    assert.equal(updated.utilization_alert_threshold, 90);
    const audit = await s.audit.list({ target_type: 'IP_POOL', target_id: pool.id });
    assert.deepEqual(audit.items.map((e) => e.action).sort(), ['CREATE', 'UPDATE']);
    assert.match(audit.items.find((e) => e.action === 'UPDATE')!.changes ?? '', /utilization_alert_threshold: 80 → 90/);
    assert.equal((await s.pools.list({ q: 'cust' })).length, 1);
  });

  it('a pool (or its range) holding live reservations is not deleted; released, it goes with its history', async () => {
    const s = servicesFor(t.db);
    const pool = await s.pools.create({ pool_name: 'gone', pool_type: 'IPV4_PRIVATE', network_cidr: '10.26.0.0/30' });
    const r = await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'd' });
    await refused(s.pools.delete(pool.id), 409, undefined, /1 live reservation/);
    await assert.rejects(s.ranges.delete(pool.id), /live reservation/);
    await s.reservations.release(r.id);
    await s.pools.delete(pool.id);
    await assert.rejects(s.pools.get(pool.id), /not found/);
    assert.equal((await s.ranges.list()).some((x) => x.id === pool.id), false);
    assert.equal((await t.db('ip_reservations').where({ pool_id: pool.id })).length, 0);
    assert.deepEqual((await s.audit.list({ target_type: 'IP_POOL', target_id: pool.id })).items.map((e) => e.action).sort(), ['CREATE', 'DELETE']);
  });

  it('bad pool input answers 4xx naming the field', async () => {
    const s = servicesFor(t.db);
    const base = { pool_name: 'bad', pool_type: 'IPV4_PRIVATE' as const, network_cidr: '10.9.0.0/24' };
    await refused(s.pools.create({ ...base, network_cidr: '10.9.0.0/33' }), 422, 'network_cidr');
    await refused(s.pools.create({ ...base, network_cidr: '2001:db8::/64' }), 422, 'network_cidr', /IPv6/);
    await refused(s.pools.create({ ...base, gateway: '10.9.1.1' }), 422, 'gateway', /outside/);
    await refused(s.pools.create({ ...base, gateway: '10.9.0.0' }), 422, 'gateway', /network address/);
    await refused(s.pools.create({ ...base, gateway: '10.9.0.255' }), 422, 'gateway', /broadcast/);
    await refused(s.pools.create({ ...base, dns_servers: ['8.8.8.8', 'dns.example'] }), 422, 'dns_servers.1');
    await refused(s.pools.create({ ...base, pool_type: 'IPV4_X' as never }), 422, 'pool_type');
    await refused(s.pools.create({ ...base, vlan_id: 5000 }), 422, 'vlan_id');
    await refused(s.pools.create({ ...base, pool_name: 'cust-a' }), 409, 'pool_name');
  });

  it('reserve → assign → release keeps the history; the address is used while live and free after (no quarantine)', async () => {
    const s = servicesFor(t.db);
    // quarantine_days 0: a released address is free at once (quarantine: pools-quarantine.test.ts).
    const pool = await s.pools.create({ pool_name: 'life', pool_type: 'IPV4_PRIVATE', network_cidr: '10.20.0.0/29', gateway: '10.20.0.1', quarantine_days: 0 });
    const r = await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'sub-1', assignment_reason: 'new line' });
    // .0 is the network, .1 the gateway.
    assert.equal(r.ip_address, '10.20.0.2');
    assert.equal(r.status, 'RESERVED');
    assert.equal((await s.pools.get(pool.id)).utilization.used, 1);
    const a = await s.reservations.assign(r.id);
    assert.equal(a.status, 'ASSIGNED');
    assert.equal(a.assigned_by, 'tester');
    assert.ok(a.assigned_at);
    await refused(s.reservations.assign(r.id), 409, 'status', /ASSIGNED/);
    const rel = await s.reservations.release(r.id, { reason: 'contract ended' });
    assert.equal(rel.status, 'RELEASED');
    assert.ok(rel.released_at);
    assert.equal((await s.pools.get(pool.id)).utilization.used, 0);
    // The same address again: a new live row; the released one stays.
    const again = await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'sub-2' });
    assert.equal(again.ip_address, '10.20.0.2');
    const history = await s.reservations.list({ ip_address: '10.20.0.2' });
    assert.deepEqual(history.items.map((h) => [h.subscriber_id, h.status]), [['sub-2', 'RESERVED'], ['sub-1', 'RELEASED']]);
    const audit = await s.audit.list({ target_type: 'IP_RESERVATION', target_id: r.id });
    assert.deepEqual(audit.items.map((e) => e.changes).reverse(), [
      'RESERVED 10.20.0.2 for subscriber sub-1 in pool life; reason: new line',
      'status: RESERVED → ASSIGNED',
      'status: ASSIGNED → RELEASED; reason: contract ended',
    ]);
  });

  it('the database allows one live reservation per address', async () => {
    const s = servicesFor(t.db);
    const pool = await s.pools.create({ pool_name: 'uniq', pool_type: 'IPV4_PRIVATE', network_cidr: '10.21.0.0/30' });
    const r = await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'x', ip_address: '10.21.0.1' });
    const row = await t.db('ip_reservations').where({ id: r.id }).first();
    const copy = { ...row, id: undefined, subscriber_id: 'y' };
    delete copy.id;
    await assert.rejects(t.db('ip_reservations').insert(copy), /unique|UNIQUE/);
    // A released copy still in quarantine holds the address too; a reclaimed one is history and may sit beside the live one.
    await assert.rejects(t.db('ip_reservations').insert({ ...copy, status: 'RELEASED' }), /unique|UNIQUE/);
    await t.db('ip_reservations').insert({ ...copy, status: 'RELEASED', reclaimed_at: copy.created_at });
  });

  it('manual reservations: outside, network, gateway and held addresses are refused naming the holder', async () => {
    const s = servicesFor(t.db);
    const pool = await s.pools.create({ pool_name: 'man', pool_type: 'IPV4_PRIVATE', network_cidr: '10.22.0.0/24', gateway: '10.22.0.1' });
    await refused(s.reservations.reserve({ pool_id: pool.id, subscriber_id: 's', ip_address: '10.23.0.5' }), 422, 'ip_address', /outside/);
    await refused(s.reservations.reserve({ pool_id: pool.id, subscriber_id: 's', ip_address: '10.22.0.255' }), 422, 'ip_address', /broadcast/);
    await refused(s.reservations.reserve({ pool_id: pool.id, subscriber_id: 's', ip_address: 'nope' }), 422, 'ip_address');
    await refused(s.reservations.reserve({ pool_id: pool.id, subscriber_id: 's', ip_address: '10.22.0.1' }), 409, 'ip_address', /gateway/);
    await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'alice', ip_address: '10.22.0.7' });
    await refused(s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'bob', ip_address: '10.22.0.7' }), 409, 'ip_address', /held by subscriber alice/);
    await s.assets.create({ ip_address: '10.22.0.8', type: 'VM' });
    await refused(s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'bob', ip_address: '10.22.0.8' }), 409, 'ip_address', /in use by IP asset 10\.22\.0\.8/);
    // IP asset creation over a held address: 409 naming the subscriber.
    await refused(s.assets.create({ ip_address: '10.22.0.7', type: 'VM' }), 409, 'ip_address', /held by subscriber alice/);
    await s.pools.update(pool.id, { allow_manual_reservation: false });
    await refused(s.reservations.reserve({ pool_id: pool.id, subscriber_id: 's', ip_address: '10.22.0.9' }), 409, 'ip_address', /manual/);
  });

  it('auto allocation skips used addresses and the gateway, lowest or highest first, preferred with fallback', async () => {
    const s = servicesFor(t.db);
    const pool = await s.pools.create({ pool_name: 'auto', pool_type: 'IPV4_PRIVATE', network_cidr: '10.24.0.0/28', gateway: '10.24.0.14' });
    await s.assets.create({ ip_address: '10.24.0.1', type: 'VM' });
    assert.equal((await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'a' })).ip_address, '10.24.0.2');
    // .15 broadcast, .14 gateway.
    assert.equal((await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'a', order: 'highest' })).ip_address, '10.24.0.13');
    assert.equal((await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'a', preferred_address: '10.24.0.9' })).ip_address, '10.24.0.9');
    await refused(s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'a', expires_at: '2001-01-01 00:00:00' }), 422, 'expires_at', /future/);
    await refused(s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'a', expires_at: 'soon' }), 422, 'expires_at');
    // Taken: falls back to the next free.
    assert.equal((await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'a', preferred_address: '10.24.0.9' })).ip_address, '10.24.0.3');
  });

  it('a batch is all or nothing; an exhausted pool answers 409 saying how full it is', async () => {
    const s = servicesFor(t.db);
    const pool = await s.pools.create({ pool_name: 'small', pool_type: 'IPV4_PRIVATE', network_cidr: '10.25.0.0/29', gateway: '10.25.0.1' });
    // 6 usable, minus the gateway: 5.
    await refused(s.reservations.reserveBatch({ pool_id: pool.id, subscriber_id: 'b', count: 6 }), 409, 'pool_id', /Pool small has only 5 free addresses: 0 of 5 used; 6 addresses were asked for/);
    assert.equal((await s.reservations.list({ pool_id: pool.id })).total, 0);
    const batch = await s.reservations.reserveBatch({ pool_id: pool.id, subscriber_id: 'b', count: 5 });
    assert.deepEqual(batch.map((r) => r.ip_address), ['10.25.0.2', '10.25.0.3', '10.25.0.4', '10.25.0.5', '10.25.0.6']);
    await refused(s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'c' }), 409, 'pool_id', /Pool small has no free address: 5 of 5 used/);
  });

  it('group allocation takes the first pool of the group with room', async () => {
    const s = servicesFor(t.db);
    const p1 = await s.pools.create({ pool_name: 'site-1a', pool_type: 'IPV4_PUBLIC', network_cidr: '198.51.100.0/31', group_name: 'site-1' });
    const p2 = await s.pools.create({ pool_name: 'site-1b', pool_type: 'IPV4_PUBLIC', network_cidr: '198.51.100.8/30', group_name: 'site-1' });
    const got = [];
    for (let i = 0; i < 4; i++) got.push(await s.reservations.reserve({ group_name: 'site-1', subscriber_id: `g${i}` }));
    assert.deepEqual(got.map((r) => [r.pool_id, r.ip_address]), [
      [p1.id, '198.51.100.0'],
      [p1.id, '198.51.100.1'],
      [p2.id, '198.51.100.9'],
      [p2.id, '198.51.100.10'],
    ]);
    await refused(s.reservations.reserve({ group_name: 'site-1', subscriber_id: 'g5' }), 409, 'group_name', /No pool of group site-1 has room/);
  });

  it('prefix delegation: the next free /56 of a /48, a delegated prefix holds its whole span', async () => {
    const s = servicesFor(t.db);
    const pool = await s.pools.create({ pool_name: 'pd', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:100::/48', delegation_prefix_length: 56 });
    const a = await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'cpe-1' });
    assert.equal(a.ip_address, '2001:db8:100::/56');
    assert.equal(a.ip_type, 'ipv6_prefix');
    assert.equal(a.prefix_length, 56);
    await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'cpe-2', ip_address: '2001:db8:100:100::/56' });
    assert.equal((await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'cpe-3' })).ip_address, '2001:db8:100:200::/56');
    assert.equal((await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'cpe-4', order: 'highest' })).ip_address, '2001:db8:100:ff00::/56');
    await refused(s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'x', ip_address: '2001:db8:100:100::/56' }), 409, 'ip_address', /held by subscriber cpe-2/);
    await refused(s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'x', ip_address: '2001:db8:100:300::/64' }), 422, 'ip_address', /\/56/);
    // An address inside a delegated prefix is held by it.
    await refused(s.assets.create({ ip_address: '2001:db8:100:1ab::1', type: 'VM' }), 409, 'ip_address', /held by subscriber cpe-2/);
    const counts = await s.pools.stateCounts(pool.id);
    assert.deepEqual([counts.unit, counts.total, counts.reserved, counts.available], ['prefix', 256, 4, 252]);
  });
});
