/**
 * Pull, bulk sync and conflicts over the REST API against the fake NetBox (issue 16): a NetBox
 * prefix imported as a pool with its addresses as reservations; a sync that finds each kind of
 * conflict (an address NetBox holds that we consider free, another status, another holder, a
 * prefix that differs), each resolved ours and theirs (and one ignored); a repeated sync with nothing
 * changed writes nothing on either side; status and run history; viewers read but never write.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../api/app.js';
import { FakeNetBox } from '../fakes/netbox.js';
import { DIALECT } from '../helpers/db.js';
import { statementCounter } from '../helpers/statements.js';

const IPM = '/api/v1/ip-management';
let t: TestApp;
const fake = new FakeNetBox({ v2: { key: 'k1', token: 's3cret' } });
let closeFake: () => Promise<void>;

before(async () => {
  t = await buildTestApp();
  const s = await fake.listen();
  closeFake = s.close;
  // The v2 token form, saved as a secret of the netbox connection.
  const saved = await request(t.app).post('/connectors/configs').set(t.as.editor).send({ name: 'netbox', plugin: 'netbox', options: { url: s.url, token: 'nbt_k1.s3cret', timeout: 15, retries: 0 } });
  assert.equal(saved.status, 201, saved.text);
  assert.equal((saved.body as { options: { token: string } }).options.token, '***');
});
after(async () => {
  await closeFake();
  await t.cleanup();
});

type Conflict = { id: number; kind: string; subject: string; status: string; pool_id: number };
const openConflicts = async (poolId: number): Promise<Conflict[]> => ((await request(t.app).get(`${IPM}/netbox/conflicts?pool_id=${poolId}`).set(t.as.viewer)).body as { items: Conflict[] }).items;
const reservationsOf = async (poolId: number): Promise<{ id: number; ip_address: string; status: string; subscriber_id: string; netbox_ip_id: number | null }[]> =>
  (await request(t.app).get(`${IPM}/reservations?pool_id=${poolId}&live=true&limit=1000`).set(t.as.viewer)).body as never[];
const auditCount = async (): Promise<number> => Number(((await t.db('audit_log').count({ n: '*' })) as { n: number | string }[])[0]!.n);
const sync = (poolId: number) => request(t.app).post(`${IPM}/pools/${poolId}/sync-netbox`).set(t.as.editor);

test(`import-prefix: a NetBox prefix becomes a pool, its addresses reservations (active → assigned, reserved → reserved, deprecated skipped) (${DIALECT})`, async () => {
  const prefix = fake.addPrefix({ prefix: '10.50.0.0/28', description: 'imported-lan', status: 'active' });
  const a = fake.addIp({ address: '10.50.0.2/28', status: 'active', description: 'sub-a' });
  const b = fake.addIp({ address: '10.50.0.3/28', status: 'reserved', description: 'sub-b' });
  fake.addIp({ address: '10.50.0.4/28', status: 'deprecated', description: 'old' });

  assert.equal((await request(t.app).post(`${IPM}/netbox/import-prefix/${prefix.id}`).set(t.as.viewer)).status, 403);
  const res = await request(t.app).post(`${IPM}/netbox/import-prefix/${prefix.id}`).set(t.as.editor);
  assert.equal(res.status, 201, res.text);
  const pool = (res.body as { pool: { id: number; pool_name: string; network_cidr: string; netbox_prefix_id: number; pool_type: string } }).pool;
  assert.deepEqual([pool.pool_name, pool.network_cidr, pool.netbox_prefix_id, pool.pool_type], ['imported-lan', '10.50.0.0/28', prefix.id, 'IPV4_PRIVATE']);
  assert.equal((res.body as { run: { counts: { imported: number } } }).run.counts.imported, 3, 'the pool and two addresses');
  const held = (await reservationsOf(pool.id)).map((r) => [r.ip_address, r.status, r.subscriber_id, r.netbox_ip_id]).sort();
  assert.deepEqual(held, [['10.50.0.2', 'ASSIGNED', 'sub-a', a.id], ['10.50.0.3', 'RESERVED', 'sub-b', b.id]]);

  const again = await request(t.app).post(`${IPM}/netbox/import-prefix/${prefix.id}`).set(t.as.editor);
  assert.equal(again.status, 409);
  assert.match((again.body as { detail: string }).detail, /is pool \d+ already/);
  assert.equal((await request(t.app).post(`${IPM}/netbox/import-prefix/987654`).set(t.as.editor)).status, 404);

  // Syncing what was just imported (the queued pushes included) changes nothing in NetBox.
  const from = fake.requests.length;
  const s = await sync(pool.id);
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(fake.writes(from), []);
  assert.deepEqual(await openConflicts(pool.id), []);
});

test(`sync finds each kind of conflict; each resolves ours and theirs, one is ignored; a second sync with nothing changed writes nothing on either side (${DIALECT})`, async () => {
  const created = await request(t.app).post(`${IPM}/pools`).set(t.as.editor).send({ pool_name: 'ours-pool', pool_type: 'IPV4_PRIVATE', network_cidr: '10.60.0.0/28', gateway: '10.60.0.1' });
  assert.equal(created.status, 201, created.text);
  const poolId = (created.body as { id: number }).id;
  const reserve = async (ip: string, sub: string, assign = false): Promise<void> => {
    const r = await request(t.app).post(`${IPM}/reservations`).set(t.as.editor).send({ pool_id: poolId, ip_address: ip, subscriber_id: sub, assign });
    assert.equal(r.status, 201, r.text);
  };
  await reserve('10.60.0.2', 'alice');
  await reserve('10.60.0.3', 'bob', true);
  await reserve('10.60.0.4', 'carol');
  await reserve('10.60.0.5', 'dave', true);
  let res = await sync(poolId);
  assert.equal(res.status, 200, res.text);
  assert.equal((res.body as { counts: { created: number } }).counts.created, 0, 'the queue had pushed them already, before the comparison');
  const prefix = [...fake.prefixes.values()].find((p) => p.prefix === '10.60.0.0/28')!;
  assert.equal(prefix.description, 'ours-pool');

  // NetBox is edited behind our back.
  fake.ipByAddress('10.60.0.2')!.status = 'active'; // status: ours reserved
  fake.ipByAddress('10.60.0.4')!.status = 'deprecated'; // status: ours reserved
  fake.ipByAddress('10.60.0.3')!.description = 'mallory'; // holder: ours bob
  fake.ipByAddress('10.60.0.5')!.description = 'eve'; // holder: ours dave
  fake.addIp({ address: '10.60.0.9/28', status: 'active', description: 'intruder' }); // free here
  fake.addIp({ address: '10.60.0.10/28', status: 'reserved', description: 'squatter' }); // free here
  prefix.description = 'renamed-in-netbox';

  res = await sync(poolId);
  assert.equal(res.status, 200, res.text);
  const found = await openConflicts(poolId);
  assert.deepEqual(found.map((c) => `${c.kind} ${c.subject}`).sort(), [
    'holder 10.60.0.3', 'holder 10.60.0.5', 'netbox_only 10.60.0.10', 'netbox_only 10.60.0.9', 'prefix 10.60.0.0/28', 'status 10.60.0.2', 'status 10.60.0.4',
  ]);
  const status = await request(t.app).get(`${IPM}/netbox/status`).set(t.as.viewer);
  assert.equal((status.body as { open_conflicts: number }).open_conflicts, 7);

  // The same sync again: NetBox unchanged, we unchanged — no write to NetBox, none here.
  let from = fake.requests.length;
  const audits = await auditCount();
  const before = await t.db('netbox_conflicts').orderBy('id');
  const counter = statementCounter(t.db);
  const again = await counter.counted(() => sync(poolId));
  counter.stop();
  res = again.res;
  const sql = again.sql;
  assert.equal(res.status, 200);
  assert.deepEqual(fake.writes(from), []);
  // The pool's reservations are read in one page (their ids, then the rows), not one statement each.
  const rowReads = sql.filter((q) => /from [`"]ip_reservations[`"] where [`"]id[`"] (=|in)/i.test(q));
  assert.deepEqual(rowReads.map((q) => (/ in \(/.test(q) ? 'page' : 'one')), ['page'], rowReads.join('\n'));
  assert.equal(await auditCount(), audits);
  assert.deepEqual(await t.db('netbox_conflicts').orderBy('id'), before);

  const by = (kind: string, subject: string): Conflict => found.find((c) => c.kind === kind && c.subject === subject)!;
  const resolve = (c: Conflict, resolution: string, as: 'editor' | 'viewer' = 'editor') => request(t.app).post(`${IPM}/netbox/conflicts/${c.id}/resolve`).set(t.as[as]).send({ resolution });
  assert.equal((await resolve(by('status', '10.60.0.2'), 'theirs', 'viewer')).status, 403);
  assert.equal((await resolve(by('status', '10.60.0.2'), 'sideways')).status, 422);

  for (const [kind, subject, resolution] of [
    ['status', '10.60.0.2', 'theirs'], // assigned here, as NetBox says active
    ['status', '10.60.0.4', 'ours'], // NetBox back to reserved
    ['holder', '10.60.0.3', 'theirs'], // mallory holds it here now
    ['holder', '10.60.0.5', 'ours'], // NetBox back to dave
    ['netbox_only', '10.60.0.9', 'theirs'], // reserved here for intruder
    ['netbox_only', '10.60.0.10', 'ours'], // deprecated in NetBox
    ['prefix', '10.60.0.0/28', 'ours'], // NetBox prefix renamed back
  ] as const) {
    const r = await resolve(by(kind, subject), resolution);
    assert.equal(r.status, 200, `${kind} ${subject} ${resolution}: ${r.text}`);
    assert.equal((r.body as { status: string }).status, 'resolved');
  }
  const held = new Map((await reservationsOf(poolId)).map((r) => [r.ip_address, `${r.status} ${r.subscriber_id}`]));
  assert.equal(held.get('10.60.0.2'), 'ASSIGNED alice');
  assert.equal(held.get('10.60.0.3'), 'ASSIGNED mallory');
  assert.equal(held.get('10.60.0.9'), 'ASSIGNED intruder');
  assert.equal(fake.ipByAddress('10.60.0.4')!.status, 'reserved');
  assert.equal(fake.ipByAddress('10.60.0.5')!.description, 'dave');
  assert.equal(fake.ipByAddress('10.60.0.10')!.status, 'deprecated');
  assert.equal(prefix.description, 'ours-pool');
  assert.equal((await request(t.app).post(`${IPM}/netbox/conflicts/${by('prefix', '10.60.0.0/28').id}/resolve`).set(t.as.editor).send({ resolution: 'ours' })).status, 409, 'resolved already');

  // After resolving, a sync finds nothing and writes nothing.
  from = fake.requests.length;
  assert.equal((await sync(poolId)).status, 200);
  assert.deepEqual(await openConflicts(poolId), []);
  assert.deepEqual(fake.writes(from), []);

  // Round two: the prefix differs again (theirs renames the pool), a status conflict is ignored and stays ignored.
  prefix.description = 'netbox-name';
  fake.ipByAddress('10.60.0.4')!.status = 'active';
  await sync(poolId);
  const round2 = await openConflicts(poolId);
  assert.deepEqual(round2.map((c) => `${c.kind} ${c.subject}`).sort(), ['prefix 10.60.0.0/28', 'status 10.60.0.4']);
  assert.equal((await resolve(round2.find((c) => c.kind === 'prefix')!, 'theirs')).status, 200);
  assert.equal((await request(t.app).get(`${IPM}/pools/${poolId}`).set(t.as.viewer)).body.pool_name, 'netbox-name');
  assert.equal((await resolve(round2.find((c) => c.kind === 'status')!, 'ignore')).status, 200);
  from = fake.requests.length;
  await sync(poolId);
  assert.deepEqual(await openConflicts(poolId), [], 'the ignored conflict is not raised again while nothing changed');
  assert.deepEqual(fake.writes(from), []);
});

test(`resolve all, sync all, status and the run history; viewers read (${DIALECT})`, async () => {
  const pool = (await request(t.app).get(`${IPM}/pools?q=netbox-name`).set(t.as.viewer)).body as { id: number }[];
  const poolId = pool[0]!.id;
  fake.addIp({ address: '10.60.0.11/28', status: 'active', description: 'x1' });
  fake.addIp({ address: '10.60.0.12/28', status: 'active', description: 'x2' });
  assert.equal((await request(t.app).post(`${IPM}/netbox/sync`).set(t.as.viewer)).status, 403);
  const all = await request(t.app).post(`${IPM}/netbox/sync`).set(t.as.editor);
  assert.equal(all.status, 200, all.text);
  assert.equal((all.body as { kind: string; counts: { conflicts: number } }).counts.conflicts, 2);
  const resolved = await request(t.app).post(`${IPM}/netbox/conflicts/resolve`).set(t.as.editor).send({ resolution: 'theirs', pool_id: poolId });
  assert.equal(resolved.status, 200, resolved.text);
  assert.deepEqual([(resolved.body as { resolved: number }).resolved, (resolved.body as { failed: number }).failed], [2, 0]);
  const held = new Map((await reservationsOf(poolId)).map((r) => [r.ip_address, r.subscriber_id]));
  assert.deepEqual([held.get('10.60.0.11'), held.get('10.60.0.12')], ['x1', 'x2']);

  const st = await request(t.app).get(`${IPM}/netbox/status`).set(t.as.viewer);
  assert.equal(st.status, 200);
  const body = st.body as { configured: boolean; url: string; open_conflicts: number; last_sync: { kind: string } | null; queue: { pending: number } };
  assert.equal(body.configured, true);
  assert.match(body.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(!JSON.stringify(st.body).includes('s3cret'), 'the token is never shown');
  assert.equal(body.open_conflicts, 0);
  assert.equal(body.last_sync?.kind, 'sync');
  const runs = await request(t.app).get(`${IPM}/netbox/runs?limit=200`).set(t.as.viewer);
  const kinds = new Set((runs.body as { items: { kind: string; log: string[] }[] }).items.map((r) => r.kind));
  assert.deepEqual([...kinds].sort(), ['import', 'push', 'resolve', 'sync']);
  assert.equal((await request(t.app).get(`${IPM}/netbox/runs?limit=0`).set(t.as.viewer)).status, 422);
});
