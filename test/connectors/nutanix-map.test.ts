import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { mapHost, mapVm } from '../../plugins/nutanix/map-entities.js';
import { BatchDeviceSchema } from '../../src/plugins/batch.js';

const vm = JSON.parse(readFileSync(new URL('../fixtures/sources/nutanix-vm.json', import.meta.url), 'utf8')) as unknown;
const opts = { tags: ['nutanix'], keepRaw: false };

describe('Nutanix v3 entities → device records', () => {
  test('a VM: uuid as source id, facts from status (string numbers coerced), disks without the CD-ROM, NICs with their IPs', () => {
    const d = mapVm(vm, 'vms[0]', { ...opts, project: 'Apps' })!;
    assert.equal(d.source_id, '5d1d6b1e-8c3a-4f5e-9d2b-0a1b2c3d4e5f');
    assert.equal(d.name, 'app-01');
    assert.equal(d.kind, 'vm');
    assert.equal(d.platform, 'nutanix');
    assert.equal(d.power_state, 'on');
    assert.deepEqual([d.vcpus, d.sockets, d.cores_per_socket, d.memory_mb], [8, 2, 4, 16384]);
    assert.deepEqual(d.disks, [
      { label: 'SCSI.0', size_gb: 40, storage: 'default-container', backing: null },
      { label: 'SCSI.1', size_gb: 100, storage: null, backing: null },
    ]);
    assert.deepEqual(d.nics, [
      { mac: '50:6b:8d:00:00:01', network: 'vlan100', vlan: null, connected: true, ips: ['10.20.0.5'] },
      { mac: '50:6b:8d:00:00:02', network: 'vlan200', vlan: null, connected: false, ips: ['2001:db8::5'] },
    ]);
    assert.deepEqual([d.cluster, d.hypervisor, d.hypervisor_source_id], ['ntnx-prod-01', 'ahv-01', 'a1b2c3d4-0000-4000-8000-000000000010']);
    assert.deepEqual([d.os_family, d.os_type], ['linux', 'CentOS Linux-7.3.1611']);
    assert.equal(d.project, 'Apps');
    assert.equal(d.raw, undefined);
    assert.ok(BatchDeviceSchema.safeParse(d).success, 'the record passes the batch schema');
  });

  test('powered off, no guest tools, no NICs: nulls and empty lists, still a valid record', () => {
    const d = mapVm({ metadata: { uuid: 'u-2' }, status: { name: 'parked', resources: { power_state: 'OFF' } } }, 'vms[1]', opts)!;
    assert.equal(d.power_state, 'off');
    assert.deepEqual([d.vcpus, d.memory_mb, d.os_type, d.cluster], [null, null, null, null]);
    assert.deepEqual([d.disks, d.nics], [[], []]);
    assert.ok(BatchDeviceSchema.safeParse(d).success);
  });

  test('an entity without a uuid is not a device', () => {
    assert.equal(mapVm({ status: { name: 'x' } }, 'vms[2]', opts), null);
    assert.equal(mapVm(null, 'vms[3]', opts), null);
  });

  test('a host: hypervisor device with serial, model and its hypervisor address', () => {
    const h = mapHost(
      { metadata: { uuid: 'h-1', kind: 'host' }, status: { name: 'ahv-01', cluster_reference: { name: 'ntnx-prod-01' }, resources: { serial_number: 'NX100001', block: { block_model: 'NX-3060-G7' }, hypervisor: { hypervisor_full_name: 'AHV 20220304.342', ip: '10.19.0.1' }, num_cpu_sockets: '2', num_cpu_cores: 32, memory_capacity_mib: '524288' } } },
      'hosts[0]',
      opts,
    )!;
    assert.deepEqual([h.kind, h.serial, h.model, h.os_type, h.os_family], ['hypervisor', 'NX100001', 'NX-3060-G7', 'AHV 20220304.342', 'AHV']);
    assert.deepEqual([h.vcpus, h.sockets, h.cores_per_socket, h.memory_mb], [32, 2, 16, 524288]);
    assert.deepEqual(h.ips, ['10.19.0.1']);
    assert.ok(BatchDeviceSchema.safeParse(h).success);
  });
});
