import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

let tdb: TestDb;
let app: Express;
const PASSWORD = 'session-pass-1';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** The raw session id inside the signed cookie value "s:<id>.<signature>". */
function sidOf(setCookie: string[] | string | undefined): string {
  const cookie = ([] as string[]).concat(setCookie ?? []).find((c) => c.startsWith('ipocket.sid='));
  assert.ok(cookie, 'a session cookie is set');
  return decodeURIComponent(cookie.split(';')[0]!.slice('ipocket.sid='.length)).replace(/^s:/, '').replace(/\..*$/, '');
}

async function loginAgent(username = 'vera') {
  const agent = request.agent(app);
  const res = await agent.post('/ui/login').type('form').send({ username, password: PASSWORD });
  assert.equal(res.status, 302);
  assert.equal(res.headers.location, '/ui');
  return { agent, res };
}

describe('panel sessions', () => {
  before(async () => {
    tdb = await createTestDb();
    const s = servicesFor(tdb.db, { userId: null, username: 'system', role: 'superuser' });
    await s.users.create({ username: 'vera', password: PASSWORD, role: 'viewer' });
    await s.users.create({ username: 'eddie', password: PASSWORD, role: 'editor' });
    const config = loadConfig({ IPOCKET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ipocket-session-')), SESSION_SECRET: 'x'.repeat(40), IPOCKET_SESSION_IDLE_SECONDS: '600' });
    app = await buildApp({ config, db: tdb.db });
  });
  after(() => tdb.cleanup());

  test('/ redirects to the panel, which asks anonymous visitors to log in', async () => {
    const root = await request(app).get('/');
    assert.equal(root.status, 302);
    assert.equal(root.headers.location, '/ui');
    const panel = await request(app).get('/ui');
    assert.equal(panel.headers.location, '/ui/login');
    const api = await request(app).get('/ui/api/resources/ip_assets/actions/list');
    assert.equal(api.headers.location, '/ui/login');
    assert.equal(panel.headers['set-cookie'], undefined, 'nothing is stored for anonymous visitors');
    assert.equal((await request(app).get('/favicon.ico')).status, 200);
  });

  test('the login page is branded and links nothing outside the machine', async () => {
    const page = await request(app).get('/ui/login');
    assert.equal(page.status, 200);
    assert.match(page.text, /<title>ipocket<\/title>/);
    assert.doesNotMatch(page.text, /fonts\.googleapis|(?:src|href)=["']?(?:https?:)?\/\//i);
  });

  test('a panel login is in the audit log as the user who logged in; a refused one is not', async () => {
    const s = servicesFor(tdb.db);
    const before = (await s.audit.list({ action: 'LOGIN', target_label: 'eddie' })).total;
    await loginAgent('eddie');
    await request(app).post('/ui/login').type('form').send({ username: 'eddie', password: 'wrong-password' });
    const logins = await s.audit.list({ action: 'LOGIN', target_label: 'eddie' });
    assert.equal(logins.total, before + 1);
    assert.equal(logins.items[0]?.username, 'eddie');
    assert.equal(logins.items[0]?.changes, 'panel session started');
  });

  test('failed logins on the API and on the panel count against one limit, shared by every instance', async () => {
    const s = servicesFor(tdb.db, { userId: null, username: 'system', role: 'superuser' });
    await s.users.create({ username: 'guessed', password: PASSWORD, role: 'viewer' });
    const other = await buildApp({ config: loadConfig({ IPOCKET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ipocket-session-2-')), SESSION_SECRET: 'x'.repeat(40) }), db: tdb.db });
    for (let i = 0; i < 5; i++) assert.equal((await request(app).post('/login').send({ username: 'guessed', password: `api-guess-${i}` })).status, 401);
    for (let i = 0; i < 5; i++) assert.equal((await request(other).post('/ui/login').type('form').send({ username: 'guessed', password: `panel-guess-${i}` })).status, 401);
    const locked = await request(app).post('/ui/login').type('form').send({ username: 'guessed', password: PASSWORD });
    assert.equal(locked.status, 429, 'even the right password waits for the window');
    assert.match(locked.text, /Too many failed logins/);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.equal(locked.headers['set-cookie'], undefined, 'no session');
    assert.equal((await request(other).post('/login').send({ username: 'guessed', password: PASSWORD })).status, 429);
  });

  test('a wrong password is refused and starts no session', async () => {
    const res = await request(app).post('/ui/login').type('form').send({ username: 'vera', password: 'nope-nope' });
    assert.equal(res.status, 401);
    assert.match(res.text, /invalidCredentials/);
    assert.equal(res.headers['set-cookie'], undefined);
  });

  test('the cookie is HttpOnly and SameSite=Lax, and the database holds only the SHA-256 of the id', async () => {
    const { res } = await loginAgent();
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join(';');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const sid = sidOf(res.headers['set-cookie']);
    assert.equal(await tdb.db('panel_sessions').where({ sid }).first(), undefined);
    assert.ok(await tdb.db('panel_sessions').where({ sid: sha256(sid) }).first());
  });

  test('logging in issues a new session id (no fixation) and logout destroys it server-side', async () => {
    const { agent, res } = await loginAgent();
    const first = sidOf(res.headers['set-cookie']);
    const again = await agent.post('/ui/login').type('form').send({ username: 'eddie', password: PASSWORD });
    const second = sidOf(again.headers['set-cookie']);
    assert.notEqual(first, second);
    assert.equal(await tdb.db('panel_sessions').where({ sid: sha256(first) }).first(), undefined, 'the old session is gone');
    assert.equal((await agent.get('/ui/api/resources/ip_assets/actions/list')).status, 200);
    assert.equal((await agent.get('/ui/logout')).status, 200, 'a GET only asks');
    assert.ok(await tdb.db('panel_sessions').where({ sid: sha256(second) }).first(), 'the session is still there');
    const out = await agent.post('/ui/logout');
    assert.equal(out.headers.location, '/ui/login');
    assert.equal(await tdb.db('panel_sessions').where({ sid: sha256(second) }).first(), undefined);
    assert.equal((await agent.get('/ui/api/resources/ip_assets/actions/list')).headers.location, '/ui/login');
  });

  test('an idle session expires server-side', async () => {
    const { agent, res } = await loginAgent();
    assert.equal((await agent.get('/ui/api/resources/ip_assets/actions/list')).status, 200);
    await tdb.db('panel_sessions').where({ sid: sha256(sidOf(res.headers['set-cookie'])) }).update({ expired: new Date(Date.now() - 1000).toISOString() });
    assert.equal((await agent.get('/ui/api/resources/ip_assets/actions/list')).headers.location, '/ui/login');
  });

  test('a session past its absolute lifetime ends even while active', async () => {
    const { agent, res } = await loginAgent();
    const row = (await tdb.db('panel_sessions').where({ sid: sha256(sidOf(res.headers['set-cookie'])) }).first()) as { sid: string; sess: string | object };
    const sess = typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess;
    sess.absoluteExpiresAt = Date.now() - 1000;
    await tdb.db('panel_sessions').where({ sid: row.sid }).update({ sess: JSON.stringify(sess) });
    assert.equal((await agent.get('/ui/api/resources/ip_assets/actions/list')).headers.location, '/ui/login');
    assert.equal(await tdb.db('panel_sessions').where({ sid: row.sid }).first(), undefined);
  });

  test('a deactivated user is logged out on the next request', async () => {
    const s = servicesFor(tdb.db, { userId: null, username: 'system', role: 'superuser' });
    const temp = await s.users.create({ username: 'temp', password: PASSWORD, role: 'editor' });
    const { agent } = await loginAgent('temp');
    await s.users.update(temp.id, { is_active: false });
    assert.equal((await agent.get('/ui/api/resources/ip_assets/actions/list')).headers.location, '/ui/login');
  });

  test('panel API calls marked cross-site by the browser are refused', async () => {
    const { agent } = await loginAgent();
    const res = await agent.get('/ui/api/resources/ip_assets/actions/list').set('Sec-Fetch-Site', 'cross-site');
    assert.equal(res.status, 403);
    assert.equal((await agent.get('/ui/api/resources/ip_assets/actions/list').set('Sec-Fetch-Site', 'same-origin')).status, 200);
  });

  test('unknown resources and actions answer 404, not 500', async () => {
    const { agent } = await loginAgent();
    assert.equal((await agent.get('/ui/api/resources/nope/actions/list')).status, 404);
    assert.equal((await agent.get('/ui/api/resources/ip_assets/actions/nope')).status, 404);
  });
});
