import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { buildTestApp, PASSWORD, type TestApp } from './app.js';

describe('hosts, projects, vendors, tags, ranges, users, audit, auth', () => {
  let t: TestApp;
  let ed: { Authorization: string };
  before(async () => {
    t = await buildTestApp();
    ed = t.as.editor;
  });
  after(() => t.cleanup());

  test('projects: create (default colour), duplicate 409, get, patch, list, delete blocked while assigned (409 with reason)', async () => {
    const res = await request(t.app).post('/projects').set(ed).send({ name: 'web', description: 'Web tier' });
    assert.deepEqual([res.status, res.body], [200, { id: res.body.id, name: 'web', description: 'Web tier', color: '#94a3b8' }]);
    assert.equal((await request(t.app).post('/projects').set(ed).send({ name: 'web' })).status, 409);
    assert.equal((await request(t.app).post('/projects').set(ed).send({ name: 'x', color: 'blue' })).status, 422);
    const id = res.body.id as number;
    assert.equal((await request(t.app).get(`/projects/${id}`)).body.name, 'web');
    assert.equal((await request(t.app).patch(`/projects/${id}`).set(ed).send({ color: '#ABC' })).body.color, '#aabbcc');
    assert.equal((await request(t.app).patch('/projects/999').set(ed).send({ color: '#abc' })).status, 404);
    assert.deepEqual((await request(t.app).get('/projects')).body.map((p: { name: string }) => p.name), ['web']);
    await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.3.0.1', type: 'VM', project_id: id });
    const blocked = await request(t.app).delete(`/projects/${id}`).set(ed);
    assert.equal(blocked.status, 409);
    assert.match(blocked.body.detail, /assigned to 1 IP asset/);
    await request(t.app).delete('/ip-assets/10.3.0.1').set(ed);
    assert.equal((await request(t.app).delete(`/projects/${id}`).set(ed)).status, 204);
    assert.equal((await request(t.app).get(`/projects/${id}`)).status, 404);
    assert.equal((await request(t.app).get('/projects/abc')).status, 422);
  });

  test('vendors and hosts: vendor in use cannot be deleted; deleting a host keeps its IPs unlinked', async () => {
    const v = (await request(t.app).post('/vendors').set(ed).send({ name: 'Dell' })).body;
    assert.deepEqual(v, { id: v.id, name: 'Dell' });
    assert.equal((await request(t.app).post('/vendors').set(ed).send({ name: 'Dell' })).status, 409);
    assert.equal((await request(t.app).patch(`/vendors/${v.id}`).set(ed).send({ name: 'Dell EMC' })).body.name, 'Dell EMC');
    const h = await request(t.app).post('/hosts').set(ed).send({ name: 'srv-1', vendor_id: v.id, os_ip: '10.4.0.1', bmc_ip: '10.4.0.2' });
    assert.equal(h.status, 200);
    assert.deepEqual(h.body, { id: h.body.id, name: 'srv-1', notes: null, vendor: 'Dell EMC', vendor_id: v.id });
    assert.equal((await request(t.app).post('/hosts').set(ed).send({ name: 'srv-1' })).status, 409);
    const bad = await request(t.app).post('/hosts').set(ed).send({ name: 'srv-2', vendor_id: 999 });
    assert.deepEqual([bad.status, bad.body], [422, { detail: 'Selected vendor does not exist.' }], 'the original\'s string detail');
    const one = (await request(t.app).get(`/hosts/${h.body.id}`)).body;
    assert.deepEqual([one.linked_assets.os.map((a: { ip_address: string }) => a.ip_address), one.linked_assets.bmc[0].type, one.linked_assets.other], [['10.4.0.1'], 'BMC', []]);
    const list = await request(t.app).get('/hosts');
    assert.deepEqual([list.status, list.body.length, list.body[0].name, list.headers['x-total-count']], [200, 1, 'srv-1', '1']);
    assert.equal((await request(t.app).get('/hosts?limit=1&offset=0')).headers['x-total-count'], '1');
    assert.equal((await request(t.app).patch(`/hosts/${h.body.id}`).set(ed).send({ notes: 'rack 4' })).body.notes, 'rack 4');
    assert.equal((await request(t.app).delete(`/vendors/${v.id}`).set(ed)).status, 409);
    assert.equal((await request(t.app).delete(`/hosts/${h.body.id}`).set(ed)).status, 204);
    assert.equal((await request(t.app).get('/ip-assets/10.4.0.1')).body.host_id, null);
    assert.equal((await request(t.app).get(`/hosts/${h.body.id}`)).status, 404);
    assert.equal((await request(t.app).delete(`/vendors/${v.id}`).set(ed)).status, 204);
  });

  test('tags: CRUD with colours; deleting a tag removes it from assets', async () => {
    const tag = (await request(t.app).post('/tags').set(ed).send({ name: ' Prod ' })).body;
    assert.deepEqual(tag, { id: tag.id, name: 'prod', color: '#e2e8f0' });
    assert.equal((await request(t.app).post('/tags').set(ed).send({ name: 'prod' })).status, 409);
    assert.equal((await request(t.app).post('/tags').set(ed).send({ name: 'no spaces allowed' })).status, 422);
    assert.equal((await request(t.app).patch(`/tags/${tag.id}`).set(ed).send({ color: '#ff0000' })).body.color, '#ff0000');
    await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.5.0.1', type: 'VM', tags: ['prod'] });
    assert.equal((await request(t.app).delete(`/tags/${tag.id}`).set(ed)).status, 204);
    assert.deepEqual((await request(t.app).get('/ip-assets/10.5.0.1')).body.tags, []);
  });

  test('ranges: normalised unique CIDR, IPv6, utilization, patch, delete', async () => {
    const r = await request(t.app).post('/ranges').set(ed).send({ name: 'lab', cidr: '10.6.0.77/24' });
    assert.equal(r.status, 200);
    assert.equal(r.body.cidr, '10.6.0.0/24');
    assert.equal((await request(t.app).post('/ranges').set(ed).send({ name: 'dup', cidr: '10.6.0.0/24' })).status, 409);
    const bad = await request(t.app).post('/ranges').set(ed).send({ name: 'bad', cidr: '10.6.0.0/33' });
    assert.deepEqual([bad.status, bad.body.detail[0].loc], [422, ['body', 'cidr']]);
    assert.equal((await request(t.app).post('/ranges').set(ed).send({ name: 'v6', cidr: '2001:db8:1::/64' })).status, 200);
    for (const ip of ['10.6.0.0', '10.6.0.1', '10.6.0.2', '10.6.0.255']) await request(t.app).post('/ip-assets').set(ed).send({ ip_address: ip, type: 'VM' });
    const u = (await request(t.app).get(`/ranges/${r.body.id}/utilization`)).body;
    assert.deepEqual(u, { id: r.body.id, cidr: '10.6.0.0/24', total: 256, usable: 254, used: 2, free: 252, percent: 0.79 });
    assert.equal((await request(t.app).get(`/ranges/${r.body.id}`)).body.utilization.used, 2);
    assert.equal((await request(t.app).get('/ranges')).body.length, 2);
    assert.equal((await request(t.app).patch(`/ranges/${r.body.id}`).set(ed).send({ cidr: '10.6.0.0/30' })).body.utilization.usable, 2);
    assert.equal((await request(t.app).delete(`/ranges/${r.body.id}`).set(ed)).status, 204);
    assert.equal((await request(t.app).get(`/ranges/${r.body.id}/utilization`)).status, 404);
  });

  test('users: superuser CRUD, no hashes, 409 duplicate, cannot delete self', async () => {
    const su = t.as.superuser;
    const u = await request(t.app).post('/users').set(su).send({ username: 'alice', password: 'alice-password', role: 'editor' });
    assert.equal(u.status, 200);
    assert.equal(u.body.password_hash, undefined);
    assert.equal((await request(t.app).post('/users').set(su).send({ username: 'alice', password: 'alice-password' })).status, 409);
    assert.equal((await request(t.app).post('/users').set(su).send({ username: 'bob', password: 'short' })).status, 422);
    assert.ok((await request(t.app).get('/users').set(su)).body.some((x: { username: string }) => x.username === 'alice'));
    assert.equal((await request(t.app).patch(`/users/${u.body.id}`).set(su).send({ role: 'viewer' })).body.role, 'viewer');
    assert.equal((await request(t.app).delete(`/users/${t.ids.superuser}`).set(su)).status, 409);
    assert.equal((await request(t.app).delete(`/users/${u.body.id}`).set(su)).status, 204);
    assert.equal((await request(t.app).get(`/users/${u.body.id}`).set(su)).status, 404);
  });

  test('GET /audit needs a login and filters by target, user and action', async () => {
    assert.equal((await request(t.app).get('/audit')).status, 401);
    const res = await request(t.app).get('/audit?target_type=IP_ASSET&user=editor1&action=CREATE&limit=2').set(t.as.viewer);
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 2);
    assert.ok(Number(res.headers['x-total-count']) > 2);
    assert.ok(res.body.every((e: { target_type: string; username: string; action: string }) => e.target_type === 'IP_ASSET' && e.username === 'editor1' && e.action === 'CREATE'));
    const label = await request(t.app).get('/audit?target_label=10.5.0.1').set(t.as.viewer);
    assert.ok(label.body.length >= 1);
    assert.equal((await request(t.app).get('/audit?action=EXPLODE').set(t.as.viewer)).status, 422);
    assert.equal((await request(t.app).get('/audit?since=yesterday').set(t.as.viewer)).status, 422);
  });

  test('login: bearer token, wrong password 401, /me, password change, logout', async () => {
    const bad = await request(t.app).post('/login').send({ username: 'viewer1', password: 'wrong-password' });
    assert.deepEqual([bad.status, bad.body], [401, { detail: 'Unauthorized' }]);
    assert.equal((await request(t.app).post('/login').send({ username: 'viewer1' })).status, 422);
    const ok = await request(t.app).post('/login').send({ username: 'viewer1', password: PASSWORD });
    assert.equal(ok.body.token_type, 'bearer');
    const auth = { Authorization: `Bearer ${ok.body.access_token}` };
    assert.deepEqual((await request(t.app).get('/me').set(auth)).body.username, 'viewer1');
    assert.equal((await request(t.app).get('/me').set({ Authorization: 'Bearer nope' })).status, 401);
    assert.equal((await request(t.app).patch('/me/password').set(auth).send({ current_password: 'wrong', new_password: 'another-password' })).status, 422);
    assert.equal((await request(t.app).patch('/me/password').set(auth).send({ current_password: PASSWORD, new_password: 'another-password' })).status, 204);
    assert.equal((await request(t.app).post('/login').send({ username: 'viewer1', password: 'another-password' })).status, 200);
    assert.equal((await request(t.app).post('/logout').set(auth)).status, 204);
    assert.equal((await request(t.app).get('/me').set(auth)).status, 401);
    // A stale token on a public read is ignored (the original never checked one there).
    assert.equal((await request(t.app).get('/projects').set(auth)).status, 200);
  });

  test('login is rate-limited per username: 429 with a clear message and Retry-After', async () => {
    let res;
    for (let i = 0; i < 12; i++) res = await request(t.app).post('/login').send({ username: 'editor1', password: `guess-${i}` });
    assert.equal(res!.status, 429);
    assert.match(res!.body.detail, /Too many failed logins for this user/);
    assert.ok(Number(res!.headers['retry-after']) > 0);
    // Even the right password is refused until the window passes.
    assert.equal((await request(t.app).post('/login').send({ username: 'editor1', password: PASSWORD })).status, 429);
  });

  test('GET /health reports build and database', async () => {
    const res = await request(t.app).get('/health');
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
    assert.equal(res.body.database, 'ok');
    for (const k of ['version', 'commit', 'build_time']) assert.equal(typeof res.body[k], 'string');
  });
});
