/** Which fields two sources must agree on, and what counts as the same value (issue 15's "sources disagree"). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMPARED_FIELDS, disagreements } from '../../src/domain/devices/disagreements.js';

describe('disagreements', () => {
  test('two sources with another serial and another memory size: one entry each, sources in name order', () => {
    const out = disagreements([
      { source: 'netdisco', fields: { serial: 'FOC999', memory_mb: 8192 } },
      { source: 'librenms', fields: { serial: 'FOC111', memory_mb: 4096 } },
    ]);
    assert.deepEqual(out, [
      { field: 'serial', values: [{ source: 'librenms', value: 'FOC111' }, { source: 'netdisco', value: 'FOC999' }] },
      { field: 'memory_mb', values: [{ source: 'librenms', value: 4096 }, { source: 'netdisco', value: 8192 }] },
    ]);
  });

  test('case, spacing and numbers sent as strings are the same value', () => {
    assert.deepEqual(disagreements([
      { source: 'librenms', fields: { vendor: 'Cisco', model: ' C9300 ', vcpus: '4' } },
      { source: 'netdisco', fields: { vendor: 'CISCO', model: 'c9300', vcpus: 4 } },
    ]), []);
  });

  test('a field only one source reports, or reports empty, is no disagreement', () => {
    assert.deepEqual(disagreements([
      { source: 'vcenter', fields: { memory_mb: 4096, os_type: 'Ubuntu' } },
      { source: 'nutanix', fields: { os_type: '' } },
    ]), []);
  });

  test('fields left out on purpose and manual facts never disagree', () => {
    for (const f of ['power_state', 'cluster', 'hypervisor', 'kind', 'platform', 'uuid', 'disk_count']) assert.ok(!(COMPARED_FIELDS as readonly string[]).includes(f), f);
    assert.deepEqual(disagreements([
      { source: 'vcenter', fields: { power_state: 'on', cluster: 'a', serial: 'S1' } },
      { source: 'nutanix', fields: { power_state: 'off', cluster: 'b' } },
      { source: 'manual', fields: { serial: 'S2' } },
    ]), []);
  });

  test('three sources, two agreeing: still a disagreement, every value shown', () => {
    const [d] = disagreements([
      { source: 'vcenter', fields: { hostname: 'a' } },
      { source: 'nutanix', fields: { hostname: 'a' } },
      { source: 'librenms', fields: { hostname: 'b' } },
    ]);
    assert.deepEqual(d, { field: 'hostname', values: [{ source: 'librenms', value: 'b' }, { source: 'nutanix', value: 'a' }, { source: 'vcenter', value: 'a' }] });
  });
});
