import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kindOfLaimItemType, LAIM_ITEM_TYPES, LaimItemCreateSchema, LaimItemListQuerySchema, laimItemType, laimSource, laimToDevice } from '../../src/domain/devices/laim.js';
import { VmiManualSchema, VmiTagsSchema, vmiManualToDevice } from '../../src/domain/devices/vmi.js';

describe('LAIM categories ↔ device kinds', () => {
  test('each of the seven categories maps to its kind and back', () => {
    for (const [type, kind] of Object.entries(LAIM_ITEM_TYPES)) {
      assert.equal(kindOfLaimItemType(type), kind);
      assert.equal(laimItemType(kind), type);
    }
  });

  test('spellings users type and the stored enum read as the category; others are refused', () => {
    assert.equal(kindOfLaimItemType('smart tv'), 'smart_tv');
    assert.equal(kindOfLaimItemType('SMART_TV'), 'smart_tv');
    assert.equal(kindOfLaimItemType(' wap '), 'wap');
    assert.equal(kindOfLaimItemType('Access Point'), 'wap');
    assert.equal(kindOfLaimItemType('toaster'), null);
    assert.equal(laimItemType('vm'), null);
  });

  test('the source is manual, one sync source, or merged when both reported it', () => {
    assert.equal(laimSource([]), 'manual');
    assert.equal(laimSource(['netdisco']), 'netdisco');
    assert.equal(laimSource(['librenms', 'vcenter']), 'librenms');
    assert.equal(laimSource(['netdisco', 'librenms']), 'merged');
  });
});

describe('LAIM item bodies', () => {
  test('a create body maps to device fields with the seed names translated', () => {
    const item = LaimItemCreateSchema.parse({
      hostname: 'LAB-LAPTOP-001', serial_number: 'SN1', mac_address: 'AA:BB:CC:00:11:22', asset_tag: 'AT-9', item_type: 'Smart TV',
      room_location: '2265', sub_location: 'shelf 2', notes: 'n', ip_address: '10.1.2.3', model: 'X1', vendor: 'Lenovo', firmware_version: '1.2',
    });
    assert.deepEqual(laimToDevice(item), {
      manual: { name: 'LAB-LAPTOP-001', asset_tag: 'AT-9', room_location: '2265', sub_location: 'shelf 2', notes: 'n', macs: ['AA:BB:CC:00:11:22'], manual_ips: [{ ip_address: '10.1.2.3' }] },
      facts: { kind: 'smart_tv', serial: 'SN1', model: 'X1', vendor: 'Lenovo', firmware_version: '1.2' },
    });
  });

  test('a bad category or a missing hostname names the field', () => {
    const r = LaimItemCreateSchema.safeParse({ hostname: '', item_type: 'Toaster' });
    assert.equal(r.success, false);
    const paths = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    assert.ok(paths.includes('hostname: is required'), paths.join('; '));
    assert.ok(paths.some((p) => p.startsWith('item_type: must be one of Laptop, Desktop, Smart TV')), paths.join('; '));
  });

  test('an empty MAC clears the list; unknown keys are refused', () => {
    assert.deepEqual(laimToDevice({ mac_address: '', ip_address: '' }), { manual: { macs: [], manual_ips: [] }, facts: {} });
    assert.equal(LaimItemCreateSchema.safeParse({ hostname: 'a', item_type: 'Laptop', colour: 'red' }).success, false);
  });

  test('the list query reads the category filter as a kind', () => {
    assert.deepEqual(LaimItemListQuerySchema.parse({ item_type: 'router', search: 'lab' }), { item_type: 'router', search: 'lab', limit: 100, offset: 0 });
  });
});

describe('VMI manual edits', () => {
  test('override flags with values set overrides; a false flag clears one; owners and project are manual fields', () => {
    const body = VmiManualSchema.parse({
      technical_owner_id: 4, project_name: 'billing', environment: 'prod', override_power_state: true, manual_power_state: 'OFF',
      override_cluster: false, manual_ips: [{ ip_address: '10.9.9.9', is_primary: true }],
    });
    assert.deepEqual(vmiManualToDevice(body), {
      manual: { technical_owner_id: 4, environment: 'prod', manual_ips: [{ ip_address: '10.9.9.9', is_primary: true, label: null }] },
      project_name: 'billing',
      setOverrides: { power_state: 'OFF' },
      clearOverrides: ['cluster'],
    });
  });

  test('an override flag without its value is refused at the value field', () => {
    const r = VmiManualSchema.safeParse({ override_hostname: true });
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues.map((i) => [i.path.join('.'), i.message]), [['manual_hostname', 'is required when override_hostname is true']]);
  });

  test('tags take exactly one of tag_value and tags', () => {
    assert.equal(VmiTagsSchema.safeParse({ tag_value: 'db' }).success, true);
    assert.equal(VmiTagsSchema.safeParse({ tags: ['db', 'prod'] }).success, true);
    assert.equal(VmiTagsSchema.safeParse({}).success, false);
    assert.equal(VmiTagsSchema.safeParse({ tag_value: 'a', tags: ['b'] }).success, false);
  });
});
