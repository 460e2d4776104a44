/**
 * Matching by more than one key (devices will match by source id, then serial, then MAC, then
 * name): a test-only entity with two ordered keys, serial then MAC, run through the core.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { openDatabase } from '../../../src/db/connection.js';
import { emptyBatch } from '../../../src/plugins/batch.js';
import { defineEntity } from '../../../src/plugins/reconcile/core/contract.js';
import { planLoaded, prepareBatch, reconcile } from '../../../src/plugins/reconcile/core/pipeline.js';
import { PlanContext } from '../../../src/plugins/reconcile/core/plan.js';
import { recordArray } from '../../../src/plugins/reconcile/core/records.js';
import { SYSTEM_ACTOR } from '../../../src/services/context.js';

interface Gadget {
  loc: string;
  serial?: string;
  macs: string[];
  name: string;
}

interface StoredGadget {
  id: number;
  serial: string | null;
  macs: string[];
  name: string;
}

const STORED: StoredGadget[] = [
  { id: 1, serial: 'S-1', macs: ['00:00:00:00:00:01'], name: 'one' },
  { id: 2, serial: 'S-2', macs: ['00:00:00:00:00:02', '00:00:00:00:00:22'], name: 'two' },
  { id: 3, serial: 'S-3', macs: ['00:00:00:00:00:03'], name: 'three' },
];

/** The test's input: the entity's prepare hands it over as it is. */
let incoming: Gadget[] = [];
const loadedKeys: Record<string, readonly string[]>[] = [];

function gadgets(chunked: boolean) {
  return defineEntity({
    entity: 'gadgets',
    chunked,
    matchKeys: [
      { name: 'serial', incoming: (r: Gadget) => r.serial, stored: (s: StoredGadget) => s.serial },
      { name: 'mac', incoming: (r: Gadget) => r.macs, stored: (s: StoredGadget) => s.macs },
    ],
    prepare: () => incoming.map((g) => ({ ...g })),
    keysToLoad: (records) => ({ serial: records.flatMap((r) => (r.serial ? [r.serial] : [])), mac: records.flatMap((r) => r.macs) }),
    async load(_db, keys) {
      loadedKeys.push(keys);
      const serials = new Set(keys.serial);
      const macs = new Set(keys.mac);
      return { rows: STORED.filter((s) => (s.serial && serials.has(s.serial)) || s.macs.some((m) => macs.has(m))) };
    },
    plan(items, _loaded, ctx) {
      const updates: { id: number; name: string; by: string | null }[] = [];
      for (const { record, stored, by } of items) {
        if (!stored) ctx.record('gadgets', record.name, record.loc, 'CREATE', [{ field: 'name', before: null, after: record.name }]);
        else if (stored.name === record.name) ctx.record('gadgets', record.name, record.loc, 'SKIP', []);
        else {
          updates.push({ id: stored.id, name: record.name, by });
          ctx.record('gadgets', record.name, record.loc, 'UPDATE', [{ field: 'name', before: stored.name, after: record.name }]);
        }
      }
      return updates;
    },
    write: async () => assert.fail('a dry-run writes nothing'),
  });
}

function planPure(records: Gadget[]) {
  incoming = records;
  const handler = gadgets(false);
  const prepared = prepareBatch(emptyBatch('test'), [handler]);
  const ctx = new PlanContext(prepared, ['gadgets']);
  const claims = new Map<number, string>();
  const updates = planLoaded(handler, recordArray(prepared.records.get('gadgets')!), { rows: STORED }, ctx, claims);
  return { plan: ctx.finish(), updates };
}

test('the first key misses, the second hits: an UPDATE of the row the second key found', () => {
  const { plan, updates } = planPure([{ loc: 'g0', serial: 'S-NEW', macs: ['00:00:00:00:00:01'], name: 'renamed' }]);
  assert.deepEqual(plan.changes.map((c) => [c.key, c.action]), [['renamed', 'UPDATE']]);
  assert.deepEqual(updates, [{ id: 1, name: 'renamed', by: 'mac' }]);
});

test('keys are tried in order: the first that finds a row wins, any value of a multi-valued key matches', () => {
  const { updates } = planPure([
    // The serial finds row 3 although the MAC would find row 1.
    { loc: 'g0', serial: 'S-3', macs: ['00:00:00:00:00:01'], name: 'x' },
    // No serial; the second MAC finds row 2.
    { loc: 'g1', macs: ['ff:ff:ff:ff:ff:ff', '00:00:00:00:00:22'], name: 'y' },
  ]);
  assert.deepEqual(updates, [{ id: 3, name: 'x', by: 'serial' }, { id: 2, name: 'y', by: 'mac' }]);
});

test('both keys miss: a CREATE', () => {
  const { plan, updates } = planPure([{ loc: 'g0', serial: 'S-9', macs: ['00:00:00:00:00:09'], name: 'nine' }]);
  assert.deepEqual(plan.changes.map((c) => [c.key, c.action]), [['nine', 'CREATE']]);
  assert.deepEqual(plan.counts.gadgets, { create: 1, update: 0, skip: 0 });
  assert.deepEqual(updates, []);
});

test('two records resolving to the same stored row: the second is an error naming the first and the key, and is not planned', () => {
  const { plan, updates } = planPure([
    { loc: 'g0', serial: 'S-2', macs: [], name: 'by serial' },
    { loc: 'g1', serial: 'S-NEW', macs: ['00:00:00:00:00:02'], name: 'by mac' },
  ]);
  assert.deepEqual(plan.errors, [{ level: 'error', location: 'g1', message: 'matches the same stored gadgets record as g0 (by mac); give each record its own, or leave one out' }]);
  assert.deepEqual(updates, [{ id: 2, name: 'by serial', by: 'serial' }]);
  assert.deepEqual(plan.totals, { create: 0, update: 1, skip: 0 });
});

const db = openDatabase({ client: 'sqlite', filename: ':memory:' });
after(() => db.destroy());

test('through the pipeline, chunk by chunk: keys are loaded per chunk and a row claimed in one chunk is seen in the next', async () => {
  incoming = [
    { loc: 'g0', serial: 'S-1', macs: [], name: 'one' },
    { loc: 'g1', serial: 'S-NEW', macs: ['00:00:00:00:00:03'], name: 'drei' },
    { loc: 'g2', macs: ['00:00:00:00:00:01'], name: 'again' },
    { loc: 'g3', macs: ['00:00:00:00:00:77'], name: 'new' },
  ];
  loadedKeys.length = 0;
  const prepared = prepareBatch(emptyBatch('test'), [gadgets(true)]);
  const { plan, applied } = await reconcile(db, SYSTEM_ACTOR, prepared, { dryRun: true, plugin: 'test', chunkSize: 1 });
  assert.equal(applied, false);
  assert.deepEqual(plan.changes.map((c) => [c.location, c.action]), [['g0', 'SKIP'], ['g1', 'UPDATE'], ['g3', 'CREATE']]);
  assert.deepEqual(plan.errors.map((e) => [e.location, e.message]), [['g2', 'matches the same stored gadgets record as g0 (by mac); give each record its own, or leave one out']]);
  assert.deepEqual(loadedKeys, [{ serial: ['S-1'], mac: [] }, { serial: ['S-NEW'], mac: ['00:00:00:00:00:03'] }, { serial: [], mac: ['00:00:00:00:00:01'] }, { serial: [], mac: ['00:00:00:00:00:77'] }]);
});
