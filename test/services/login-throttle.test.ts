import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TooManyRequestsError } from '../../src/domain/errors.js';
import { LoginThrottle } from '../../src/services/login-throttle.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';

describe(`login throttle (${DIALECT})`, () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(() => t.cleanup());

  const limits = { perUser: 2, perAddress: 3, windowMs: 1000 };

  it('counts attempts per user (any case) and per address within the window; a success gives its attempt back', async () => {
    const l = new LoginThrottle(t.db, limits);
    for (let i = 0; i < 10; i++) {
      await l.attempt('ok', '192.0.2.1', 0);
      await l.succeed('ok', '192.0.2.1');
    }
    await l.attempt('a', '192.0.2.1', 0);
    await l.attempt('A', '192.0.2.1', 0);
    await assert.rejects(l.attempt('a', '192.0.2.2', 10), (e: unknown) => e instanceof TooManyRequestsError && /for this user; try again in 1 s/.test(e.message) && e.retryAfterSeconds === 1);
    await l.attempt('b', '192.0.2.1', 10);
    await assert.rejects(l.attempt('c', '192.0.2.1', 20), /Too many failed logins from this address/);
    // A new window starts once the old one has ended.
    await l.attempt('a', '192.0.2.1', 1001);
    await l.attempt('a', '192.0.2.9', 1001);
    await assert.rejects(l.attempt('a', '192.0.2.9', 1002), TooManyRequestsError);
  });

  it('is shared by every instance on the database, and a success clears only the user', async () => {
    const one = new LoginThrottle(t.db, limits);
    const two = new LoginThrottle(t.db, limits);
    await one.attempt('shared', '198.51.100.1', 5000);
    await two.attempt('shared', '198.51.100.2', 5000);
    await assert.rejects(one.attempt('shared', '198.51.100.3', 5001), TooManyRequestsError);
    await assert.rejects(two.attempt('shared', '198.51.100.3', 5001), TooManyRequestsError);
    await two.succeed('SHARED', '198.51.100.3');
    await one.attempt('shared', '198.51.100.3', 5002);
  });

  it('counts parallel attempts exactly: no more pass than the limit', async () => {
    const l = new LoginThrottle(t.db, { perUser: 10, perAddress: 1000, windowMs: 60_000 });
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => l.attempt('raced', '192.0.2.77', 50_000)));
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 10);
  });

  it('forgets ended windows', async () => {
    const l = new LoginThrottle(t.db, limits);
    await l.attempt('old', '203.0.113.1', 10_000);
    await l.attempt('new', '203.0.113.2', 100_000); // more than a minute later: prunes what has ended
    const buckets = ((await t.db('login_failures').select('bucket')) as { bucket: string }[]).map((r) => r.bucket);
    assert.ok(!buckets.includes('user:old'), buckets.join(', '));
    assert.ok(buckets.includes('user:new'));
  });
});
