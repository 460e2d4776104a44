/** The fake LibreNMS follows the documented v0 API (token header, envelopes, string numbers, filters, IPs, ports); read through the connectors' HTTP client. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basicAuth, HttpClient } from '../../src/plugins/connector-http.js';
import { connectorFailure, dig } from '../helpers/connector-failure.js';
import { generateLab } from './lab-devices.js';
import { startFakeLab } from './lab.js';
import { librenmsFromLab, startFakeLibrenms, type FakeLibrenms } from './librenms.js';
import { netdiscoFromLab } from './netdisco.js';

const FAST = { retries: 2, minDelayMs: 5, maxDelayMs: 20 };
const TOKEN = { 'x-auth-token': 'librenms-token-0123456789abcdef' };
const lab = generateLab(100, 0.4);

describe('fake LibreNMS', () => {
  let fake: FakeLibrenms;
  let http: HttpClient;
  before(async () => {
    fake = await startFakeLibrenms({ devices: librenmsFromLab(lab) });
    http = new HttpClient(new URL(fake.url), { tlsVerify: true, timeoutMs: 2000, label: 'LibreNMS', retry: FAST });
  });
  after(async () => {
    http.close();
    await fake.close();
  });

  const get = (path: string) => http.json('GET', path, { headers: TOKEN, what: `reading ${path}` });

  test('devices come in the ok envelope with every documented field, numbers as strings', async () => {
    const { data } = await get('api/v0/devices?type=all&order=hostname');
    assert.equal(dig(data, 'status'), 'ok');
    assert.equal(dig(data, 'count'), lab.librenms.length);
    const d = dig(data, 'devices', 0) as Record<string, unknown>;
    for (const k of ['device_id', 'hostname', 'sysName', 'display', 'ip', 'hardware', 'os', 'version', 'serial', 'status', 'status_reason', 'uptime', 'last_polled', 'type', 'disabled', 'ignore', 'sysDescr', 'location', 'lat', 'lng', 'dependency_parent_id']) {
      assert.ok(Object.hasOwn(d, k), `device has ${k}`);
    }
    assert.equal(typeof d.device_id, 'string');
    assert.match(String(d.device_id), /^\d+$/);
    assert.match(String(d.status), /^[01]$/);
    assert.equal(d.lat, null, 'nulls stay null');
  });

  test('type filters, one device by hostname or id, 404 in the error envelope', async () => {
    const down = (await get('api/v0/devices?type=down')).data;
    assert.ok((dig(down, 'devices') as unknown[]).every((d) => dig(d, 'status') === '0'));
    const target = lab.librenms[2]!;
    const byName = (await get(`api/v0/devices/${target.hostname}`)).data;
    const id = String(dig(byName, 'devices', 0, 'device_id'));
    assert.equal(dig((await get(`api/v0/devices/${id}`)).data, 'devices', 0, 'hostname'), target.hostname);
    const byMac = (await get(`api/v0/devices?type=mac&query=${target.mac}`)).data;
    assert.equal(dig(byMac, 'count'), 1);
    const missing = await connectorFailure(get('api/v0/devices/nope'));
    assert.equal(missing.httpStatus, 404);
    assert.match(missing.message, /Device nope does not exist/);
    assert.equal((await connectorFailure(get('api/v0/devices?type=weird'))).httpStatus, 400);
  });

  test('ports give the MAC as bare hex when asked for the column; IPs per device and overall', async () => {
    const d = lab.librenms[0]!;
    const names = (await get(`api/v0/devices/${d.hostname}/ports`)).data;
    assert.deepEqual(dig(names, 'ports', 0), { ifName: 'eth0' }, 'only ifName by default');
    const ports = (await get(`api/v0/devices/${d.hostname}/ports?columns=ifName,ifPhysAddress,port_id`)).data;
    assert.equal(dig(ports, 'ports', 0, 'ifPhysAddress'), d.mac.replace(/:/g, ''));
    assert.equal(typeof dig(ports, 'ports', 0, 'port_id'), 'string');
    const ips = (await get(`api/v0/devices/${d.hostname}/ip`)).data;
    assert.deepEqual(Object.keys(dig(ips, 'addresses', 0) as object).sort(), ['context_name', 'ipv4_address', 'ipv4_address_id', 'ipv4_network_id', 'ipv4_prefixlen', 'port_id']);
    assert.equal(dig(ips, 'addresses', 0, 'ipv4_address'), d.ip);
    const all = (await get('api/v0/resources/ip/addresses')).data;
    assert.equal(dig(all, 'count'), lab.librenms.length);
  });

  test('every port of every device in one list, with the columns asked (device_id among them); an unknown column is 400', async () => {
    const d = lab.librenms[0]!;
    const all = (await get('api/v0/ports?columns=port_id,device_id,ifName,ifPhysAddress')).data;
    assert.equal(dig(all, 'count'), lab.librenms.length * 2, 'two ports per lab device');
    assert.deepEqual(dig(all, 'ports', 0), { port_id: String((d.n + 1) * 10), device_id: String(d.n + 1), ifName: 'eth0', ifPhysAddress: d.mac.replace(/:/g, '') });
    assert.deepEqual(Object.keys(dig((await get('api/v0/ports')).data, 'ports', 0) as object), ['port_id', 'ifName'], 'port_id and ifName by default');
    const bad = await http.send('GET', 'api/v0/ports?columns=port_id,nope', { headers: TOKEN });
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body), { status: 'error', message: 'Unknown column nope' });
  });

  test('a wrong or missing token is 401; 429/503 switches are retried through', async () => {
    const e = await connectorFailure(http.json('GET', 'api/v0/devices', { headers: { 'x-auth-token': 'nope' }, what: 'listing devices' }));
    assert.equal(e.failure, 'credentials');
    assert.match(e.message, /HTTP 401: Unauthenticated\./);
    Object.assign(fake.faults, { rateLimited: 1, retryAfterSeconds: 0, unavailable: 1 });
    const before = fake.requests;
    await get('api/v0/devices');
    assert.equal(fake.requests - before, 3);
  });

  test('an answer that trickles in past the deadline fails as a timeout although it is never silent', async () => {
    fake.faults.dribbleMs = 40;
    try {
      const slow = new HttpClient(new URL(fake.url), { tlsVerify: true, timeoutMs: 300, deadlineMs: 500, label: 'LibreNMS', retry: { retries: 0 } });
      const e = await connectorFailure(slow.json('GET', 'api/v0/devices', { headers: TOKEN, what: 'listing devices' }));
      slow.close();
      assert.equal(e.failure, 'timeout');
      assert.match(e.message, /did not finish answering within 0\.5 s \(it answers, but too slowly\)/);
      // The same answer, given the default deadline (10 × the timeout), arrives whole.
      const patient = new HttpClient(new URL(fake.url), { tlsVerify: true, timeoutMs: 300, label: 'LibreNMS', retry: { retries: 0 } });
      const ok = await patient.json('GET', `api/v0/devices/${lab.librenms[0]!.hostname}`, { headers: TOKEN, what: 'reading a device' });
      patient.close();
      assert.equal(dig(ok.data, 'devices', 0, 'hostname'), lab.librenms[0]!.hostname);
    } finally {
      fake.faults.dribbleMs = 0;
    }
  });

  test('the lab overlaps Netdisco on serial and MAC, some shared devices only on MAC', () => {
    const nd = new Map(netdiscoFromLab(lab).map((d) => [d.row.mac, d.row]));
    const ln = librenmsFromLab(lab);
    const shared = ln.filter((d) => nd.has(d.ports[0]!.ifPhysAddress!.replace(/(..)(?!$)/g, '$1:')));
    assert.equal(shared.length, lab.both.length);
    assert.equal(lab.both.length, 40);
    const serialMatches = shared.filter((d) => nd.get(d.ports[0]!.ifPhysAddress!.replace(/(..)(?!$)/g, '$1:'))!.serial === d.serial);
    assert.equal(shared.length - serialMatches.length, lab.macOnly.size);
    assert.ok(lab.macOnly.size > 0);
    assert.deepEqual(generateLab(100, 0.4), lab, 'deterministic');
  });

  test('startFakeLab serves one lab from both fakes: a shared device answers on each with the same serial', async () => {
    const both = await startFakeLab(30, 0.4);
    const nd = new HttpClient(new URL(both.netdisco.url), { tlsVerify: true, timeoutMs: 2000, label: 'Netdisco', retry: FAST });
    const ln = new HttpClient(new URL(both.librenms.url), { tlsVerify: true, timeoutMs: 2000, label: 'LibreNMS', retry: FAST });
    try {
      const shared = both.lab.both.find((d) => !both.lab.macOnly.has(d.n))!;
      const { data: key } = await nd.json('POST', 'login', { headers: { authorization: basicAuth('api_user', 'netdisco') }, what: 'logging in' });
      const { data: row } = await nd.json('GET', `api/v1/object/device/${shared.ip}`, { headers: { authorization: String(dig(key, 'api_key')) }, what: 'reading a device' });
      const { data: dev } = await ln.json('GET', `api/v0/devices/${shared.hostname}`, { headers: TOKEN, what: 'reading a device' });
      assert.equal(dig(row, 'serial'), shared.serial);
      assert.equal(dig(dev, 'devices', 0, 'serial'), shared.serial);
    } finally {
      nd.close();
      ln.close();
      await both.close();
    }
  });
});
