/**
 * The pure planner: loaded state + incoming records → CREATE/UPDATE/SKIP with field diffs, errors
 * and writes, without a database (every entity's `plan` through the core's matching step).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAddressFast } from '../../../src/domain/ip/address-fast.js';
import { emptyBatch, type Batch } from '../../../src/plugins/batch.js';
import type { Loaded } from '../../../src/plugins/reconcile/core/contract.js';
import { planLoaded, prepareBatch } from '../../../src/plugins/reconcile/core/pipeline.js';
import { PlanContext } from '../../../src/plugins/reconcile/core/plan.js';
import { recordArray } from '../../../src/plugins/reconcile/core/records.js';
import type { StoredAsset, StoredHost, StoredProject, StoredRange, StoredTag, StoredVendor } from '../../../src/plugins/reconcile/store/state.js';
import type { AssetWrites, HostWrites, ProjectWrites, RangeWrites, TagWrites, VendorWrites } from '../../../src/plugins/reconcile/store/types.js';

interface Stored {
  vendors?: StoredVendor[];
  projects?: StoredProject[];
  tags?: StoredTag[];
  ranges?: StoredRange[];
  hosts?: StoredHost[];
  assets?: StoredAsset[];
}

interface Writes {
  vendors: VendorWrites;
  projects: ProjectWrites;
  tags: TagWrites;
  ranges: RangeWrites;
  hosts: HostWrites;
  ip_assets: AssetWrites;
}

const NOW = '2025-06-01 12:00:00';

/** Plans a batch against an in-memory "database": each entity's loaded state is given, not read. */
function plan(batch: Batch, stored: Stored = {}) {
  const prepared = prepareBatch(batch);
  const ctx = new PlanContext(prepared, prepared.handlers.map((h) => h.entity), NOW);
  const ranges = stored.ranges ?? [];
  const loaded: Record<string, Loaded & Record<string, unknown>> = {
    vendors: { rows: stored.vendors ?? [] },
    projects: { rows: stored.projects ?? [] },
    tags: { rows: stored.tags ?? [] },
    ranges: { rows: ranges, names: new Map(ranges.map((r) => [r.name, r.cidr])) },
    hosts: { rows: stored.hosts ?? [] },
    ip_assets: { rows: stored.assets ?? [], hosts: [], holds: new Map() },
    devices: { rows: [] },
    missing_devices: { rows: [], facts: new Map() },
  };
  const writes: Record<string, unknown> = {};
  for (const h of prepared.handlers) writes[h.entity] = planLoaded(h, recordArray(prepared.records.get(h.entity) ?? []), loaded[h.entity]!, ctx);
  for (const h of prepared.handlers) h.finish?.(ctx);
  return { plan: ctx.finish(), writes: writes as unknown as Writes };
}

function asset(id: number, ip: string, fields: Partial<StoredAsset> = {}): StoredAsset {
  return { id, ip_address: ip, ip_key: parseAddressFast(ip)!.key, type: 'OTHER', project_id: null, host_id: null, notes: null, archived: false, last_seen_at: null, tags: [], ...fields };
}

const actions = (p: ReturnType<typeof plan>['plan']) => p.changes.map((c) => `${c.entity} ${c.key} ${c.action}`);

test('addresses: a new one is a CREATE, a changed one an UPDATE with its field diffs, an unchanged one a SKIP', () => {
  const { plan: p, writes } = plan(
    {
      ...emptyBatch('in.json'),
      ip_assets: [
        { loc: 'r0', ip_address: '10.0.0.1', type: 'VM', project_name: 'core', notes: 'new' },
        { loc: 'r1', ip_address: '10.0.0.2', type: 'OS', tags: ['a'] },
        { loc: 'r2', ip_address: '10.0.0.3', type: 'vip' },
      ],
    },
    {
      projects: [{ id: 1, name: 'core', description: null, color: '#123456' }],
      tags: [{ id: 5, name: 'a', color: '#000000' }],
      assets: [asset(10, '10.0.0.1', { type: 'VM', project_id: 1, notes: 'old' }), asset(11, '10.0.0.2', { type: 'OS', tags: ['a'] })],
    },
  );
  assert.deepEqual(actions(p), ['ip_assets 10.0.0.1 UPDATE', 'ip_assets 10.0.0.2 SKIP', 'ip_assets 10.0.0.3 CREATE']);
  assert.deepEqual(p.changes[0]!.changes, [{ field: 'notes', before: 'old', after: 'new' }]);
  // A CREATE shows the fields it sets (empty ones are no change from nothing).
  assert.deepEqual(p.changes[2]!.changes, [{ field: 'type', before: undefined, after: 'VIP' }, { field: 'archived', before: undefined, after: false }]);
  assert.deepEqual(p.counts.ip_assets, { create: 1, update: 1, skip: 1 });
  assert.deepEqual(p.totals, { create: 1, update: 1, skip: 1 });
  assert.equal(writes.ip_assets.update.length, 1);
  assert.equal(writes.ip_assets.update[0]!.id, 10);
  assert.equal(writes.ip_assets.update[0]!.notes, 'new');
  assert.equal(writes.ip_assets.update[0]!.project_name, 'core');
  const [created] = writes.ip_assets.create;
  assert.equal(created!.ip_address, '10.0.0.3');
  // A record without timestamps is created at the run's time.
  assert.equal(created!.created_at, NOW);
  assert.deepEqual(p.errors, []);
});

