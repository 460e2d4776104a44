/** 100 parallel wrong passwords for one user: the throttle counts before checking, so at most 10 are checked. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

let t: TestApp;

describe(`the login throttle holds under parallel guesses (${DIALECT})`, () => {
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  for (const [surface, send] of [
    ['API POST /login', (i: number) => request(t.app).post('/login').send({ username: 'editor1', password: `guess-${i}-wrong` })],
    ['panel POST /ui/login', (i: number) => request(t.app).post('/ui/login').type('form').send({ username: 'viewer1', password: `guess-${i}-wrong` })],
  ] as const) {
    test(`${surface}: 100 at once → at most 10 answers 401 (password checked), the rest 429`, async () => {
      const statuses = (await Promise.all(Array.from({ length: 100 }, (_, i) => send(i)))).map((r) => r.status);
      const checked = statuses.filter((s) => s === 401).length;
      assert.ok(checked <= 10, `${checked} password checks`);
      assert.equal(statuses.filter((s) => s === 429).length, 100 - checked, statuses.join(','));
    });
  }
});
