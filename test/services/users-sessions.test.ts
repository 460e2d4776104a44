import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, ValidationError } from '../../src/domain/errors.js';
import { SessionsService } from '../../src/services/sessions.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

describe(`users and sessions (${DIALECT})`, () => {
  let t: TestDb;
  let s: ReturnType<typeof servicesFor>;
  before(async () => {
    t = await createTestDb();
    s = servicesFor(t.db);
  });
  after(() => t.cleanup());

  it('stores bcrypt hashes and verifies credentials', async () => {
    const u = await s.users.create({ username: 'alice', password: 'correct horse', role: 'editor' });
    const row = await t.db('users').where({ id: u.id }).first();
    assert.match(row.password_hash, /^\$2[aby]\$\d\d\$/);
    assert.equal((await s.users.verifyCredentials('alice', 'correct horse'))?.role, 'editor');
    assert.equal(await s.users.verifyCredentials('alice', 'wrong'), null);
    assert.equal(await s.users.verifyCredentials('nobody', 'correct horse'), null);
    await assert.rejects(s.users.create({ username: 'alice', password: 'another one' }), ConflictError);
    await assert.rejects(s.users.create({ username: 'bob', password: 'short' }), ValidationError);
    await assert.rejects(s.users.create({ username: 'bob', password: 'x'.repeat(73) }), ValidationError);
  });

  it('never removes or demotes the last active superuser', async () => {
    const root = await s.users.create({ username: 'root', password: 'rootroot1', role: 'superuser' });
    await assert.rejects(s.users.update(root.id, { role: 'viewer' }), /last active superuser/);
    await assert.rejects(s.users.delete(root.id), ConflictError);
    await s.users.create({ username: 'root2', password: 'rootroot2', role: 'superuser' });
    await s.users.update(root.id, { role: 'viewer' });
    assert.equal((await s.users.get(root.id)).role, 'viewer');
  });

  it('inactive users cannot log in', async () => {
    const u = await s.users.create({ username: 'carol', password: 'password1' });
    await s.users.update(u.id, { is_active: false });
    assert.equal(await s.users.verifyCredentials('carol', 'password1'), null);
  });

  it('tokens are stored hashed, slide, expire, and are revoked on logout or password change', async () => {
    const sessions = new SessionsService(t.db, { idleSeconds: 3600, maxSeconds: 7200 });
    const u = await s.users.create({ username: 'dave', password: 'password1', role: 'viewer' });
    const t0 = new Date('2026-01-01T00:00:00Z');
    const { token } = await sessions.issue(u.id, t0);
    const stored = await t.db('sessions').where({ user_id: u.id }).first();
    assert.notEqual(stored.token_hash, token);
    assert.equal(stored.token_hash.length, 64);
    assert.equal((await sessions.resolve(token, new Date('2026-01-01T00:30:00Z')))?.username, 'dave');
    // Used at 00:30, so idle expiry moved to 01:30: still valid at 01:15.
    assert.ok(await sessions.resolve(token, new Date('2026-01-01T01:15:00Z')));
    // The absolute cap (02:00) wins over sliding.
    assert.equal(await sessions.resolve(token, new Date('2026-01-01T02:00:01Z')), null);
    const second = await sessions.issue(u.id);
    assert.ok(await sessions.resolve(second.token));
    assert.equal(await sessions.revoke(second.token), true);
    assert.equal(await sessions.resolve(second.token), null);
    const third = await sessions.issue(u.id);
    await s.users.update(u.id, { password: 'password2' });
    assert.equal(await sessions.resolve(third.token), null);
    assert.equal(await sessions.resolve('not-a-token'), null);
  });
});
