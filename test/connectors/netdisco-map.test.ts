import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { mapDevice } from '../../plugins/netdisco/map-device.js';
import { BatchDeviceSchema } from '../../src/plugins/batch.js';

const fx = JSON.parse(readFileSync(new URL('../fixtures/sources/netdisco-device.json', import.meta.url), 'utf8')) as { device: Record<string, unknown>; device_ips: unknown[]; nodes: unknown[] };
const opts = { tags: ['netdisco'], keepRaw: false };

describe('Netdisco device rows → device records', () => {
  test('the device IP is the source id; its own MAC (not a node\'s), every device IP, serial, model, vendor, OS version', () => {
    const d = mapDevice(fx.device, fx.device_ips, fx.nodes, 'netdisco 10.30.0.2', opts)!;
    assert.deepEqual([d.source, d.source_id, d.name, d.hostname], ['netdisco', '10.30.0.2', 'core-sw-01', 'core-sw-01.lab']);
    assert.deepEqual([d.serial, d.model, d.vendor, d.os_type, d.firmware_version, d.location], ['FOC2233X0AB', 'C9300-48P', 'cisco', 'ios-xe', '17.9.3', 'Room 2265']);
    assert.deepEqual(d.macs, ['70:1f:53:00:12:00']);
    assert.equal(d.kind, 'switch');
    assert.deepEqual(d.ips, ['10.30.0.2', '10.31.0.1']);
    assert.ok(BatchDeviceSchema.safeParse(d).success);
  });

  test('without a MAC of its own, the first node\'s MAC stands in (LAIM\'s mapping)', () => {
    const d = mapDevice({ ...fx.device, mac: null, chassis_id: '' }, [], fx.nodes, 'x', opts)!;
    assert.deepEqual(d.macs, ['00:50:56:aa:bb:01']);
    assert.deepEqual(d.ips, ['10.30.0.2']);
  });

  test('strings no rule knows leave the kind unknown rather than "other"', () => {
    assert.equal(mapDevice({ ip: '10.0.0.9', vendor: 'acme', model: 'X1' }, [], [], 'x', opts)!.kind, null);
  });

  test('a row without an IP is not a device', () => {
    assert.equal(mapDevice({ name: 'ghost' }, [], [], 'x', opts), null);
  });
});
