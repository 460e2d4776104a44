/** Server-side request forgery: who may make the server call a URL, which networks it may reach, and where secrets go. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from '../api/app.js';
import { startFakePrometheus, vectorOf, type FakePrometheus } from '../fakes/prometheus.js';

let t: TestApp;
let prom: FakePrometheus;
let other: FakePrometheus;

/** Runs fn with connector env vars set, restoring them afterwards. */
async function withEnv(env: Record<string, string>, fn: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe(`connector targets (${DIALECT})`, () => {
  before(async () => {
    t = await buildTestApp();
    prom = await startFakePrometheus(vectorOf(['192.0.2.80:9100']));
    other = await startFakePrometheus(vectorOf(['192.0.2.81:9100']));
  });
  after(async () => {
    await prom.close();
    await other.close();
    await t.cleanup();
  });

  const adHoc = (role: 'viewer' | 'editor', url: string) => request(t.app).post('/import/prometheus?dry_run=1').set(t.as[role]).send({ url, query: 'up' });

  test('a viewer cannot dry-run an ad-hoc URL (403, nothing is called) but can dry-run a saved configuration', async () => {
    const before = prom.queries.length;
    const res = await adHoc('viewer', `${prom.url}/`);
    assert.equal(res.status, 403);
    assert.match(res.body.detail, /editor role/);
    // A closed port and an open one look the same to a viewer: both refused before any connection.
    assert.equal((await adHoc('viewer', 'http://127.0.0.1:1/')).status, 403);
    assert.equal(prom.queries.length, before, 'the server made no call');
    const saved = await request(t.app).post('/connectors/configs').set(t.as.editor).send({ name: 'saved-prom', plugin: 'prometheus', options: { url: prom.url, query: 'up' } });
    assert.equal(saved.status, 201, saved.text);
    const run = await request(t.app).post(`/connectors/configs/${saved.body.id}/run?dry_run=1`).set(t.as.viewer);
    assert.equal(run.status, 200, run.text);
    assert.equal((await adHoc('editor', prom.url)).status, 200);
  });

  test('IPOCKET_OUTBOUND_DENY and _ALLOW are checked on the resolved address (literal or host name)', async () => {
    const port = new URL(prom.url).port;
    await withEnv({ IPOCKET_OUTBOUND_DENY: '127.0.0.0/8, ::1/128' }, async () => {
      for (const url of [prom.url, `http://localhost:${port}`]) {
        const before = prom.queries.length;
        const res = await adHoc('editor', url);
        assert.equal(res.status, 502, `${url}: ${res.text}`);
        assert.match(res.body.detail, /not an allowed connector target: (127\.0\.0\.1|::1) is in IPOCKET_OUTBOUND_DENY/);
        assert.equal(prom.queries.length, before, 'nothing reached the server');
      }
    });
    await withEnv({ IPOCKET_OUTBOUND_ALLOW: '10.0.0.0/8' }, async () => {
      const res = await adHoc('editor', prom.url);
      assert.equal(res.status, 502);
      assert.match(res.body.detail, /127\.0\.0\.1 is not in IPOCKET_OUTBOUND_ALLOW/);
    });
    await withEnv({ IPOCKET_OUTBOUND_ALLOW: '127.0.0.0/8' }, async () => assert.equal((await adHoc('editor', prom.url)).status, 200));
  });

  test('link-local addresses (cloud metadata) are denied by default', async () => {
    const res = await adHoc('editor', 'http://169.254.169.254/');
    assert.equal(res.status, 502);
    assert.match(res.body.detail, /169\.254\.169\.254 is in IPOCKET_OUTBOUND_DENY/);
  });

  test('a saved configuration moved to another origin drops its stored secret unless it is sent again', async () => {
    const created = await request(t.app).post('/connectors/configs').set(t.as.editor).send({ name: 'moving', plugin: 'prometheus', options: { url: prom.url, query: 'up', token: 'tok-SECRET-9' } });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as number;
    const run = () => request(t.app).post(`/connectors/configs/${id}/run?dry_run=1`).set(t.as.editor);
    // A new path on the same origin keeps the token.
    assert.equal((await request(t.app).patch(`/connectors/configs/${id}`).set(t.as.editor).send({ options: { url: `${prom.url}/`, query: 'up', token: '***' } })).status, 200);
    assert.equal((await run()).status, 200);
    assert.equal(prom.auth.at(-1), 'Bearer tok-SECRET-9');
    // Another port: the stored token is not sent there.
    const moved = await request(t.app).patch(`/connectors/configs/${id}`).set(t.as.editor).send({ options: { url: other.url, query: 'up', token: '***' } });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.has_secret, false);
    assert.equal((await run()).status, 200);
    assert.equal(other.auth.at(-1), undefined, 'the new host got no credentials');
    // Re-entered for the new origin, it is used.
    await request(t.app).patch(`/connectors/configs/${id}`).set(t.as.editor).send({ options: { url: other.url, query: 'up', token: 'tok-NEW-1' } });
    assert.equal((await run()).status, 200);
    assert.equal(other.auth.at(-1), 'Bearer tok-NEW-1');
  });
});
