/** A password change ends every other API token and panel session of the user (README: Security). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { UsersService } from '../../src/services/users.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

let t: TestApp;
const PW = 'first-password-1';

async function tokenFor(username: string, password = PW): Promise<string> {
  const res = await request(t.app).post('/login').send({ username, password });
  assert.equal(res.status, 200, res.text);
  return (res.body as { access_token: string }).access_token;
}

async function panelAgent(username: string, password = PW) {
  const agent = request.agent(t.app);
  assert.equal((await agent.post('/ui/login').type('form').send({ username, password })).status, 302);
  return agent;
}

const tokenWorks = async (token: string) => (await request(t.app).get('/me').set('Authorization', `Bearer ${token}`)).status === 200;
const panelWorks = async (agent: ReturnType<typeof request.agent>) => (await agent.get('/ui/api/resources/ip_assets/actions/list')).status === 200;

describe(`a password change revokes the user's other sessions (${DIALECT})`, () => {
  const users = () => new UsersService({ db: t.db, actor: SYSTEM_ACTOR });
  before(async () => {
    t = await buildTestApp();
    for (const name of ['pat', 'sam', 'cli', 'bystander']) await users().create({ username: name, password: PW, role: 'viewer' });
  });
  after(() => t.cleanup());

  test('PATCH /me/password keeps the calling token and ends every other token and panel session', async () => {
    const [mine, other] = [await tokenFor('pat'), await tokenFor('pat')];
    const [panelA, panelB] = [await panelAgent('pat'), await panelAgent('pat')];
    const bystander = await panelAgent('bystander');
    const res = await request(t.app).patch('/me/password').set('Authorization', `Bearer ${mine}`).send({ current_password: PW, new_password: 'second-password-2' });
    assert.equal(res.status, 204, res.text);
    assert.equal(await tokenWorks(mine), true, 'the token that changed it stays');
    assert.equal(await tokenWorks(other), false, 'another token of the user ends');
    assert.equal(await panelWorks(panelA), false, 'a panel session ends');
    assert.equal(await panelWorks(panelB), false);
    assert.equal(await panelWorks(bystander), true, "another user's session is untouched");
  });

  test("the panel's change-password page keeps its own session and ends the rest", async () => {
    const token = await tokenFor('sam');
    const [current, other] = [await panelAgent('sam'), await panelAgent('sam')];
    const res = await current
      .post('/ui/api/pages/change-password')
      .field('current_password', PW)
      .field('new_password', 'second-password-2')
      .field('confirm_password', 'second-password-2');
    assert.equal(res.status, 200, res.text);
    assert.equal((res.body as { ok?: boolean }).ok, true, res.text);
    assert.equal(await panelWorks(current), true, 'the session that proved the password stays');
    assert.equal(await panelWorks(other), false);
    assert.equal(await tokenWorks(token), false);
  });

  test('a reset by a superuser (API) and by the CLI path (UsersService.update) ends every session', async () => {
    const token = await tokenFor('cli');
    const panel = await panelAgent('cli');
    const id = (await users().list()).find((u) => u.username === 'cli')!.id;
    assert.equal((await request(t.app).patch(`/users/${id}`).set(t.as.superuser).send({ password: 'reset-password-3' })).status, 200);
    assert.equal(await tokenWorks(token), false);
    assert.equal(await panelWorks(panel), false);
    const again = await panelAgent('cli', 'reset-password-3');
    const token2 = await tokenFor('cli', 'reset-password-3');
    await users().update(id, { password: 'cli-password-4' }); // what `ipocket user passwd` calls
    assert.equal(await panelWorks(again), false);
    assert.equal(await tokenWorks(token2), false);
  });
});
