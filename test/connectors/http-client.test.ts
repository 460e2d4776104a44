/**
 * The connectors' shared HTTP client against real loopback servers: one test per failure class
 * (what the operator reads), retries with backoff and Retry-After, the per-source rate limit,
 * timeouts, the TLS switch and cancellation. No database: nothing here stores anything.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, describe, test } from 'node:test';
import { networkError, retryAfterMs } from '../../src/plugins/connector-errors.js';
import { HttpClient, type HttpClientOptions } from '../../src/plugins/connector-http.js';
import { listenLoopback, selfSigned, sendJson } from '../fakes/http-server.js';
import { connectorFailure } from '../helpers/connector-failure.js';

type Reply = (req: IncomingMessage, res: ServerResponse, n: number) => void | Promise<void>;

const servers: { close(): Promise<void> }[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

/** A loopback server answering request n (1-based) with reply; keeps the arrival times. */
async function serve(reply: Reply, https = false) {
  const seen: { method: string; at: number }[] = [];
  const srv = await listenLoopback(
    async (req, res) => {
      seen.push({ method: req.method ?? '', at: performance.now() });
      await reply(req, res, seen.length);
    },
    https ? createHttpsServer(selfSigned('fake-tls.local')) : undefined,
  );
  servers.push(srv);
  return { url: srv.url, seen };
}

const FAST = { retries: 2, minDelayMs: 10, maxDelayMs: 50 };
const client = (url: string, o: Partial<HttpClientOptions> = {}) => new HttpClient(new URL(url), { tlsVerify: true, timeoutMs: 2000, label: 'LibreNMS', retry: FAST, ...o });

