/**
 * /api/v1/ip-management reservations and subscriber operations over REST (both databases):
 * the lifecycle through PUT/DELETE, assign-ip ({pool_id, ip_type}) with one address per type,
 * manual addresses over conflicts (force with a reason, audited), release-ip, a subscriber's
 * addresses, termination and plan changes in one transaction each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { formatTimestamp } from '../../src/domain/time.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

const P = '/api/v1/ip-management';

interface Res {
  id: number;
  pool_id: number;
  subscriber_id: string;
  ip_address: string;
  ip_type: string;
  prefix_length: number | null;
  status: string;
  assigned_at: string | null;
  released_at: string | null;
  expires_at: string | null;
  forced_conflicts?: { conflict_type: string }[];
}

describe(`ip-management reservations and subscribers over REST (${DIALECT})`, () => {
  let t: TestApp;
  let v4 = 0;
  let pd = 0;
  before(async () => {
    t = await buildTestApp();
    // 198.51.100.0/29: usable .1–.6, gateway .1 → .2–.6 (5 addresses). No quarantine: a released
    // address is free at once (quarantine is test/services/pools-quarantine.test.ts's).
    const a = await request(t.app).post(`${P}/pools`).set(t.as.editor).send({ pool_name: 'Static v4', pool_type: 'IPV4_PUBLIC', network_cidr: '198.51.100.0/29', gateway: '198.51.100.1', quarantine_days: 0 });
    assert.equal(a.status, 201, a.text);
    v4 = (a.body as { id: number }).id;
    const b = await request(t.app).post(`${P}/pools`).set(t.as.editor).send({ pool_name: 'PD', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:100::/48', delegation_prefix_length: 56, quarantine_days: 0 });
    assert.equal(b.status, 201, b.text);
    pd = (b.body as { id: number }).id;
  });
  after(() => t.cleanup());

  const ed = () => t.as.editor;
  const assign = (sub: string, body: Record<string, unknown>) => request(t.app).post(`${P}/subscribers/${sub}/assign-ip`).set(ed()).send(body);
  const util = async (id: number) => (await request(t.app).get(`${P}/pools/${id}/utilization`)).body as Record<string, unknown>;

  test('reservations CRUD: reserve, read, list with X-Total-Count, assign and release through PUT, DELETE releases keeping history', async () => {
    let res = await request(t.app).post(`${P}/reservations`).set(ed()).send({ pool_id: v4, subscriber_id: 'sub-1', assignment_reason: 'new line' });
    assert.equal(res.status, 201, res.text);
    const r = res.body as Res;
    assert.deepEqual([r.ip_address, r.ip_type, r.status, r.subscriber_id], ['198.51.100.2', 'ipv4', 'RESERVED', 'sub-1']);
    assert.equal(((await request(t.app).get(`${P}/reservations/${r.id}`)).body as Res).ip_address, '198.51.100.2');
    let u = await util(v4);
    assert.deepEqual([u.reserved, u.assigned, u.available], [1, 0, 4]);

    res = await request(t.app).put(`${P}/reservations/${r.id}`).set(ed()).send({ status: 'ASSIGNED' });
    assert.equal(res.status, 200, res.text);
    assert.equal((res.body as Res).status, 'ASSIGNED');
    assert.ok((res.body as Res).assigned_at);
    u = await util(v4);
    assert.deepEqual([u.reserved, u.assigned, u.available], [0, 1, 4]);
    res = await request(t.app).put(`${P}/reservations/${r.id}`).set(ed()).send({ status: 'ASSIGNED' });
    assert.equal(res.status, 409, res.text);
    // One transaction: a refused step leaves the expiry sent with it unchanged.
    res = await request(t.app).put(`${P}/reservations/${r.id}`).set(ed()).send({ expires_at: '2099-01-01 00:00:00', status: 'ASSIGNED' });
    assert.equal(res.status, 409, res.text);
    assert.equal(((await request(t.app).get(`${P}/reservations/${r.id}`)).body as Res).expires_at, null);
    res = await request(t.app).put(`${P}/reservations/${r.id}`).set(ed()).send({});
    assert.equal(res.status, 422);
    assert.deepEqual((res.body as { detail: { loc: string[] }[] }).detail[0]!.loc, ['body', 'status']);

    res = await request(t.app).get(`${P}/reservations?subscriber_id=sub-1`).set(t.as.viewer);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['x-total-count'], '1');
    assert.deepEqual((res.body as Res[]).map((x) => x.ip_address), ['198.51.100.2']);

    res = await request(t.app).delete(`${P}/reservations/${r.id}`).set(ed());
    assert.equal(res.status, 200, res.text);
    assert.equal((res.body as Res).status, 'RELEASED');
    assert.equal((await request(t.app).delete(`${P}/reservations/${r.id}`).set(ed())).status, 409);
    // History is kept: the released record is still listed.
    res = await request(t.app).get(`${P}/reservations?ip_address=198.51.100.2`);
    assert.deepEqual((res.body as Res[]).map((x) => x.status), ['RELEASED']);
    assert.equal((await util(v4)).available, 5);
  });

  test('extend: a new expiry in the future, 422 for the past, 409 for a released reservation', async () => {
    const r = (await request(t.app).post(`${P}/reservations`).set(ed()).send({ pool_id: v4, subscriber_id: 'sub-x', expires_at: '2099-01-01 00:00:00' })).body as Res;
    let res = await request(t.app).post(`${P}/reservations/${r.id}/extend`).set(ed()).send({ expires_at: '2099-06-01T00:00:00Z' });
    assert.equal(res.status, 200, res.text);
    assert.equal((res.body as Res).expires_at, '2099-06-01 00:00:00');
    res = await request(t.app).post(`${P}/reservations/${r.id}/extend`).set(ed()).send({ expires_at: '2001-01-01 00:00:00' });
    assert.equal(res.status, 422);
    assert.match(res.text, /expires_at/);
    res = await request(t.app).put(`${P}/reservations/${r.id}`).set(ed()).send({ expires_at: '2099-07-01 00:00:00' });
    assert.equal((res.body as Res).expires_at, '2099-07-01 00:00:00');
    assert.equal((await request(t.app).delete(`${P}/reservations/${r.id}`).set(ed())).status, 200);
    res = await request(t.app).post(`${P}/reservations/${r.id}/extend`).set(ed()).send({ expires_at: '2099-08-01 00:00:00' });
    assert.equal(res.status, 409, res.text);
    const audit = await request(t.app).get(`/audit?target_type=IP_RESERVATION&target_id=${r.id}`).set(ed());
    assert.ok((audit.body as { changes: string }[]).some((e) => /expires_at: 2099-01-01 00:00:00 → 2099-06-01 00:00:00/.test(e.changes)), audit.text);
  });

  test('assign-ip {pool_id, ip_type}: next free address, assigned at once; one live address per type; wrong type 422; viewers refused', async () => {
    let res = await assign('sub-2', { pool_id: v4, ip_type: 'ipv4' });
    assert.equal(res.status, 201, res.text);
    const r = res.body as Res;
    assert.deepEqual([r.ip_address, r.status, r.forced_conflicts], ['198.51.100.2', 'ASSIGNED', []]);
    res = await assign('sub-2', { pool_id: v4, ip_type: 'ipv4' });
    assert.equal(res.status, 409);
    assert.match((res.body as { detail: string }).detail, /already holds an ipv4 address \(198\.51\.100\.2/);
    res = await assign('sub-2', { pool_id: v4, ip_type: 'ipv6' });
    assert.equal(res.status, 422);
    assert.match(res.text, /ip_type/);
    res = await assign('sub-2', { pool_id: v4, ip_type: 'ipv5' });
    assert.equal(res.status, 422);
    assert.deepEqual((res.body as { detail: { loc: string[] }[] }).detail[0]!.loc, ['body', 'ip_type']);
    res = await request(t.app).post(`${P}/subscribers/sub-2/assign-ip`).set(t.as.viewer).send({ pool_id: v4, ip_type: 'ipv4' });
    assert.equal(res.status, 403);
    res = await request(t.app).post(`${P}/subscribers/bad%20id/assign-ip`).set(ed()).send({ pool_id: v4, ip_type: 'ipv4' });
    assert.equal(res.status, 422);
    assert.match(res.text, /subscriber_id/);
  });

  test('a manual address over a holder is refused even with force; over live evidence it needs force and a reason, which is audited', async () => {
    assert.equal((await request(t.app).post('/ip-assets').set(ed()).send({ ip_address: '198.51.100.3', type: 'OS' })).status, 200);
    let res = await assign('sub-3', { pool_id: v4, ip_type: 'ipv4', ip_address: '198.51.100.3', force: true, reason: 'customer insists' });
    assert.equal(res.status, 409);
    const body = res.body as { conflicts: { conflict_type: string }[]; needs_force: boolean };
    assert.deepEqual([body.conflicts.map((c) => c.conflict_type), body.needs_force], [['IP_ASSET_IN_USE'], false]);

    // .4 answered a scan yesterday (an archived asset seen by discovery) although nothing holds it.
    assert.equal((await request(t.app).post('/ip-assets').set(ed()).send({ ip_address: '198.51.100.4', type: 'OS' })).status, 200);
    assert.equal((await request(t.app).post('/ip-assets/198.51.100.4/archive').set(ed())).status, 204);
    await t.db('ip_assets').where({ ip_address: '198.51.100.4' }).update({ last_seen_at: formatTimestamp(new Date(Date.now() - 86_400_000)) });
    res = await assign('sub-3', { pool_id: v4, ip_type: 'ipv4', ip_address: '198.51.100.4' });
    assert.equal(res.status, 409);
    assert.deepEqual((res.body as { conflicts: { conflict_type: string }[] }).conflicts.map((c) => c.conflict_type), ['LIVE_EVIDENCE']);
    assert.equal((res.body as { needs_force: boolean }).needs_force, true);
    res = await assign('sub-3', { pool_id: v4, ip_type: 'ipv4', ip_address: '198.51.100.4', force: true });
    assert.equal(res.status, 422);
    assert.deepEqual((res.body as { detail: { loc: string[] }[] }).detail[0]!.loc, ['body', 'reason']);
    res = await assign('sub-3', { pool_id: v4, ip_type: 'ipv4', ip_address: '198.51.100.4', force: true, reason: 'old CPE, verified unplugged' });
    assert.equal(res.status, 201, res.text);
    const r = res.body as Res;
    assert.deepEqual([r.ip_address, r.status, r.forced_conflicts!.map((c) => c.conflict_type)], ['198.51.100.4', 'ASSIGNED', ['LIVE_EVIDENCE']]);
    const audit = await request(t.app).get(`/audit?target_type=IP_RESERVATION&target_id=${r.id}`).set(ed());
    const changes = (audit.body as { changes: string; username: string }[]).map((e) => e.changes);
    assert.ok(changes.some((c) => /forced over LIVE_EVIDENCE .*reason: old CPE, verified unplugged/.test(c)), JSON.stringify(changes));
  });

  test('a subscriber\'s addresses, release-ip by type, history kept', async () => {
    let res = await request(t.app).get(`${P}/subscribers/sub-3/ips`).set(t.as.viewer);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual((res.body as { ips: Res[] }).ips.map((r) => r.ip_address), ['198.51.100.4']);
    res = await request(t.app).post(`${P}/subscribers/sub-3/release-ip`).set(ed()).send({ ip_type: 'ipv4' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual((res.body as { released: Res[] }).released.map((r) => [r.ip_address, r.status]), [['198.51.100.4', 'RELEASED']]);
    assert.deepEqual(((await request(t.app).get(`${P}/subscribers/sub-3/ips`)).body as { ips: Res[] }).ips, []);
    res = await request(t.app).get(`${P}/subscribers/sub-3/ips?history=true`);
    assert.deepEqual((res.body as { ips: Res[] }).ips.map((r) => r.status), ['RELEASED']);
    res = await request(t.app).post(`${P}/subscribers/sub-3/release-ip`).set(ed()).send({ ip_type: 'ipv4' });
    assert.equal(res.status, 404);
    res = await request(t.app).post(`${P}/subscribers/sub-3/release-ip`).set(ed()).send({});
    assert.equal(res.status, 422);
    assert.match(res.text, /reservation_id/);
  });

  test('plan change: add an IPv4 address and a /56 delegation in one call; a short pool rolls the whole change back', async () => {
    let res = await request(t.app)
      .post(`${P}/subscribers/sub-4/plan-change`)
      .set(ed())
      .send({ add: [{ pool_id: v4, ip_type: 'ipv4' }, { pool_id: pd, ip_type: 'ipv6_prefix' }] });
    assert.equal(res.status, 200, res.text);
    const added = (res.body as { added: Res[] }).added;
    // .2 is sub-2's, .3 an IP asset's, .4 released by sub-3 a moment ago: the next free is .4 again.
    assert.deepEqual(added.map((r) => [r.ip_type, r.ip_address, r.status]), [['ipv4', '198.51.100.4', 'ASSIGNED'], ['ipv6_prefix', '2001:db8:100::/56', 'ASSIGNED']]);
    // Fill the v4 pool so the next addition cannot be served.
    for (;;) if ((await request(t.app).post(`${P}/reservations`).set(ed()).send({ pool_id: v4, subscriber_id: 'filler' })).status !== 201) break;
    assert.equal((await util(v4)).status, 'DEPLETED');
    // sub-5 takes a prefix, then a change dropping it for an IPv4 address the full pool cannot give.
    res = await request(t.app).post(`${P}/subscribers/sub-5/plan-change`).set(ed()).send({ add: [{ pool_id: pd, ip_type: 'ipv6_prefix' }] });
    assert.equal(res.status, 200, res.text);
    res = await request(t.app).post(`${P}/subscribers/sub-5/plan-change`).set(ed()).send({ remove: ['ipv6_prefix'], add: [{ pool_id: v4, ip_type: 'ipv4' }] });
    assert.equal(res.status, 409, res.text);
    assert.match((res.body as { detail: string }).detail, /Static v4/);
    // Nothing of the failed change stayed: sub-5 still holds its prefix.
    const ips = ((await request(t.app).get(`${P}/subscribers/sub-5/ips`)).body as { ips: Res[] }).ips;
    assert.deepEqual(ips.map((r) => [r.ip_type, r.status]), [['ipv6_prefix', 'ASSIGNED']]);
    res = await request(t.app).post(`${P}/subscribers/sub-5/plan-change`).set(ed()).send({ add: [{ pool_id: pd, ip_type: 'ipv6_prefix' }], remove: ['ipv6_prefix'] });
    assert.equal(res.status, 422);
    assert.match(res.text, /both added and removed/);
  });

  test('terminate: every address of the subscriber released in one call, history kept', async () => {
    let res = await request(t.app).post(`${P}/subscribers/sub-4/terminate`).set(ed()).send({ reason: 'contract ended' });
    assert.equal(res.status, 200, res.text);
    const released = (res.body as { released: Res[] }).released;
    assert.deepEqual(released.map((r) => [r.ip_type, r.status]).sort(), [['ipv4', 'RELEASED'], ['ipv6_prefix', 'RELEASED']]);
    assert.deepEqual(((await request(t.app).get(`${P}/subscribers/sub-4/ips`)).body as { ips: Res[] }).ips, []);
    assert.equal(((await request(t.app).get(`${P}/subscribers/sub-4/ips?history=1`)).body as { ips: Res[] }).ips.length, 2);
    res = await request(t.app).post(`${P}/subscribers/sub-4/terminate`).set(ed()).send({});
    assert.deepEqual((res.body as { released: Res[] }).released, []);
    assert.equal((await request(t.app).post(`${P}/subscribers/sub-4/terminate`).set(t.as.viewer).send({})).status, 403);
  });

  test('POST /reservations with a manual address is conflict-checked like assign-ip: force with a reason overrides another pool and live evidence', async () => {
    const outer = await request(t.app).post(`${P}/pools`).set(ed()).send({ pool_name: 'Manual', pool_type: 'IPV4_PRIVATE', network_cidr: '10.77.0.0/29' });
    assert.equal(outer.status, 201, outer.text);
    assert.equal((await request(t.app).post(`${P}/pools`).set(ed()).send({ pool_name: 'Manual inner', pool_type: 'IPV4_PRIVATE', network_cidr: '10.77.0.4/30' })).status, 201);
    assert.equal((await request(t.app).post('/ip-assets').set(ed()).send({ ip_address: '10.77.0.5', type: 'OS' })).status, 200);
    assert.equal((await request(t.app).post('/ip-assets/10.77.0.5/archive').set(ed())).status, 204);
    await t.db('ip_assets').where({ ip_address: '10.77.0.5' }).update({ last_seen_at: formatTimestamp(new Date(Date.now() - 3_600_000)) });
    const id = (outer.body as { id: number }).id;
    let res = await request(t.app).post(`${P}/reservations`).set(ed()).send({ pool_id: id, subscriber_id: 'sub-m', ip_address: '10.77.0.5' });
    assert.equal(res.status, 409, res.text);
    assert.deepEqual((res.body as { conflicts: { conflict_type: string }[] }).conflicts.map((c) => c.conflict_type), ['LIVE_EVIDENCE', 'IN_OTHER_POOL']);
    res = await request(t.app).post(`${P}/reservations`).set(ed()).send({ pool_id: id, subscriber_id: 'sub-m', ip_address: '10.77.0.5', force: true });
    assert.equal(res.status, 422);
    assert.match(res.text, /reason/);
    res = await request(t.app).post(`${P}/reservations`).set(ed()).send({ pool_id: id, subscriber_id: 'sub-m', ip_address: '10.77.0.5', force: true, reason: 'migrating from the inner pool' });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual([(res.body as Res).status, (res.body as Res).forced_conflicts!.map((c) => c.conflict_type)], ['RESERVED', ['LIVE_EVIDENCE', 'IN_OTHER_POOL']]);
    // Without a manual address nothing is checked: the next free one (.1) is taken as before.
    res = await request(t.app).post(`${P}/reservations`).set(ed()).send({ pool_id: id, subscriber_id: 'sub-n' });
    assert.deepEqual([res.status, (res.body as Res).ip_address, (res.body as Res).forced_conflicts], [201, '10.77.0.1', []]);
  });

  test('assign-ip from a group (role or site): whichever pool of the group has room serves; a full group answers 409', async () => {
    for (const [name, cidr] of [['Edge A', '10.88.0.0/31'], ['Edge B', '10.88.1.0/31']]) {
      const res = await request(t.app).post(`${P}/pools`).set(ed()).send({ pool_name: name, pool_type: 'IPV4_PRIVATE', network_cidr: cidr, group_name: 'edge' });
      assert.equal(res.status, 201, res.text);
    }
    const got: string[] = [];
    for (const sub of ['g1', 'g2', 'g3', 'g4']) {
      const res = await assign(sub, { group_name: 'edge', ip_type: 'ipv4' });
      assert.equal(res.status, 201, res.text);
      got.push((res.body as Res).ip_address);
    }
    assert.deepEqual(got, ['10.88.0.0', '10.88.0.1', '10.88.1.0', '10.88.1.1']);
    const res = await assign('g5', { group_name: 'edge', ip_type: 'ipv4' });
    assert.equal(res.status, 409);
    assert.match((res.body as { detail: string }).detail, /No pool of group edge has room/);
    const both = await assign('g5', { group_name: 'edge', pool_id: 1, ip_type: 'ipv4' });
    assert.equal(both.status, 422);
    assert.deepEqual((both.body as { detail: { loc: string[] }[] }).detail[0]!.loc, ['body', 'pool_id']);
  });

  test('a manual /56 in a prefix-delegation pool is conflict-checked as a prefix: taken when free, 422 for a /64 or a prefix given to an address pool, 409 over a holder', async () => {
    const made = await request(t.app).post(`${P}/pools`).set(ed()).send({ pool_name: 'PD manual', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:200::/48', delegation_prefix_length: 56 });
    assert.equal(made.status, 201, made.text);
    const id = (made.body as { id: number }).id;
    const reserve = (ip: string, pool = id) => request(t.app).post(`${P}/reservations`).set(ed()).send({ pool_id: pool, subscriber_id: 'sub-pd', ip_address: ip });
    const detail = (res: { body: unknown }) => (res.body as { detail: { loc: string[]; msg: string }[] }).detail.map((d) => [d.loc.join('.'), d.msg]);

    let res = await reserve('2001:db8:200:100::/56');
    assert.equal(res.status, 201, res.text);
    assert.deepEqual([(res.body as Res).ip_address, (res.body as Res).ip_type, (res.body as Res).prefix_length, (res.body as Res).status], ['2001:db8:200:100::/56', 'ipv6_prefix', 56, 'RESERVED']);
    // The same prefix again, and a /56 check over it: the reservation holding it is named.
    res = await reserve('2001:db8:200:100::/56');
    assert.equal(res.status, 409, res.text);
    assert.deepEqual((res.body as { conflicts: { conflict_type: string }[] }).conflicts.map((c) => c.conflict_type), ['RESERVATION_EXISTS']);
    assert.match(res.text, /overlaps 2001:db8:200:100::\/56, held \(reserved\) by subscriber sub-pd/);
    res = await request(t.app).post(`${P}/check-conflicts`).set(t.as.viewer).send({ ip_address: '2001:db8:200:100::/56', pool_id: id });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual((res.body as { conflicts: { conflict_type: string }[] }).conflicts.map((c) => c.conflict_type), ['RESERVATION_EXISTS']);

    // A live IP asset inside another /56: refused naming the asset; outside the pool: refused.
    assert.equal((await request(t.app).post('/ip-assets').set(ed()).send({ ip_address: '2001:db8:200:2ff::9', type: 'OS' })).status, 200);
    res = await reserve('2001:db8:200:200::/56');
    assert.equal(res.status, 409, res.text);
    assert.deepEqual((res.body as { conflicts: { conflict_type: string }[] }).conflicts.map((c) => c.conflict_type), ['IP_ASSET_IN_USE']);
    assert.match(res.text, /contains 2001:db8:200:2ff::9/);
    res = await reserve('2001:db8:201::/56');
    assert.equal(res.status, 409, res.text);
    assert.deepEqual((res.body as { conflicts: { conflict_type: string }[] }).conflicts.map((c) => c.conflict_type), ['OUTSIDE_POOL']);

    // The wrong length, and a prefix sent to an address pool: 422 at ip_address saying what to give.
    res = await reserve('2001:db8:200:300::/64');
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(detail(res), [['body.ip_address', 'Pool PD manual delegates /56 prefixes, not /64: give a /56 of 2001:db8:200::/48.']]);
    res = await reserve('198.51.100.0/30', v4);
    assert.equal(res.status, 422, res.text);
    assert.match(detail(res)[0]![1]!, /^Pool Static v4 hands out single addresses, not prefixes: give one address of 198\.51\.100\.0\/29/);
    assert.equal(detail(res)[0]![0], 'body.ip_address');
    res = await request(t.app).post(`${P}/check-conflicts`).set(t.as.viewer).send({ ip_address: '2001:db8:200:300::/64', pool_id: id });
    assert.equal(res.status, 422, res.text);
    // assign-ip takes the same path: a free /56 is assigned at once.
    res = await assign('sub-pd2', { pool_id: id, ip_type: 'ipv6_prefix', ip_address: '2001:db8:200:300::/56' });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual([(res.body as Res).ip_address, (res.body as Res).status], ['2001:db8:200:300::/56', 'ASSIGNED']);
    // A pool nested inside a /56 (not around it) is another pool of that prefix too: forceable, named.
    assert.equal((await request(t.app).post(`${P}/pools`).set(ed()).send({ pool_name: 'PD lab', pool_type: 'IPV6_GLOBAL', network_cidr: '2001:db8:200:4ff::/64' })).status, 201);
    res = await reserve('2001:db8:200:400::/56');
    assert.equal(res.status, 409, res.text);
    assert.deepEqual((res.body as { conflicts: { conflict_type: string; message: string }[] }).conflicts.map((c) => [c.conflict_type, c.message]), [['IN_OTHER_POOL', '2001:db8:200:400::/56 also overlaps pool PD lab (2001:db8:200:4ff::/64).']]);
    assert.equal((res.body as { needs_force: boolean }).needs_force, true);
  });
});
