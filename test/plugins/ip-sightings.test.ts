/**
 * First/last seen per source for IP assets (issue 15), through the plugin runner on a real
 * database (SQLite, or PostgreSQL with TEST_DATABASE_URL): a run records each address it reports
 * under its source and configuration, a second source adds its own row, a later run keeps first
 * seen and moves last seen (at most hourly: a re-sync within the hour writes nothing), a dry-run
 * writes nothing, a device's NIC addresses count, and an archived asset keeps its history.
 * Time is moved by ageing the stored rows, never by waiting.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { emptyBatch, type BatchAsset, type BatchDevice } from '../../src/plugins/batch.js';
import { definePlugin, type Plugin } from '../../src/plugins/define-plugin.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { DIALECT } from '../helpers/db.js';
import { deviceTestDb } from '../helpers/devices.js';
import { EDITOR } from '../helpers/services.js';

let assets: BatchAsset[] = [];
let devices: BatchDevice[] = [];
const sourcePlugin = (name: string, kind: 'connector' | 'importer' = 'connector'): Plugin =>
  definePlugin({
    name,
    title: name,
    kind,
    options: z.object({}),
    async collect() {
      return { ...emptyBatch(name), ip_assets: structuredClone(assets), devices: structuredClone(devices) };
    },
  }) as Plugin;
const prometheus = sourcePlugin('prometheus');
const vcenter = sourcePlugin('vcenter');
const csv = sourcePlugin('csv', 'importer');

const ip = (address: string, more: Partial<BatchAsset> = {}): BatchAsset => ({ loc: address, ip_address: address, type: 'OS', ...more });
const OLD = '2020-01-02 03:04:05';

describe(`IP assets seen per source (${DIALECT})`, () => {
  const ctx = deviceTestDb();
  const run = async (plugin: Plugin, list: BatchAsset[], o: { config?: string; configId?: number | null; dryRun?: boolean; chunkSize?: number; manual?: boolean } = {}) => {
    assets = list;
    const out = await runPlugin(ctx.t.db, EDITOR, {
      plugin,
      input: { files: [] },
      options: {},
      dryRun: o.dryRun ?? false,
      chunkSize: o.chunkSize,
      ...(o.manual ? {} : { seenIn: { scope: o.config ?? 'prom-prod', configId: o.configId ?? null } }),
    });
    assert.equal(out.plan?.errors.length, 0, JSON.stringify(out.plan?.errors));
    return out;
  };
  const seenBy = async (address: string) => (await ctx.s.assets.seenBy(address)).seen_by;
  const rows = async () => (await ctx.t.db('ip_asset_sightings').select('*').orderBy(['ip_asset_id', 'source', 'scope'])) as Record<string, unknown>[];
  const age = (address: string) =>
    ctx.t.db('ip_asset_sightings').whereIn('ip_asset_id', ctx.t.db('ip_assets').select('id').where({ ip_address: address })).update({ first_seen_at: OLD, last_seen_at: OLD });

  test('a run marks every address it reports (created or stored) with its source, configuration and run', async () => {
    await ctx.s.assets.create({ ip_address: '10.0.0.1', type: 'OS' });
    const out = await run(prometheus, [ip('10.0.0.1'), ip('10.0.0.2')], { config: 'prom-prod' });
    for (const address of ['10.0.0.1', '10.0.0.2']) {
      const seen = await seenBy(address);
      assert.equal(seen.length, 1, address);
      const [s] = seen;
      assert.deepEqual({ source: s!.source, config: s!.config, config_id: s!.config_id, first_run_id: s!.first_run_id, run_id: s!.run_id }, { source: 'prometheus', config: 'prom-prod', config_id: null, first_run_id: out.runId, run_id: out.runId });
      assert.match(s!.first_seen_at, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      assert.equal(s!.last_seen_at, s!.first_seen_at);
    }
  });

  test('a second source, or a second configuration of one, adds its own row; the first stays as it was', async () => {
    const first = await run(prometheus, [ip('10.0.1.1')], { config: 'prom-prod' });
    const before = await seenBy('10.0.1.1');
    const second = await run(vcenter, [ip('10.0.1.1')], { config: 'vc-lab' });
    const third = await run(prometheus, [ip('10.0.1.1')], { config: 'prom-lab' });
    const seen = await seenBy('10.0.1.1');
    assert.deepEqual(seen.map((s) => [s.source, s.config, s.run_id]).sort(), [
      ['prometheus', 'prom-lab', third.runId],
      ['prometheus', 'prom-prod', first.runId],
      ['vcenter', 'vc-lab', second.runId],
    ]);
    assert.deepEqual(seen.find((s) => s.config === 'prom-prod'), before[0]);
  });

  test('a later run keeps first seen and moves last seen and the run; within the hour a re-sync writes nothing', async () => {
    const first = await run(prometheus, [ip('10.0.2.1'), ip('10.0.2.2')]);
    const stamped = await rows();
    const within = await run(prometheus, [ip('10.0.2.1'), ip('10.0.2.2')]);
    assert.deepEqual(await rows(), stamped, 'an unchanged re-sync within the interval writes no sighting');
    assert.deepEqual(within.plan!.counts.ip_assets, { create: 0, update: 0, skip: 2 });

    await age('10.0.2.1');
    const later = await run(prometheus, [ip('10.0.2.1'), ip('10.0.2.2')]);
    const [moved] = await seenBy('10.0.2.1');
    assert.equal(moved!.first_seen_at, OLD, 'first seen stays');
    assert.equal(moved!.first_run_id, first.runId);
    assert.ok(moved!.last_seen_at > OLD, 'last seen moves');
    assert.equal(moved!.run_id, later.runId);
    const [kept] = await seenBy('10.0.2.2');
    assert.equal(kept!.run_id, first.runId, 'the one stamped within the hour is left alone');
  });

  test("a record's own older time (a scan file imported late) moves first seen back, never last seen", async () => {
    const out = await run(prometheus, [ip('10.0.3.1')]);
    const [now] = await seenBy('10.0.3.1');
    const older = await run(prometheus, [ip('10.0.3.1', { last_seen_at: OLD })]);
    const [s] = await seenBy('10.0.3.1');
    assert.equal(s!.first_seen_at, OLD);
    assert.equal(s!.first_run_id, older.runId);
    assert.equal(s!.last_seen_at, now!.last_seen_at);
    assert.equal(s!.run_id, out.runId);
  });

  test('a dry-run writes nothing', async () => {
    await run(prometheus, [ip('10.0.4.1')]);
    await age('10.0.4.1');
    const before = await rows();
    const out = await run(vcenter, [ip('10.0.4.1'), ip('10.0.4.2')], { dryRun: true, config: 'vc-prod' });
    assert.equal(out.applied, false);
    const again = await run(prometheus, [ip('10.0.4.1')], { dryRun: true });
    assert.equal(again.applied, false);
    assert.deepEqual(await rows(), before);
  });

  test('runs started by hand record a manual import (importers) or a manual run (connectors); chunks are all recorded', async () => {
    const list = ['10.0.5.1', '10.0.5.2', '10.0.5.3', '10.0.5.4', '10.0.5.5'].map((a) => ip(a));
    await run(csv, list, { manual: true, chunkSize: 2 });
    await run(vcenter, list.slice(0, 1), { manual: true });
    assert.deepEqual((await seenBy('10.0.5.1')).map((s) => [s.source, s.config]).sort(), [
      ['csv', 'manual import'],
      ['vcenter', 'manual run'],
    ]);
    assert.equal((await rows()).filter((r) => r.source === 'csv').length, 5);
  });

  test("a device's NIC addresses are sightings of its source", async () => {
    devices = [{ loc: 'vm-1', source: 'vcenter', source_id: 'vm-1', name: 'vm-1', kind: 'vm', nics: [{ mac: null, ips: ['10.0.6.1'] }] }];
    try {
      await run(vcenter, [], { config: 'vc-prod', configId: null });
    } finally {
      devices = [];
    }
    assert.deepEqual((await seenBy('10.0.6.1')).map((s) => [s.source, s.config]), [['vcenter', 'vc-prod']]);
  });

  test('an archived asset keeps its history; a record that archives its address is no sighting; deleting the asset deletes it', async () => {
    await run(prometheus, [ip('10.0.7.1')]);
    await ctx.s.assets.archive('10.0.7.1');
    assert.equal((await seenBy('10.0.7.1')).length, 1, 'archiving keeps the rows');
    // A source still reporting the archived address: a sighting (what the report's "unknown" is about).
    await run(vcenter, [ip('10.0.7.1')], { config: 'vc-prod' });
    assert.equal((await seenBy('10.0.7.1')).length, 2);
    await run(csv, [ip('10.0.7.2', { archived: true })], { manual: true });
    assert.deepEqual(await seenBy('10.0.7.2'), []);
    await ctx.s.assets.delete('10.0.7.1');
    assert.equal((await rows()).length, 0);
  });
});