describe('the connectors’ HTTP client', () => {
  test('401 and 403 name the credentials and the permission, without retrying', async () => {
    const s = await serve((req, res) => sendJson(res, req.url?.includes('admin') ? 403 : 401, { status: 'error', message: 'Unauthenticated.' }));
    const c = client(s.url);
    const e401 = await connectorFailure(c.json('GET', 'api/v0/devices', { what: 'listing devices' }));
    assert.equal(e401.failure, 'credentials');
    assert.equal(e401.httpStatus, 401);
    assert.match(e401.message, /^LibreNMS at http:\/\/127\.0\.0\.1:\d+ refused the credentials while listing devices \(HTTP 401: Unauthenticated\.\): check the username and password or the token/);
    const e403 = await connectorFailure(c.json('GET', 'api/v0/admin', { what: 'reading settings' }));
    assert.equal(e403.failure, 'forbidden');
    assert.match(e403.message, /denied reading settings \(HTTP 403.*lacks the permission; grant it in LibreNMS/);
    assert.equal(s.seen.length, 2, 'one request each: credentials do not get better by retrying');
  });

  test('a refused connection is retried, then says to check the URL, port and firewall', async () => {
    const c = client('http://127.0.0.1:1');
    const e = await connectorFailure(c.json('GET', 'x', { what: 'listing devices' }));
    assert.equal(e.failure, 'connect');
    assert.equal(e.netCode, 'ECONNREFUSED');
    assert.match(e.message, /^Cannot reach http:\/\/127\.0\.0\.1:1: ECONNREFUSED \(check the URL and port, that the service is running/);
    assert.equal(c.stats.requests, 3, 'first attempt + 2 retries');
  });

  test('a host name that does not resolve is a DNS failure with its own advice', () => {
    // Classified from the socket error: a real lookup would leave loopback to ask a resolver.
    const e = networkError(Object.assign(new Error('getaddrinfo ENOTFOUND librenms.lab'), { code: 'ENOTFOUND' }), 'https://librenms.lab', 30_000);
    assert.equal(e.failure, 'dns');
    assert.match(e.message, /Cannot resolve the host name of https:\/\/librenms\.lab \(DNS ENOTFOUND\): check the URL's host name and this server's DNS/);
  });

  test('Retry-After is read as seconds or as an HTTP date; anything else is ignored', () => {
    const now = Date.parse('2026-12-01T20:00:00Z');
    assert.equal(retryAfterMs('7', now), 7000);
    assert.equal(retryAfterMs(' 0 ', now), 0);
    assert.equal(retryAfterMs('Tue, 01 Dec 2026 20:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('Tue, 01 Dec 2026 19:00:00 GMT', now), 0, 'a date in the past: retry now');
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs(undefined, now), undefined);
  });

  test('a self-signed certificate fails as TLS with tls_verify on, and is accepted with it off', async () => {
    const s = await serve((_req, res) => sendJson(res, 200, { status: 'ok', devices: [] }), true);
    const e = await connectorFailure(client(s.url).json('GET', 'api/v0/devices', { what: 'listing devices' }));
    assert.equal(e.failure, 'tls');
    assert.match(e.message, /TLS error talking to https:\/\/127\.0\.0\.1:\d+: .*set tls_verify=false to accept a self-signed certificate/);
    assert.equal(s.seen.length, 0, 'no request crossed an unverified connection');
    const ok = await client(s.url, { tlsVerify: false }).json('GET', 'api/v0/devices', { what: 'listing devices' });
    assert.deepEqual(ok.data, { status: 'ok', devices: [] });
  });

  test('429 waits at least its Retry-After, then succeeds', async () => {
    const s = await serve((_req, res, n) => {
      if (n === 1) {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"status":"error","message":"Too Many Attempts."}');
      } else sendJson(res, 200, { status: 'ok', count: 0, devices: [] });
    });
    const c = client(s.url);
    const ok = await c.json('GET', 'api/v0/devices', { what: 'listing devices' });
    assert.equal(ok.status, 200);
    const gap = s.seen[1]!.at - s.seen[0]!.at;
    assert.ok(gap >= 950, `second attempt ${gap.toFixed(0)} ms after the 429 (asked: 1 s)`);
    assert.equal(c.stats.retries, 1);
  });

  test('429 that never clears, or asks for too long, fails as rate limited with what to do', async () => {
    const always = await serve((_req, res) => void res.writeHead(429, { 'retry-after': '0' }).end());
    const c = client(always.url);
    const e = await connectorFailure(c.json('GET', 'api/v0/devices', { what: 'listing devices' }));
    assert.equal(e.failure, 'rate_limited');
    assert.match(e.message, /kept answering "too many requests" while listing devices .*\(HTTP 429\): lower the connector's rate_limit or run it less often/);
    assert.equal(always.seen.length, 3);

    const long = await serve((_req, res) => void res.writeHead(429, { 'retry-after': '120' }).end());
    const started = performance.now();
    const e2 = await connectorFailure(client(long.url, { retry: { ...FAST, maxRetryAfterMs: 5000 } }).json('GET', 'x', { what: 'listing ports' }));
    assert.equal(e2.failure, 'rate_limited');
    assert.match(e2.message, /it asked to wait 120 s/);
    assert.equal(long.seen.length, 1, 'no retry when the wait is longer than allowed');
    assert.ok(performance.now() - started < 1000, 'and no stall');
  });

  test('503 is retried with backoff and recovers; a 500 on a POST is not repeated', async () => {
    const flaky = await serve((_req, res, n) => sendJson(res, n < 3 ? 503 : 200, n < 3 ? { detail: 'maintenance' } : { ok: true }));
    const c = client(flaky.url);
    assert.deepEqual((await c.json('GET', 'x', { what: 'x' })).data, { ok: true });
    assert.equal(flaky.seen.length, 3);
    // Backoff doubles: ≥ 10 ms then ≥ 20 ms between attempts.
    assert.ok(flaky.seen[2]!.at - flaky.seen[1]!.at >= 18);

    const broken = await serve((_req, res) => sendJson(res, 500, { detail: 'boom' }));
    const e = await connectorFailure(client(broken.url).json('POST', 'api/ipam/ip-addresses/', { what: 'creating an IP address', body: '{}' }));
    assert.equal(e.failure, 'unavailable');
    assert.match(e.message, /failed while creating an IP address \(HTTP 500: boom\), also after retries: the service is down or overloaded/);
    assert.equal(broken.seen.length, 1, 'a POST that may have been applied is not sent twice');
    // Retried when the caller says the POST is a read (Nutanix lists are POSTs).
    const c2 = client(broken.url);
    await connectorFailure(c2.json('POST', 'api/nutanix/v3/vms/list', { what: 'listing VMs', body: '{}', idempotent: true }));
    assert.equal(broken.seen.length, 4);
  });

  test('a slow answer times out (retried when idempotent) and says to raise the timeout', async () => {
    const slow = await serve(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 400));
      if (!res.destroyed) sendJson(res, 200, {});
    });
    const c = client(slow.url, { timeoutMs: 100 });
    const e = await connectorFailure(c.json('GET', 'x', { what: 'listing devices' }));
    assert.equal(e.failure, 'timeout');
    assert.match(e.message, /did not answer within 0\.1 s \(timeout\): check that the service is up and not overloaded, or raise the connector's timeout/);
    assert.equal(c.stats.requests, 3);
    const p = client(slow.url, { timeoutMs: 100 });
    await connectorFailure(p.json('POST', 'x', { what: 'creating', body: '{}' }));
    assert.equal(p.stats.requests, 1);
  });

  test('an answer that is not JSON is a bad answer that asks about the URL', async () => {
    const s = await serve((_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Login</body></html>'));
    const e = await connectorFailure(client(s.url).json('GET', 'api/v0/devices', { what: 'listing devices' }));
    assert.equal(e.failure, 'bad_answer');
    assert.match(e.message, /gave an unexpected answer while listing devices \(not JSON: "<html><body>Login.*is the URL the API's base URL/);
  });

  test('other statuses keep the remote body for the connector to read (NetBox field errors)', async () => {
    const s = await serve((_req, res) => sendJson(res, 400, { prefix: ['Enter a valid IPv4 or IPv6 address with optional mask.'] }));
    const e = await connectorFailure(client(s.url, { label: 'NetBox' }).json('POST', 'api/ipam/prefixes/', { what: 'creating a prefix', body: '{}' }));
    assert.equal(e.failure, 'http');
    assert.equal(e.httpStatus, 400);
    assert.deepEqual(e.answer, { prefix: ['Enter a valid IPv4 or IPv6 address with optional mask.'] });
    assert.match(e.message, /answered HTTP 400 while creating a prefix: prefix: Enter a valid IPv4 or IPv6 address with optional mask\.$/);
  });

  test('the per-source rate limit spaces requests, even when they are issued at once', async () => {
    const s = await serve((_req, res) => sendJson(res, 200, {}));
    const c = client(s.url, { ratePerSecond: 20 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 6 }, () => c.json('GET', 'x', { what: 'x' })));
    // The k-th request may leave no sooner than k × 50 ms after the first was issued, so it arrives
    // no sooner either (measured from the issue, not the first arrival: a first request that
    // arrives late on a busy machine would shrink an arrival-to-arrival span).
    s.seen.forEach((r, k) => assert.ok(r.at - started >= k * 50 - 5, `request ${k + 1} of 6 at 20/s arrives ≥ ${k * 50} ms after the first was issued (got ${(r.at - started).toFixed(0)})`));
    assert.throws(() => client(s.url, { ratePerSecond: 0 }), /rate limit must be a positive number/);
  });

  test('cancelling the run stops a retry wait at once', async () => {
    const s = await serve((_req, res) => void res.writeHead(429, { 'retry-after': '30' }).end());
    const ac = new AbortController();
    const c = client(s.url, { signal: ac.signal });
    const started = performance.now();
    setTimeout(() => ac.abort(), 100);
    const e = await connectorFailure(c.json('GET', 'x', { what: 'x' }));
    assert.equal(e.failure, 'cancelled');
    assert.equal(e.message, 'The run was cancelled.');
    assert.ok(performance.now() - started < 2000);
  });

  test('cancelling the run drops requests still queued behind the rate limit', async () => {
    const s = await serve((_req, res) => sendJson(res, 200, {}));
    const ac = new AbortController();
    const c = client(s.url, { signal: ac.signal, ratePerSecond: 2 });
    const calls = Array.from({ length: 5 }, () => connectorFailure(c.json('GET', 'x', { what: 'x' })).catch(() => null));
    setTimeout(() => ac.abort(), 100);
    const started = performance.now();
    const failures = await Promise.all(calls);
    assert.ok(performance.now() - started < 1000, 'no queued call waited its turn');
    assert.ok(failures.filter((f) => f?.failure === 'cancelled').length >= 4, 'the queued calls end as cancelled');
    assert.ok(s.seen.length <= 1, 'only the first call reached the server');
  });

  test('the outbound policy still refuses a denied target before any connection', async () => {
    const s = await serve((_req, res) => sendJson(res, 200, {}));
    process.env.IPOCKET_OUTBOUND_DENY = '127.0.0.0/8';
    try {
      const e = await connectorFailure(Promise.resolve().then(() => client(s.url)));
      assert.equal(e.failure, 'target_refused');
      assert.match(e.message, /not an allowed connector target: 127\.0\.0\.1 is in IPOCKET_OUTBOUND_DENY/);
    } finally {
      delete process.env.IPOCKET_OUTBOUND_DENY;
    }
    assert.equal(s.seen.length, 0);
  });
});
