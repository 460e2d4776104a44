import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { api, ApiError, apiFetch } from '../../components/shared/api.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from '../api/app.js';

/**
 * The panel's one API client against the real app: what every page shows for a failure comes
 * from here, and uploads go through it too. The browser's session cookie is stood in for by the
 * editor's bearer token, added to each request the client makes.
 */
describe(`the panel's API client (${DIALECT})`, () => {
  let t: TestApp;
  let server: Server;
  let base = '';
  const realFetch = globalThis.fetch;

  before(async () => {
    t = await buildTestApp({ IPOCKET_MAX_UPLOAD_MB: '1' });
    server = await new Promise<Server>((resolve) => {
      const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    globalThis.fetch = (input, init) => realFetch(new URL(String(input), base), { ...init, headers: { ...(init?.headers as Record<string, string>), ...t.as.editor } });
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await new Promise((r) => server.close(r));
    await t.cleanup();
  });

  const failure = async (p: Promise<unknown>): Promise<ApiError> => {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    assert.ok(e instanceof ApiError, `an ApiError, got ${String(e)}`);
    return e;
  };

  test('a 422 names the field in the status line and keeps the field errors for inline display', async () => {
    const e = await failure(api.post('/ip-assets', { ip_address: '10.1.2.5', type: 'NOPE' }));
    assert.equal(e.status, 422);
    assert.ok(e.fields.type, 'type has an inline error');
    assert.match(e.message, /^type: /);
    assert.deepEqual(e.issues[0]?.loc?.slice(0, 2), ['body', 'type']);
  });

  test('a 409 reads the server message and carries its body; a 404 its message', async () => {
    const created = await api.post<{ id: number; ip_address: string }>('/ip-assets', { ip_address: '10.1.2.3', type: 'VM' });
    assert.equal(created.ip_address, '10.1.2.3');
    const dup = await failure(api.post('/ip-assets', { ip_address: '10.1.2.3', type: 'VM' }));
    assert.equal(dup.status, 409);
    assert.match(dup.message, /exists/i);
    assert.ok(dup.body && typeof dup.body === 'object');
    const missing = await failure(api.get('/ip-assets/10.9.9.9'));
    assert.equal(missing.status, 404);
    assert.notEqual(missing.message, 'Request failed (404)', 'the API said why');
  });

  test('a list answers its rows and the paging headers', async () => {
    const { data, headers } = await apiFetch<unknown[]>('GET', '/ip-assets?limit=1');
    assert.equal(data.length, 1);
    assert.equal(headers.get('X-Total-Count'), '1');
  });

  test('a FormData body goes up as multipart (a dry-run import), and an upload over the cap reads as too large', async () => {
    const form = new FormData();
    form.append('file', new Blob(['ip_address,type,project_name,host_name,notes,archived\n10.1.2.4,VM,,,,false\n'], { type: 'text/csv' }), 'ip-assets.csv');
    form.append('options', '{}');
    const result = await api.post<{ dry_run: boolean; summary: { total: { would_create: number } } }>('/import/csv?dry_run=1', form);
    assert.equal(result.dry_run, true);
    assert.equal(result.summary.total.would_create, 1);

    const big = new FormData();
    big.append('file', new Blob(['x'.repeat(2 * 1024 * 1024)], { type: 'text/csv' }), 'big.csv');
    const tooBig = await failure(api.post('/import/csv?dry_run=1', big));
    assert.equal(tooBig.status, 413);
    assert.match(tooBig.message, /exceeds maximum size/, 'the server says why');
  });

  test('a 204 answers nothing and is no error', async () => {
    assert.equal(await api.del('/ip-assets/10.1.2.3'), undefined);
  });
});
