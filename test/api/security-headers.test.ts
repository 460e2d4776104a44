/** Security headers on the panel, the API and /docs; HSTS only when served over TLS (IPOCKET_COOKIE_SECURE=1). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import request from 'supertest';
import { buildTestApp } from './app.js';

describe('security headers', () => {
  test('CSP frame-ancestors, nosniff and Referrer-Policy everywhere; no HSTS over plain HTTP', async () => {
    const t = await buildTestApp();
    try {
      for (const path of ['/ui/login', '/health', '/docs', '/ip-assets', '/nope']) {
        const res = await request(t.app).get(path);
        assert.match(res.headers['content-security-policy'] ?? '', /frame-ancestors 'self'/, path);
        assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
        assert.equal(res.headers['referrer-policy'], 'same-origin', path);
        assert.equal(res.headers['strict-transport-security'], undefined, path);
      }
    } finally {
      await t.cleanup();
    }
  });

  test('HSTS with IPOCKET_COOKIE_SECURE=1', async () => {
    const t = await buildTestApp({ IPOCKET_COOKIE_SECURE: '1' });
    try {
      assert.match((await request(t.app).get('/health')).headers['strict-transport-security'] ?? '', /max-age=31536000/);
    } finally {
      await t.cleanup();
    }
  });
});
