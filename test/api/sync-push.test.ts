/**
 * POST /sync/push/{source}: per-source tokens (created and rotated by editors, stored hashed),
 * checked before the body is read; the pushed devices run through the same reconcile as a
 * connector, dry_run=1 previews, bad records are 422 naming the field, and nothing is half-applied.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { buildPluginTestApp, type PluginTestApp } from '../plugins/helpers/app.js';

const vm = (i: number, over: Record<string, unknown> = {}) => ({ source_id: `vm-${i}`, name: `push-vm${i}`, kind: 'vm', power_state: 'on', memory_mb: 2048, nics: [{ mac: `00:50:56:01:00:${String(i).padStart(2, '0')}`, network: 'n8n', ips: [`10.40.0.${i + 1}`] }], ...over });

describe('/sync/push/{source}', () => {
  let t: PluginTestApp;
  let token = '';
  before(async () => {
    t = await buildPluginTestApp();
  });
  after(() => t.cleanup());
  const count = async (table: string) => Number(((await t.db(table).count({ n: '*' }))[0] as { n: number }).n);
  const push = (body: unknown, q = '', tok = token) => request(t.app).post(`/sync/push/n8n${q}`).set('X-Push-Token', tok).send(body as object);

  test('a viewer may not create a token; an editor gets one, shown once and stored only as a hash', async () => {
    await request(t.app).post('/sync/push/n8n/token').set(t.as.viewer).expect(403);
    const res = await request(t.app).post('/sync/push/n8n/token').set(t.as.editor).expect(201);
    token = res.body.token;
    assert.match(token, /^ipush_/);
    const row = await t.db('sync_push_tokens').where({ source: 'n8n' }).first();
    assert.notEqual(row.token_sha256, token);
    assert.equal(row.token_sha256.length, 64);
  });

  test('no token, a wrong token or another source\'s token is 401 and writes nothing', async () => {
    await request(t.app).post('/sync/push/n8n').send({ devices: [vm(1)] }).expect(401);
    // A session, even a superuser's, is not the source's token.
    await request(t.app).post('/sync/push/n8n').set(t.as.superuser).send({ devices: [vm(1)] }).expect(401);
    await push({ devices: [vm(1)] }, '', 'ipush_wrong').expect(401);
    await request(t.app).post('/sync/push/other').set('X-Push-Token', token).send({ devices: [vm(1)] }).expect(401);
    assert.equal(await count('hosts'), 0);
  });

  test('dry_run=1 previews per-device CREATE with field diffs and writes nothing; the apply writes the same plan', async () => {
    const dry = await push({ devices: [vm(1), vm(2)] }, '?dry_run=1').expect(200);
    assert.deepEqual(dry.body.summary.devices, { would_create: 2, would_update: 0, would_skip: 0 });
    const change = dry.body.changes.find((c: { key: string }) => c.key === 'push-vm1');
    assert.equal(change.action, 'CREATE');
    assert.ok(change.changes.some((c: { field: string; after: string }) => c.field === 'memory_mb' && c.after === '2048'));
    assert.equal(await count('hosts'), 0);
    const applied = await push({ devices: [vm(1), vm(2)] }).expect(200);
    assert.deepEqual(applied.body.summary.devices, dry.body.summary.devices);
    assert.equal(applied.body.applied, true);
    const d = await t.db('hosts').where({ name: 'push-vm1' }).first();
    assert.equal(d.kind, 'vm');
    const fact = await t.db('device_facts').where({ device_id: d.id }).first();
    assert.equal(fact.source, 'n8n');
    const ip = await t.db('ip_assets').where({ ip_address: '10.40.0.2' }).first();
    assert.equal(ip.type, 'VM');
    assert.equal(Number(ip.host_id), Number(d.id));
    const again = await push({ devices: [vm(1), vm(2)] }).expect(200);
    assert.deepEqual(again.body.summary.devices, { would_create: 0, would_update: 0, would_skip: 2 });
  });

  test('a bad record is 422 naming the record and field, and no device of the push is written', async () => {
    const before = await count('hosts');
    const res = await push({ devices: [vm(10), vm(11, { memory_mb: 'lots' }), vm(12, { kind: 'toaster' })] }).expect(422);
    const where = res.body.errors.map((e: { location: string }) => e.location);
    assert.deepEqual(where, ['devices[1].memory_mb', 'devices[2].kind']);
    assert.equal(await count('hosts'), before);
  });

  test('the body is checked: unknown top-level fields and too many devices are 422 naming the field', async () => {
    const extra = await push({ devices: [], extra: 1 }).expect(422);
    assert.match(JSON.stringify(extra.body), /extra/);
    const many = await push({ devices: Array.from({ length: 20_001 }, () => ({})) }).expect(422);
    assert.match(JSON.stringify(many.body), /at most 20000 devices/);
  });

  test('rotating the token stops the old one at once', async () => {
    const res = await request(t.app).post('/sync/push/n8n/token').set(t.as.editor).expect(201);
    await push({ devices: [] }).expect(401);
    token = res.body.token;
    await push({ devices: [] }).expect(200);
  });
});
