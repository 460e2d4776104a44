/** The fake Netdisco follows the documented API: login → api_key, paged device search, device IPs and nodes, expiring keys; read through the connectors' HTTP client. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basicAuth, HttpClient } from '../../src/plugins/connector-http.js';
import { connectorFailure, dig } from '../helpers/connector-failure.js';
import { generateLab } from './lab-devices.js';
import { netdiscoFromLab, startFakeNetdisco, type FakeNetdisco } from './netdisco.js';

const FAST = { retries: 2, minDelayMs: 5, maxDelayMs: 20 };
const lab = generateLab(250, 0.4);

describe('fake Netdisco', () => {
  let fake: FakeNetdisco;
  let http: HttpClient;
  before(async () => {
    fake = await startFakeNetdisco({ devices: netdiscoFromLab(lab), tokenRequestLimit: 20, pageCap: 100 });
    http = new HttpClient(new URL(fake.url), { tlsVerify: true, timeoutMs: 2000, label: 'Netdisco', retry: FAST });
  });
  after(async () => {
    http.close();
    await fake.close();
  });

  const login = async (password = 'netdisco'): Promise<string> => {
    const { data } = await http.json('POST', 'login', { headers: { authorization: basicAuth('api_user', password) }, what: 'logging in' });
    assert.equal(dig(data, 'permanent'), false);
    const key = dig(data, 'api_key');
    assert.match(String(key), /^[0-9a-f]{32}$/);
    return String(key);
  };

  test('login gives an api_key; a wrong password is a credentials failure', async () => {
    await login();
    const e = await connectorFailure(login('wrong'));
    assert.equal(e.failure, 'credentials');
    assert.match(e.message, /Netdisco at .* refused the credentials while logging in \(HTTP 401: authentication failed\)/);
    assert.equal(fake.failedLogins, 1);
  });

  test('device search pages by limit/offset under the server cap; no query and no paging is refused', async () => {
    const key = await login();
    const seen: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const { data } = await http.json('GET', `api/v1/search/device?limit=500&offset=${offset}`, { headers: { authorization: key }, what: 'searching devices' });
      const rows = data as unknown[];
      assert.ok(rows.length <= 100, 'capped at 100 per page');
      seen.push(...rows.map((r) => String(dig(r, 'ip'))));
      if (rows.length < 100) break;
    }
    assert.equal(seen.length, lab.netdisco.length);
    assert.equal(new Set(seen).size, seen.length);
    const bad = await connectorFailure(http.json('GET', 'api/v1/search/device', { headers: { authorization: key }, what: 'searching devices' }));
    assert.equal(bad.httpStatus, 400);
    assert.match(bad.message, /search needs q, name, location or dns, or else limit and offset/);
  });

  test('one device has the documented row, its IPs and nodes; the Bearer and Apikey prefixes work too', async () => {
    const key = await login();
    const d = lab.netdisco[3]!;
    const { data: row } = await http.json('GET', `api/v1/object/device/${d.ip}`, { headers: { authorization: `Bearer ${key}` }, what: 'reading a device' });
    for (const k of ['ip', 'dns', 'name', 'description', 'location', 'contact', 'vendor', 'model', 'os', 'os_ver', 'serial', 'chassis_id', 'mac', 'uptime', 'layers', 'last_discover', 'last_macsuck', 'last_arpnip', 'is_pseudo', 'custom_fields', 'tags', 'poe']) {
      assert.ok(Object.hasOwn(row as object, k), `row has ${k}`);
    }
    assert.equal(dig(row, 'serial'), d.serial);
    assert.equal(dig(row, 'dns'), `${d.hostname.toLowerCase()}.lab.example`);
    const { data: ips } = await http.json('GET', `api/v1/object/device/${d.ip}/device_ips`, { headers: { authorization: `Apikey ${key}` }, what: 'reading device IPs' });
    assert.deepEqual(Object.keys(dig(ips, 0) as object).sort(), ['alias', 'creation', 'dns', 'ip', 'port', 'subnet']);
    const { data: nodes } = await http.json('GET', `api/v1/object/device/${d.ip}/nodes`, { headers: { authorization: key }, what: 'reading nodes' });
    assert.equal(dig(nodes, 0, 'mac'), d.mac, 'LAIM reads nodes[0].mac');
    const { data: arp } = await http.json('GET', `api/v1/search/node?q=${d.mac}&partial=true`, { headers: { authorization: key }, what: 'searching nodes' });
    assert.equal(dig(arp, 0, 'ip'), d.ip);
    const missing = await connectorFailure(http.json('GET', 'api/v1/object/device/192.0.2.1', { headers: { authorization: key }, what: 'reading a device' }));
    assert.equal(missing.httpStatus, 404);
  });

  test('a key expires mid-run (after its request budget, or on demand) with the documented 401', async () => {
    const key = await login();
    for (let i = 0; i < 20; i++) await http.json('GET', `api/v1/object/device/${lab.netdisco[i]!.ip}`, { headers: { authorization: key }, what: 'reading a device' });
    const e = await connectorFailure(http.json('GET', `api/v1/object/device/${lab.netdisco[0]!.ip}`, { headers: { authorization: key }, what: 'reading a device' }));
    assert.equal(e.failure, 'credentials');
    assert.match(e.message, /invalid or expired token/);
    const fresh = await login();
    await http.json('GET', `api/v1/object/device/${lab.netdisco[0]!.ip}`, { headers: { authorization: fresh }, what: 'reading a device' });
    fake.expireTokens();
    assert.equal((await connectorFailure(http.json('GET', `api/v1/object/device/${lab.netdisco[0]!.ip}`, { headers: { authorization: fresh }, what: 'x' }))).httpStatus, 401);
  });

  test('a key older than api_token_lifetime is refused', async () => {
    const short = await startFakeNetdisco({ devices: netdiscoFromLab(lab).slice(0, 3), tokenLifetimeSeconds: 0.2 });
    const c = new HttpClient(new URL(short.url), { tlsVerify: true, timeoutMs: 2000, label: 'Netdisco', retry: FAST });
    try {
      const { data } = await c.json('POST', 'login', { headers: { authorization: basicAuth('api_user', 'netdisco') }, what: 'logging in' });
      const key = String(dig(data, 'api_key'));
      const ip = lab.netdisco[0]!.ip;
      await c.json('GET', `api/v1/object/device/${ip}`, { headers: { authorization: key }, what: 'reading a device' });
      await new Promise((r) => setTimeout(r, 300));
      const e = await connectorFailure(c.json('GET', `api/v1/object/device/${ip}`, { headers: { authorization: key }, what: 'reading a device' }));
      assert.match(e.message, /HTTP 401: invalid or expired token/);
      assert.equal(short.expired, 1);
    } finally {
      c.close();
      await short.close();
    }
  });

  test('429, 503 and slow switches', async () => {
    const key = await login();
    Object.assign(fake.faults, { rateLimited: 1, retryAfterSeconds: 0, unavailable: 1 });
    const before = fake.requests;
    await http.json('GET', 'api/v1/search/device?q=lab', { headers: { authorization: key }, what: 'searching devices' });
    assert.equal(fake.requests - before, 3);
    fake.faults.delayMs = 300;
    try {
      const slow = new HttpClient(new URL(fake.url), { tlsVerify: true, timeoutMs: 100, label: 'Netdisco', retry: { retries: 0 } });
      assert.equal((await connectorFailure(slow.json('GET', 'api/v1/search/device?q=lab', { headers: { authorization: key }, what: 'x' }))).failure, 'timeout');
      slow.close();
    } finally {
      fake.faults.delayMs = 0;
    }
  });
});
