/** User rules live in UsersService, so the API keeps them as the panel does: no one changes their own role. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, PASSWORD, type TestApp } from './app.js';

describe(`own role over the API (${DIALECT})`, () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  const userUpdates = async (id: number) => {
    const res = await request(t.app).get(`/audit?target_type=USER&target_id=${id}&action=UPDATE`).set(t.as.superuser);
    assert.equal(res.status, 200);
    return (res.body as unknown[]).length;
  };

  test('a superuser PATCHing their own role gets 422 naming role and why; nothing changes', async () => {
    const id = t.ids.superuser;
    // Another active superuser exists, so "last superuser" is not what stops it.
    await request(t.app).post('/users').set(t.as.superuser).send({ username: 'super2', password: PASSWORD, role: 'superuser' }).expect(200);
    const res = await request(t.app).patch(`/users/${id}`).set(t.as.superuser).send({ role: 'viewer' });
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(res.body.detail[0].loc, ['body', 'role']);
    assert.match(res.body.detail[0].msg, /cannot change your own role/);
    const me = await request(t.app).get(`/users/${id}`).set(t.as.superuser);
    assert.equal(me.body.role, 'superuser');
    assert.equal(await userUpdates(id), 0);
    // The token still works (a role change would have ended it).
    assert.equal((await request(t.app).get('/me').set(t.as.superuser)).status, 200);
  });

  test('sending one\'s own unchanged role, or changing one\'s username, is fine', async () => {
    const res = await request(t.app).patch(`/users/${t.ids.superuser}`).set(t.as.superuser).send({ role: 'superuser', username: 'super1-renamed' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([res.body.role, res.body.username], ['superuser', 'super1-renamed']);
  });

  test('another superuser may change the role', async () => {
    const other = (await request(t.app).get('/users').set(t.as.superuser)).body.find((u: { username: string }) => u.username === 'super2');
    const demoted = await request(t.app).patch(`/users/${other.id}`).set(t.as.superuser).send({ role: 'editor' });
    assert.equal(demoted.status, 200, demoted.text);
    assert.equal(demoted.body.role, 'editor');
  });
});
