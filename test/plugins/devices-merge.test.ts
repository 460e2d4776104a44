/** The per-field source priority of device facts (domain/devices/merge.ts): pure, no database. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FACT_FIELD_NAMES } from '../../src/domain/devices/fields.js';
import { DEFAULT_FIELD_PRIORITY, mergeDeviceFacts, nextSourceFacts, type FieldPriorityTable } from '../../src/domain/devices/merge.js';
import { effectiveFacts } from '../../src/domain/devices/priority.js';

const netdisco = { source: 'netdisco', fields: { serial: 'FOC1', model: 'WS-C3850', os_version: '16.9', hostname: 'sw1' } };
const librenms = { source: 'librenms', fields: { serial: 'FOC1', model: 'C3850-48P', os_version: '16.12' } };
const vcenter = { source: 'vcenter', fields: { memory_mb: 8192, vcpus: 4, power_state: 'on', hostname: 'app01.example' } };
const nutanix = { source: 'nutanix', fields: { memory_mb: 4096 } };
const prometheus = { source: 'prometheus', fields: { memory_mb: 1024, hostname: 'app01' } };

test('network gear: LibreNMS over Netdisco whatever the order; Netdisco fills what LibreNMS lacks', () => {
  for (const facts of [[netdisco, librenms], [librenms, netdisco]]) {
    const m = mergeDeviceFacts(facts, {});
    assert.deepEqual(m.model, { value: 'C3850-48P', from: 'librenms' });
    assert.deepEqual(m.os_version, { value: '16.12', from: 'librenms' });
    assert.deepEqual(m.hostname, { value: 'sw1', from: 'netdisco' });
  }
});

test('VM facts: the platform wins over a monitor; equal platforms tie-break by name, never by order', () => {
  const m = mergeDeviceFacts([prometheus, vcenter], {});
  assert.deepEqual(m.memory_mb, { value: 8192, from: 'vcenter' });
  assert.deepEqual(m.hostname, { value: 'app01.example', from: 'vcenter' });
  assert.deepEqual(mergeDeviceFacts([vcenter, nutanix], {}).memory_mb, mergeDeviceFacts([nutanix, vcenter], {}).memory_mb);
  assert.equal(mergeDeviceFacts([vcenter, nutanix], {}).memory_mb.from, 'nutanix');
});

test('an override wins over every source, also when it blanks a value', () => {
  const m = mergeDeviceFacts([vcenter, librenms], { memory_mb: 2048, serial: null });
  assert.deepEqual(m.memory_mb, { value: 2048, from: 'override' });
  assert.deepEqual(m.serial, { value: null, from: 'override' });
});

test('a table ranks sources per field: Netdisco may win the model while LibreNMS keeps the serial', () => {
  const table: FieldPriorityTable = { ...DEFAULT_FIELD_PRIORITY, model: { netdisco: 90, librenms: 80 } };
  const m = mergeDeviceFacts([librenms, { ...netdisco, fields: { ...netdisco.fields, serial: 'OTHER' } }], {}, table);
  assert.equal(m.model.value, 'WS-C3850');
  assert.equal(m.serial.value, 'FOC1');
});

test('with the default table every field agrees with the device service (effectiveFacts)', () => {
  const facts = [netdisco, librenms, vcenter, nutanix, prometheus, { source: 'someone', fields: { cluster: 'x', serial: 'S' } }];
  const overrides = { vcpus: 2 };
  const a = mergeDeviceFacts(facts, overrides);
  const b = effectiveFacts(facts, overrides);
  for (const f of FACT_FIELD_NAMES) assert.deepEqual(a[f], b[f], f);
});

test('a new report: left-out fields keep the source\'s last value, null drops it, keys in field order', () => {
  const next = nextSourceFacts({ name: 'a', serial: 'S1', model: 'M1' }, { model: null, memory_mb: 512, serial: undefined });
  assert.deepEqual(next, { serial: 'S1', memory_mb: 512, name: 'a' });
  assert.deepEqual(Object.keys(nextSourceFacts(undefined, { name: 'n', vcpus: 1, hostname: 'h' })), ['hostname', 'vcpus', 'name']);
});
