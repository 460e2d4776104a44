import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { mapDevice, vendorOf } from '../../plugins/librenms/map-device.js';
import { BatchDeviceSchema } from '../../src/plugins/batch.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/sources/librenms-device.json', import.meta.url), 'utf8')) as { devices: Record<string, unknown>[] };
const opts = { tags: ['librenms'], keepRaw: false };
const ports = [{ ifName: 'Gi1/0/1', ifPhysAddress: '701f53001201' }, { ifName: 'Vlan30', ifPhysAddress: '70:1F:53:00:12:00' }, { ifName: 'Null0', ifPhysAddress: '' }];
const ips = [{ ipv4_address_id: '7', ipv4_address: '10.30.0.2', ipv4_prefixlen: '24', ipv4_network_id: '3', port_id: '55', context_name: '' }, { ipv4_address: '10.32.0.1', ipv4_prefixlen: '24', port_id: '56' }];

describe('LibreNMS devices → device records', () => {
  test('string numbers: "device_id":"12" is source id 12; sysName names it; every port MAC; primary and interface IPs', () => {
    const d = mapDevice(fx.devices[0], ports, ips, 'librenms 12', opts)!;
    assert.deepEqual([d.source, d.source_id, d.name, d.hostname], ['librenms', '12', 'core-sw-01.lab', 'core-sw-01.lab']);
    assert.deepEqual([d.serial, d.model, d.vendor, d.os_type, d.firmware_version, d.location], ['FOC2233X0AB', 'Cisco Catalyst C9300-48P', 'Cisco', 'iosxe', '17.9.4', 'Room 2265']);
    assert.deepEqual(d.macs, ['70:1f:53:00:12:01', '70:1f:53:00:12:00']);
    assert.equal(d.kind, 'switch');
    assert.deepEqual(d.ips, ['10.30.0.2', '10.32.0.1']);
    assert.deepEqual(d.tags, ['librenms']);
    assert.ok(BatchDeviceSchema.safeParse(d).success);
  });

  test('vendor: from the OS name, else the hardware\'s first word when it is a known vendor', () => {
    assert.equal(vendorOf('junos', 'EX4300'), 'Juniper');
    assert.equal(vendorOf('linux', 'Dell PowerEdge R740'), 'Dell');
    assert.equal(vendorOf('linux', 'Generic x86'), null);
    assert.equal(vendorOf('toString', null), null);
  });

  test('a row without a numeric device_id is not a device', () => {
    assert.equal(mapDevice({ hostname: 'x', device_id: 'abc' }, [], [], 'x', opts), null);
  });
});
