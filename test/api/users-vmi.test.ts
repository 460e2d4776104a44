/**
 * Users as VMI has them (issue 14): profile fields, the active flag, last login, and "must change
 * password at next login" enforced on every API route and panel page but the password change.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { API_ROUTES } from '../../src/api/routes/index.js';
import { ensureFirstAdmin } from '../../src/bootstrap.js';
import { userCommand } from '../../src/cli/user.js';
import { loadConfig } from '../../src/config.js';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { UsersService } from '../../src/services/users.js';
import { createTestDb, DIALECT } from '../helpers/db.js';
import { buildTestApp, PASSWORD, type TestApp } from './app.js';

let t: TestApp;
const PW = 'first-password-1';
const users = () => new UsersService({ db: t.db, actor: SYSTEM_ACTOR });

async function login(username: string, password = PW) {
  return request(t.app).post('/login').send({ username, password });
}
async function tokenFor(username: string, password = PW): Promise<string> {
  const res = await login(username, password);
  assert.equal(res.status, 200, res.text);
  return (res.body as { access_token: string }).access_token;
}
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
async function panelAgent(username: string, password = PW) {
  const agent = request.agent(t.app);
  const res = await agent.post('/ui/login').type('form').send({ username, password });
  assert.equal(res.status, 302, res.text);
  return { agent, location: res.headers.location as string };
}

describe(`users as VMI has them (${DIALECT})`, () => {
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  test('a user carries full name, email, designation and department; the email is unique and checked', async () => {
    const created = await request(t.app)
      .post('/users')
      .set(t.as.superuser)
      .send({ username: 'ann', password: PW, role: 'editor', full_name: 'Ann Example', email: 'Ann@Example.org', designation: 'SRE', department: 'Platform' });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.full_name, 'Ann Example');
    assert.equal(created.body.email, 'ann@example.org', 'stored lower-cased');
    assert.equal(created.body.department, 'Platform');
    assert.equal(created.body.must_change_password, false);
    assert.equal(created.body.last_login_at, null);
    assert.equal('password_hash' in created.body, false);

    const dup = await request(t.app).post('/users').set(t.as.superuser).send({ username: 'ann2', password: PW, email: 'ANN@example.org' });
    assert.equal(dup.status, 409, dup.text);
    assert.match(dup.body.detail, /Email "ann@example.org" is already used/);
    const bad = await request(t.app).post('/users').set(t.as.superuser).send({ username: 'ann3', password: PW, email: 'not-an-email' });
    assert.equal(bad.status, 422, bad.text);
    assert.deepEqual(bad.body.detail[0].loc, ['body', 'email']);
    assert.match(bad.body.detail[0].msg, /email address/);

    // Two users without an email are fine (unique when set), and an update to a taken email is a 409.
    const bob = await request(t.app).post('/users').set(t.as.superuser).send({ username: 'bob', password: PW });
    assert.equal(bob.status, 200, bob.text);
    const taken = await request(t.app).patch(`/users/${bob.body.id}`).set(t.as.superuser).send({ email: 'ann@example.org' });
    assert.equal(taken.status, 409, taken.text);
    const ok = await request(t.app).patch(`/users/${bob.body.id}`).set(t.as.superuser).send({ email: 'bob@example.org', department: 'Network' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.department, 'Network');
    const entry = (await request(t.app).get(`/audit?target_type=USER&target_id=${bob.body.id}&action=UPDATE`).set(t.as.superuser)).body[0];
    assert.match(entry.changes, /email/);
  });

  test('a login stamps last_login_at; an inactive user cannot log in and their tokens and panel sessions end', async () => {
    const u = await users().create({ username: 'ina', password: PW });
    const token = await tokenFor('ina');
    const { agent } = await panelAgent('ina');
    const me = await request(t.app).get('/me').set(bearer(token));
    assert.match(me.body.last_login_at, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.equal((await request(t.app).patch(`/users/${u.id}`).set(t.as.superuser).send({ is_active: false })).status, 200);
    assert.equal((await request(t.app).get('/me').set(bearer(token))).status, 401, 'the token died');
    assert.equal(await t.db('panel_sessions').where('sess', 'like', `%"id":${u.id},%`).first(), undefined, 'the panel session row is gone');
    assert.equal((await agent.get('/ui/api/resources/ip_assets/actions/list')).status, 302);
    assert.equal((await login('ina')).status, 401);
  });

  test("a superuser's reset makes the user change the password: login says so, every other route answers 403 until then", async () => {
    const u = await users().create({ username: 'rita', password: PW, role: 'editor' });
    const reset = await request(t.app).patch(`/users/${u.id}`).set(t.as.superuser).send({ password: 'reset-password-2' });
    assert.equal(reset.status, 200, reset.text);
    assert.equal(reset.body.must_change_password, true);

    const res = await login('rita', 'reset-password-2');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.must_change_password, true);
    assert.match(res.body.detail, /PATCH \/me\/password/);
    const token = res.body.access_token as string;
    const refused = await request(t.app).get('/ip-assets').set(bearer(token));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'password_change_required');
    assert.match(refused.body.detail, /You must change your password/);
    assert.equal((await request(t.app).post('/hosts').set(bearer(token)).send({ name: 'h1' })).status, 403);
    assert.equal((await request(t.app).get('/me').set(bearer(token))).body.must_change_password, true, '/me answers');

    const wrong = await request(t.app).patch('/me/password').set(bearer(token)).send({ current_password: 'nope', new_password: 'my-own-password-3' });
    assert.equal(wrong.status, 422);
    const changed = await request(t.app).patch('/me/password').set(bearer(token)).send({ current_password: 'reset-password-2', new_password: 'my-own-password-3' });
    assert.equal(changed.status, 204, changed.text);
    assert.equal((await request(t.app).get('/ip-assets').set(bearer(token))).status, 200, 'the same token works now');
    assert.equal((await login('rita', 'my-own-password-3')).body.must_change_password, false);
  });

  test('every route but the password change, /me and logout refuses a user who must change the password (generated from API_ROUTES)', async () => {
    await users().create({ username: 'mona', password: PW, role: 'editor', must_change_password: true });
    const token = await tokenFor('mona');
    const allowed = API_ROUTES.filter((r) => r.duringPasswordChange).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(allowed.sort(), ['get /me', 'patch /me/password', 'post /api/auth/logout', 'post /logout']);
    for (const r of API_ROUTES) {
      if (r.access === 'public' || r.duringPasswordChange) continue;
      const url = r.path.replace(':ip', '10.254.254.254').replace(/:\w+/g, '987654');
      let req = request(t.app)[r.method](url).set(bearer(token));
      if (r.method !== 'get') req = req.send({});
      const res = await req;
      assert.equal(res.status, 403, `${r.method} ${url}: ${res.status} ${res.text.slice(0, 200)}`);
      assert.equal(res.body.code, 'password_change_required', `${r.method} ${url}`);
    }
  });

  test('the panel sends such a user to the change-password page and refuses its API until the password is changed', async () => {
    await users().create({ username: 'pam', password: PW, role: 'viewer', must_change_password: true });
    const { agent, location } = await panelAgent('pam');
    assert.equal(location, '/ui/pages/change-password');
    const dash = await agent.get('/ui');
    assert.equal(dash.status, 302);
    assert.equal(dash.headers.location, '/ui/pages/change-password');
    assert.equal((await agent.get('/ui/resources/ip_assets/actions/list')).headers.location, '/ui/pages/change-password');
    const api = await agent.get('/ui/api/resources/ip_assets/actions/list');
    assert.equal(api.status, 403);
    assert.equal(api.body.code, 'password_change_required');
    assert.equal((await agent.get('/ui/pages/change-password')).status, 200);
    assert.equal((await agent.get('/ui/api/pages/change-password')).body.must_change_password, true);
    const changed = await agent.post('/ui/api/pages/change-password').field('current_password', PW).field('new_password', 'pams-own-pass-4').field('confirm_password', 'pams-own-pass-4');
    assert.equal(changed.body.ok, true, changed.text);
    assert.equal((await agent.get('/ui/api/resources/ip_assets/actions/list')).status, 200);
    assert.equal((await agent.get('/ui')).status, 200);
  });

  test('the generated first admin must change its password; one from IPOCKET_ADMIN_PASSWORD need not', async () => {
    for (const [env, must] of [[{}, true], [{ IPOCKET_ADMIN_PASSWORD: 'chosen-by-operator' }, false]] as const) {
      const db = await createTestDb();
      const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-first-admin-'));
      try {
        const admin = await ensureFirstAdmin(db.db, loadConfig({ IPOCKET_DATA_DIR: dir, ...env }));
        assert.equal(!!admin?.generatedPassword, must);
        const stored = (await new UsersService({ db: db.db, actor: SYSTEM_ACTOR }).list())[0]!;
        assert.equal(stored.must_change_password, must);
      } finally {
        await db.cleanup();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  test('the CLI creates and updates users with the profile flags, --inactive and --must-change-password', async () => {
    const log = console.log;
    console.log = () => undefined;
    try {
      const config = { tokenTtlSeconds: 3600, sessionMaxSeconds: 7200 } as never;
      assert.equal(await userCommand(t.db, config, 'create', 'cliuser', { role: 'editor', password: PASSWORD, 'full-name': 'Cli User', email: 'cli@example.org', department: 'Ops', 'must-change-password': true }), 0);
      let u = (await users().list()).find((x) => x.username === 'cliuser')!;
      assert.deepEqual([u.full_name, u.email, u.department, u.must_change_password, u.role], ['Cli User', 'cli@example.org', 'Ops', true, 'editor']);
      const token = await tokenFor('cliuser', PASSWORD);
      assert.equal(await userCommand(t.db, config, 'update', 'cliuser', { inactive: true, designation: 'Lead' }), 0);
      u = (await users().get(u.id));
      assert.deepEqual([u.is_active, u.designation], [false, 'Lead']);
      assert.equal((await request(t.app).get('/me').set(bearer(token))).status, 401);
      assert.equal(await userCommand(t.db, config, 'update', 'cliuser', { active: true, inactive: true }), 2);
      assert.equal(await userCommand(t.db, config, 'update', 'cliuser', { active: true }), 0);
      assert.equal(await userCommand(t.db, config, 'passwd', 'cliuser', { password: 'cli-reset-pass-5', 'must-change-password': true }), 0);
      assert.equal((await login('cliuser', 'cli-reset-pass-5')).body.must_change_password, true);
    } finally {
      console.log = log;
    }
  });
});
