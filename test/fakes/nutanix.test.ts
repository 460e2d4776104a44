/** The fake Prism Central follows the documented v3 shapes and failures, read through the connectors' HTTP client. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basicAuth, HttpClient } from '../../src/plugins/connector-http.js';
import { connectorFailure, dig } from '../helpers/connector-failure.js';
import { generateNutanix, startFakeNutanix, type FakeNutanix } from './nutanix.js';

const FAST = { retries: 2, minDelayMs: 5, maxDelayMs: 20 };
const AUTH = { authorization: basicAuth('admin', 'Nutanix/4u') };

describe('fake Nutanix Prism Central v3', () => {
  let fake: FakeNutanix;
  let http: HttpClient;
  const data = generateNutanix(1203, 12);
  before(async () => {
    fake = await startFakeNutanix({ ...data, pageCap: 500 });
    http = new HttpClient(new URL(fake.url), { tlsVerify: true, timeoutMs: 2000, label: 'Nutanix', retry: FAST });
  });
  after(async () => {
    http.close();
    await fake.close();
  });

  const list = (offset: number, length: number, kind = 'vm') => http.json('POST', `api/nutanix/v3/${kind}s/list`, { headers: AUTH, body: JSON.stringify({ kind, offset, length, filter: '' }), idempotent: true, what: 'listing VMs' });

  test('vms/list is capped per page and pages to total_matches by what each page returned', async () => {
    fake.lists.length = 0;
    const seen: string[] = [];
    let offset = 0;
    let total = Infinity;
    while (offset < total) {
      const { data: page } = await list(offset, 1000);
      const entities = dig(page, 'entities') as unknown[];
      total = Number(dig(page, 'metadata', 'total_matches'));
      assert.equal(dig(page, 'metadata', 'length'), entities.length);
      seen.push(...entities.map((e) => String(dig(e, 'metadata', 'uuid'))));
      offset += entities.length;
    }
    assert.equal(total, 1203);
    assert.equal(new Set(seen).size, 1203);
    assert.deepEqual(fake.lists.map((l) => [l.offset, l.length, l.returned]), [[0, 1000, 500], [500, 1000, 500], [1000, 1000, 203]]);
  });

  test('a VM entity carries the documented facts: power, CPU, memory, disks, NICs with MAC, subnet and IPs, host and cluster', async () => {
    const { data: page } = await list(0, 1);
    assert.equal(dig(page, 'api_version'), '3.1');
    const vm = dig(page, 'entities', 0);
    assert.equal(dig(vm, 'metadata', 'kind'), 'vm');
    assert.equal(dig(vm, 'status', 'state'), 'COMPLETE');
    assert.deepEqual(dig(vm, 'status', 'cluster_reference'), { kind: 'cluster', uuid: data.vms[0]!.cluster.uuid, name: 'ntnx-cluster-01' });
    const r = (...path: (string | number)[]) => dig(vm, 'status', 'resources', ...path);
    assert.equal(r('power_state'), 'ON');
    assert.equal(r('num_sockets'), 1);
    assert.equal(r('num_vcpus_per_socket'), 2);
    assert.equal(r('memory_size_mib'), 2048);
    assert.equal(r('host_reference', 'kind'), 'host');
    assert.equal(r('disk_list', 'length'), 2);
    assert.equal(r('nic_list', 'length'), 2, 'VM 0 has a second NIC');
    assert.equal(r('nic_list', 0, 'mac_address'), '50:6b:8d:00:00:00');
    assert.deepEqual(r('nic_list', 0, 'ip_endpoint_list'), [{ ip: '10.20.0.0', type: 'ASSIGNED' }]);
    assert.equal(r('nic_list', 0, 'subnet_reference', 'kind'), 'subnet');
    const uuid = String(dig(vm, 'metadata', 'uuid'));
    const one = await http.json('GET', `api/nutanix/v3/vms/${uuid}`, { headers: AUTH, what: 'reading a VM' });
    assert.equal(dig(one.data, 'metadata', 'uuid'), uuid);
  });

  test('hosts/list uses the same envelope', async () => {
    const { data: page } = await list(0, 100, 'host');
    assert.equal(dig(page, 'metadata', 'total_matches'), 12);
    assert.equal(dig(page, 'entities', 0, 'metadata', 'kind'), 'host');
    assert.equal(dig(page, 'entities', 0, 'status', 'resources', 'block', 'block_model'), 'NX-3060-G7');
  });

  test('wrong kind is refused with Prism’s error envelope; an unknown VM is 404', async () => {
    const bad = await http.send('POST', 'api/nutanix/v3/vms/list', { headers: AUTH, body: JSON.stringify({ kind: 'cluster' }) });
    assert.equal(bad.status, 422);
    assert.equal(JSON.parse(bad.body).state, 'ERROR');
    const e = await connectorFailure(http.json('GET', 'api/nutanix/v3/vms/nope', { headers: AUTH, what: 'reading a VM' }));
    assert.equal(e.httpStatus, 404);
    assert.match(e.message, /VM nope does not exist/);
  });

  test('Basic auth on every call: a wrong password and the 401 switch fail as credentials', async () => {
    const wrong = await connectorFailure(http.json('POST', 'api/nutanix/v3/vms/list', { headers: { authorization: basicAuth('admin', 'nope') }, body: '{"kind":"vm"}', idempotent: true, what: 'listing VMs' }));
    assert.equal(wrong.failure, 'credentials');
    assert.match(wrong.message, /Nutanix at .* refused the credentials while listing VMs/);
    fake.faults.unauthorized = true;
    try {
      assert.equal((await connectorFailure(list(0, 1))).failure, 'credentials');
    } finally {
      fake.faults.unauthorized = false;
    }
  });

  test('429 and 503 switches are retried through; a slow answer times out', async () => {
    fake.faults.rateLimited = 1;
    fake.faults.retryAfterSeconds = 0;
    fake.faults.unavailable = 1;
    const before = fake.requests;
    await list(0, 5);
    assert.equal(fake.requests - before, 3, '429, 503, then the answer');
    fake.faults.delayMs = 300;
    try {
      const slow = new HttpClient(new URL(fake.url), { tlsVerify: true, timeoutMs: 100, label: 'Nutanix', retry: { retries: 0 } });
      const e = await connectorFailure(slow.json('POST', 'api/nutanix/v3/vms/list', { headers: AUTH, body: '{"kind":"vm"}', idempotent: true, what: 'listing VMs' }));
      slow.close();
      assert.equal(e.failure, 'timeout');
    } finally {
      fake.faults.delayMs = 0;
    }
  });

  test('the generator is deterministic', () => {
    assert.deepEqual(generateNutanix(50), generateNutanix(50));
    const { vms } = generateNutanix(20);
    assert.equal(new Set(vms.map((v) => v.uuid)).size, 20);
    assert.equal(vms.filter((v) => v.power === 'OFF').length, 2);
  });
});