test('merge policies decide per field: fill keeps a stored value, keep never changes it, merge unions tags', () => {
  const { plan: p, writes } = plan(
    {
      ...emptyBatch('nmap.xml'),
      policy: { asset: { notes: 'fill', type: 'keep', tags: 'merge' } },
      ip_assets: [{ loc: 'r0', ip_address: '10.0.0.1', type: 'VM', notes: 'scanned', tags: ['seen'] }],
    },
    { tags: [{ id: 1, name: 'manual', color: '#000000' }], assets: [asset(10, '10.0.0.1', { type: 'OS', notes: 'by hand', tags: ['manual'] })] },
  );
  assert.deepEqual(actions(p), ['ip_assets 10.0.0.1 UPDATE', 'tags seen CREATE']);
  assert.deepEqual(p.changes[0]!.changes, [{ field: 'tags', before: ['manual'], after: ['manual', 'seen'] }]);
  assert.equal(writes.ip_assets.update[0]!.type, 'OS');
  assert.equal(writes.ip_assets.update[0]!.notes, 'by hand');
  assert.equal(writes.ip_assets.update[0]!.tagsChanged, true);
  // The new tag's CREATE comes last, located at the input.
  assert.equal(p.changes[1]!.location, 'nmap.xml');
});

test('a sighting alone (last_seen_at) is an UPDATE that writes no history line', () => {
  const { plan: p, writes } = plan(
    { ...emptyBatch('scan'), ip_assets: [{ loc: 'r0', ip_address: '10.0.0.1', last_seen_at: '2025-05-01 00:00:00' }] },
    { assets: [asset(10, '10.0.0.1')] },
  );
  assert.deepEqual(p.changes[0]!.changes, [{ field: 'last_seen_at', before: null, after: '2025-05-01 00:00:00' }]);
  assert.equal(writes.ip_assets.update[0]!.history(), null);
});

test('references resolve to stored or listed names; an unknown one is an error with the original message and plans nothing', () => {
  const { plan: p, writes } = plan({
    ...emptyBatch('in.json'),
    projects: [{ loc: 'data.projects[0]', name: 'edge' }],
    ip_assets: [
      { loc: 'data.ip_assets[0]', ip_address: '10.0.0.1', project_name: 'edge' },
      { loc: 'data.ip_assets[1]', ip_address: '10.0.0.2', project_name: 'nowhere', host_name: 'ghost' },
    ],
  });
  assert.deepEqual(p.errors.map((e) => [e.location, e.message]), [
    ['data.ip_assets[1].project_name', 'Project does not exist.'],
    ['data.ip_assets[1].host_name', 'Host does not exist.'],
  ]);
  assert.deepEqual(actions(p), ['projects edge CREATE', 'ip_assets 10.0.0.1 CREATE']);
  assert.deepEqual(writes.ip_assets.create.map((a) => a.ip_address), ['10.0.0.1']);
});

test('catalogs: changed colour is an UPDATE, a taken range name an error, a host vendor created on demand', () => {
  const { plan: p, writes } = plan(
    {
      ...emptyBatch('in.json'),
      projects: [{ loc: 'p0', name: 'core', color: '#ABCDEF' }],
      ranges: [
        { loc: 'g0', cidr: '10.1.0.0/24', name: 'lab' },
        { loc: 'g1', cidr: '10.2.0.0/24', name: 'office' },
      ],
      hosts: [{ loc: 'h0', name: 'srv1', vendor_name: 'Dell', bmc_ip: '10.9.0.1' }],
    },
    {
      projects: [{ id: 1, name: 'core', description: null, color: '#123456' }],
      ranges: [{ id: 7, name: 'lab', cidr: '10.0.0.0/24', notes: null }],
    },
  );
  assert.deepEqual(actions(p), ['vendors Dell CREATE', 'projects core UPDATE', 'ranges 10.2.0.0/24 CREATE', 'hosts srv1 CREATE', 'ip_assets 10.9.0.1 CREATE']);
  assert.deepEqual(p.changes[1]!.changes, [{ field: 'color', before: '#123456', after: '#abcdef' }]);
  assert.deepEqual(p.errors.map((e) => [e.location, e.message]), [['g0.name', 'range name "lab" is already used by 10.0.0.0/24']]);
  assert.deepEqual(writes.vendors.create, ['Dell']);
  assert.deepEqual(writes.hosts.create, [{ name: 'srv1', notes: null, vendor_name: 'Dell' }]);
  // The host's BMC address becomes an address record of type BMC linked to it.
  assert.equal(writes.ip_assets.create[0]!.type, 'BMC');
  assert.equal(writes.ip_assets.create[0]!.host_name, 'srv1');
});

test('a host keeps its stored vendor name in the diff and updates only what changed', () => {
  const { plan: p, writes } = plan(
    { ...emptyBatch('in.json'), hosts: [{ loc: 'h0', name: 'srv1', vendor_name: 'HPE', notes: 'rack 4' }] },
    { vendors: [{ id: 3, name: 'Dell' }, { id: 4, name: 'HPE' }], hosts: [{ id: 9, name: 'srv1', notes: 'rack 4', vendor_id: 3 }] },
  );
  assert.deepEqual(actions(p), ['vendors HPE SKIP', 'hosts srv1 UPDATE']);
  assert.deepEqual(p.changes[1]!.changes, [{ field: 'vendor', before: 'Dell', after: 'HPE' }]);
  assert.deepEqual(writes.hosts.update, [{ id: 9, name: 'srv1', notes: 'rack 4', vendor_name: 'HPE', changes: [{ field: 'vendor', before: 'Dell', after: 'HPE' }] }]);
});
