/**
 * Logins, logouts and failed logins in the audit log with the client's address and user agent
 * (never a password); the audit filter options; VMI's auth and audit routes on the same services.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { UsersService } from '../../src/services/users.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

let t: TestApp;
const PW = 'audit-password-1';
const UA = 'login-audit-test/1.0 (+loopback)';
const WRONG = 'wrong-guess-XYZ-42';

interface Entry {
  id: number;
  username: string | null;
  user_id: number | null;
  action: string;
  target_type: string;
  target_id: number | null;
  target_label: string | null;
  changes: string;
  client_address: string | null;
  user_agent: string | null;
}

async function entries(query: string): Promise<Entry[]> {
  const res = await request(t.app).get(`/audit?${query}`).set(t.as.superuser);
  assert.equal(res.status, 200, res.text);
  return res.body as Entry[];
}

describe(`login audit and VMI's auth/audit routes (${DIALECT})`, () => {
  let ada = 0;
  before(async () => {
    t = await buildTestApp();
    ada = (await new UsersService({ db: t.db, actor: SYSTEM_ACTOR }).create({ username: 'ada', password: PW, role: 'editor', full_name: 'Ada L', email: 'ada@example.org' })).id;
  });
  after(() => t.cleanup());

  test('API login, failed logins and logout are audited with address and user agent, never the password', async () => {
    const ok = await request(t.app).post('/login').set('User-Agent', UA).send({ username: 'ada', password: PW });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await request(t.app).post('/login').set('User-Agent', UA).send({ username: 'ada', password: WRONG })).status, 401);
    assert.equal((await request(t.app).post('/login').set('User-Agent', UA).send({ username: 'ghost', password: WRONG })).status, 401);
    assert.equal((await request(t.app).post('/logout').set('User-Agent', UA).set('Authorization', `Bearer ${ok.body.access_token}`)).status, 204);

    const [login] = await entries(`action=LOGIN&target_id=${ada}&limit=1`);
    assert.equal(login!.username, 'ada');
    assert.equal(login!.changes, 'API token issued');
    assert.match(login!.client_address!, /127\.0\.0\.1|::1/);
    assert.equal(login!.user_agent, UA);

    const failed = await entries('action=LOGIN_FAILED');
    const known = failed.find((e) => e.target_label === 'ada')!;
    assert.equal(known.target_id, ada);
    assert.equal(known.user_id, null, 'written by nobody: the login failed');
    assert.equal(known.user_agent, UA);
    assert.match(known.client_address!, /127\.0\.0\.1|::1/);
    const ghost = failed.find((e) => e.target_label === 'ghost')!;
    assert.equal(ghost.target_id, null);
    assert.equal(ghost.changes, 'unknown user');

    const [logout] = await entries(`action=LOGOUT&user_id=${ada}`);
    assert.equal(logout!.changes, 'API token revoked');
    assert.equal(logout!.user_agent, UA);

    const everything = JSON.stringify(await t.db('audit_log').select());
    assert.equal(everything.includes(WRONG), false, 'no password in the audit log');
    assert.equal(everything.includes(PW), false);
  });

  test('panel login, failed login and logout are audited too', async () => {
    const agent = request.agent(t.app);
    assert.equal((await agent.post('/ui/login').set('User-Agent', UA).type('form').send({ username: 'ada', password: WRONG })).status, 401);
    assert.equal((await agent.post('/ui/login').set('User-Agent', UA).type('form').send({ username: 'ada', password: PW })).status, 302);
    assert.equal((await agent.post('/ui/logout').set('User-Agent', UA)).status, 302);
    const mine = (await entries(`target_type=USER&target_id=${ada}&limit=3`)).map((e) => [e.action, e.changes, e.user_agent]);
    assert.deepEqual(mine, [
      ['LOGOUT', 'panel session ended', UA],
      ['LOGIN', 'panel session started', UA],
      ['LOGIN_FAILED', 'wrong password or inactive account', UA],
    ]);
  });

  test('GET /audit/options lists the actions, the target types present and the users', async () => {
    assert.equal((await request(t.app).get('/audit/options')).status, 401);
    const res = await request(t.app).get('/audit/options').set(t.as.viewer);
    assert.equal(res.status, 200, res.text);
    for (const a of ['CREATE', 'UPDATE', 'LOGIN', 'LOGOUT', 'LOGIN_FAILED']) assert.ok(res.body.actions.includes(a), a);
    assert.deepEqual(res.body.target_types, ['USER'], 'only the types the log holds');
    assert.deepEqual(res.body.users, ['ada', 'editor1', 'super1', 'viewer1', 'system']);
    await request(t.app).post('/projects').set(t.as.editor).send({ name: 'audited' });
    assert.deepEqual((await request(t.app).get('/audit/options').set(t.as.viewer)).body.target_types, ['PROJECT', 'USER']);
  });

  test("VMI's POST /api/auth/login and /logout: VMI's fields, the same limits, 4xx naming the field", async () => {
    const res = await request(t.app).post('/api/auth/login').set('User-Agent', UA).send({ username: 'ada', password: PW });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.token, res.body.access_token);
    assert.equal(res.body.must_reset_password, false);
    assert.equal(res.body.user.full_name, 'Ada L');
    assert.equal(res.body.user.email, 'ada@example.org');
    assert.match(res.body.user.last_login_at, /^\d{4}-\d{2}-\d{2} /);
    assert.equal('password_hash' in res.body.user, false);
    const auth = { Authorization: `Bearer ${res.body.token}` };
    assert.equal((await request(t.app).get('/me').set(auth)).status, 200);

    assert.equal((await request(t.app).post('/api/auth/login').send({ username: 'ada', password: WRONG })).status, 401);
    const missing = await request(t.app).post('/api/auth/login').send({ username: 'ada' });
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body.detail[0].loc, ['body', 'password']);

    const out = await request(t.app).post('/api/auth/logout').set(auth);
    assert.equal(out.status, 200);
    assert.equal((await request(t.app).get('/me').set(auth)).status, 401);
    assert.equal((await entries(`action=LOGOUT&user_id=${ada}&limit=1`))[0]!.changes, 'API token revoked');
  });

  test("VMI's GET /api/audit pages with VMI's fields and filters; GET /api/audit/types", async () => {
    const res = await request(t.app).get(`/api/audit?action=LOGIN_FAILED&resource_type=USER&resource_id=${ada}&per_page=1&page=2`).set(t.as.viewer);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.page, 2);
    assert.equal(res.body.per_page, 1);
    assert.ok(res.body.total >= 3, res.text);
    assert.equal(res.body.pages, res.body.total);
    const [e] = res.body.logs;
    assert.equal(e.action, 'LOGIN_FAILED');
    assert.equal(e.resource_type, 'USER');
    assert.equal(e.resource_id, String(ada));
    assert.equal(e.resource_name, 'ada');
    assert.equal(e.user_agent, UA);
    assert.match(e.ip_address, /127\.0\.0\.1|::1/);
    assert.equal(typeof e.details.changes, 'string');

    const byUser = await request(t.app).get(`/api/audit?username=ada&start_date=2000-01-01&end_date=2999-12-31`).set(t.as.viewer);
    assert.ok(byUser.body.logs.length > 0 && byUser.body.logs.every((l: { username: string }) => l.username === 'ada'));

    for (const [query, field] of [['per_page=0', 'per_page'], ['page=x', 'page'], ['action=HACK', 'action'], ['start_date=yesterday', 'start_date']] as const) {
      const bad = await request(t.app).get(`/api/audit?${query}`).set(t.as.viewer);
      assert.equal(bad.status, 422, `${query}: ${bad.text}`);
      assert.deepEqual(bad.body.detail[0].loc, ['query', field], query);
    }
    const unknown = await request(t.app).get('/api/audit?colour=red').set(t.as.viewer);
    assert.equal(unknown.status, 422);
    assert.match(JSON.stringify(unknown.body), /colour/);
    assert.equal((await request(t.app).get('/api/audit')).status, 401);

    const types = await request(t.app).get('/api/audit/types').set(t.as.viewer);
    assert.equal(types.status, 200);
    assert.ok(types.body.actions.includes('LOGIN_FAILED'));
    assert.ok(types.body.resource_types.includes('USER'));
    assert.ok(types.body.users.includes('ada'));
  });

  test('the new routes are in the OpenAPI document', async () => {
    const doc = (await request(t.app).get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    for (const [p, m] of [['/api/auth/login', 'post'], ['/api/auth/logout', 'post'], ['/api/audit', 'get'], ['/api/audit/types', 'get'], ['/audit/options', 'get']] as const) {
      assert.ok(doc.paths[p]?.[m], `${m} ${p}`);
    }
  });
});
