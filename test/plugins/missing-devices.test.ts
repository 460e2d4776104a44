/**
 * Missing devices (issue 15, last seen and stale), through the plugin runner on a real database
 * (SQLite, or PostgreSQL with TEST_DATABASE_URL): a complete run marks what it no longer reports,
 * a partial one marks nothing, a device reported again is cleared, the dry-run lists exactly the
 * devices the apply marks, other sources and other configurations are left alone, and the archive
 * job archives after N days by the runner's clock (no sleeps) but never a manual device.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { builtinJobs } from '../../src/jobs/builtin.js';
import { JobRunner } from '../../src/jobs/runner.js';
import { emptyBatch, type BatchDevice, type DevicesComplete } from '../../src/plugins/batch.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { DIALECT } from '../helpers/db.js';
import { deviceTestDb } from '../helpers/devices.js';
import { EDITOR, TEST_SERVICES_CONFIG } from '../helpers/services.js';

let devices: BatchDevice[] = [];
let complete: DevicesComplete | undefined;
const source = definePlugin({
  name: 'device-source',
  title: 'Devices',
  kind: 'connector',
  options: z.object({}),
  async collect() {
    return { ...emptyBatch('device-source'), devices: structuredClone(devices), ...(complete ? { devicesComplete: { ...complete } } : {}) };
  },
});

const vm = (id: string, src = 'vcenter'): BatchDevice => ({ loc: id, source: src, source_id: id, name: id, kind: 'vm', nics: [{ mac: null, ips: [] }] });
const DAY = 86_400_000;

describe(`missing devices (${DIALECT})`, () => {
  const ctx = deviceTestDb();
  const run = async (list: BatchDevice[], o: { complete?: DevicesComplete; dryRun?: boolean; config?: string } = {}) => {
    devices = list;
    complete = o.complete;
    const out = await runPlugin(ctx.t.db, EDITOR, { plugin: source, input: { files: [] }, options: {}, dryRun: o.dryRun ?? false, source: o.config ?? 'vc-prod' });
    assert.equal(out.plan?.errors.length, 0, JSON.stringify(out.plan?.errors));
    return out;
  };
  const host = async (name: string) => (await ctx.t.db('hosts').where({ name }).first()) as Record<string, unknown>;
  const fact = async (name: string, src = 'vcenter') => (await ctx.t.db('device_facts as f').join('hosts as h', 'h.id', 'f.device_id').where({ 'h.name': name, 'f.source': src }).select('f.*').first()) as Record<string, unknown>;
  const missingIn = (out: Awaited<ReturnType<typeof run>>) => out.plan!.changes.filter((c) => c.action === 'MISSING').map((c) => c.key).sort();

  test('a complete run marks the device it no longer reports, with the run, history and archive date; the others stay', async () => {
    await run([vm('a'), vm('b'), vm('c')], { complete: { archiveAfterDays: 7 } });
    const out = await run([vm('a'), vm('c')], { complete: { archiveAfterDays: 7 } });
    assert.deepEqual(missingIn(out), ['b']);
    assert.deepEqual(out.plan!.counts.missing_devices, { create: 0, update: 1, skip: 0 });
    const f = await fact('b');
    assert.ok(f.missing_since, 'the facts row is marked');
    assert.equal(Number(f.missing_run_id), out.runId);
    const h = await host('b');
    assert.equal(h.missing_since, f.missing_since);
    assert.equal(Date.parse(`${String(h.archive_at).replace(' ', 'T')}Z`) - Date.parse(`${String(h.missing_since).replace(' ', 'T')}Z`), 7 * DAY);
    assert.equal(h.archived_at, null, 'marked, not archived, never deleted');
    assert.equal((await host('a')).missing_since, null);
    const listed = await ctx.s.devices.list({ missing: 'only' });
    assert.deepEqual(listed.items.map((d) => [d.name, d.missing_since, d.archive_at]), [['b', h.missing_since, h.archive_at]], 'the list filter and the API fields');
    assert.deepEqual((await ctx.s.devices.list({ missing: 'exclude' })).items.map((d) => d.name), ['a', 'c']);
    await assert.rejects(ctx.s.devices.list({ missing: 'maybe' as never }), (e: { status?: number; message: string }) => e.status === 422 && /missing/.test(JSON.stringify(e)));
    const history = await ctx.t.db('device_changes').where({ device_id: h.id, field: 'seen.vcenter' });
    assert.equal(history.length, 1);
    assert.equal(history[0].new_value, 'missing');
    assert.equal(Number(history[0].run_id), out.runId);
    // A second complete run still without it: already missing, nothing new written.
    const again = await run([vm('a'), vm('c')], { complete: { archiveAfterDays: 7 } });
    assert.deepEqual(again.plan!.counts.missing_devices, { create: 0, update: 0, skip: 1 });
    assert.equal((await ctx.t.db('device_changes').where({ device_id: h.id, field: 'seen.vcenter' })).length, 1);
  });

  test('reported again, the device is no longer missing (facts row and device), with a history row', async () => {
    await run([vm('a'), vm('b')], { complete: { archiveAfterDays: 7 } });
    await run([vm('a')], { complete: { archiveAfterDays: 7 } });
    assert.ok((await host('b')).missing_since);
    const out = await run([vm('a'), vm('b')], { complete: { archiveAfterDays: 7 } });
    const change = out.plan!.changes.find((c) => c.key === 'b')!;
    assert.equal(change.action, 'UPDATE');
    assert.ok(change.changes.some((c) => c.field === 'seen.vcenter' && c.after === 'reported'), JSON.stringify(change.changes));
    assert.equal((await fact('b')).missing_since, null);
    const h = await host('b');
    assert.equal(h.missing_since, null);
    assert.equal(h.archive_at, null);
    const rows = await ctx.t.db('device_changes').where({ device_id: h.id, field: 'seen.vcenter' }).orderBy('id');
    assert.deepEqual(rows.map((r: { new_value: string }) => r.new_value), ['missing', 'reported']);
  });

  test('a partial run (a filtered read, a push without complete) marks nothing', async () => {
    await run([vm('a'), vm('b')], { complete: { archiveAfterDays: 1 } });
    const out = await run([vm('a')]);
    assert.deepEqual(missingIn(out), []);
    assert.equal((await fact('b')).missing_since, null);
    assert.equal((await host('b')).missing_since, null);
  });

  test('a complete run that reports no device marks nothing and warns', async () => {
    await run([vm('a')], { complete: { archiveAfterDays: 1 } });
    const out = await run([], { complete: { archiveAfterDays: 1 } });
    assert.ok(out.plan!.warnings.some((w) => /none is marked missing/.test(w.message)));
    assert.equal((await fact('a')).missing_since, null);
  });

  test('the dry-run lists exactly the devices the apply marks', async () => {
    await run([vm('a'), vm('b'), vm('c'), vm('d')], { complete: { archiveAfterDays: null } });
    const list = [vm('a'), vm('c')];
    const dry = await run(list, { complete: { archiveAfterDays: null }, dryRun: true });
    assert.deepEqual(missingIn(dry), ['b', 'd']);
    assert.equal(await ctx.t.db('device_facts').whereNotNull('missing_since').count({ n: '*' }).then((r) => Number((r[0] as { n: number }).n)), 0, 'the dry-run wrote nothing');
    const applied = await run(list, { complete: { archiveAfterDays: null } });
    assert.deepEqual(missingIn(applied), missingIn(dry));
    assert.deepEqual(applied.plan!.counts.missing_devices, dry.plan!.counts.missing_devices);
    const marked = await ctx.t.db('device_facts as f').join('hosts as h', 'h.id', 'f.device_id').whereNotNull('f.missing_since').orderBy('h.name').pluck('h.name');
    assert.deepEqual(marked, missingIn(dry));
    assert.equal((await host('b')).archive_at, null, 'no policy: never archived');
  });

  test('another source still reporting it keeps the device present; another configuration of the plugin is not touched', async () => {
    await run([vm('shared'), vm('only-vc')], { complete: { archiveAfterDays: 3 } });
    await run([{ ...vm('n-shared', 'netdisco'), name: 'shared' }], { complete: { archiveAfterDays: 3 }, config: 'netdisco-lab' });
    await run([vm('other-vc')], { complete: { archiveAfterDays: 3 }, config: 'vc-lab' });
    await run([vm('only-vc')], { complete: { archiveAfterDays: 3 } });
    assert.ok((await fact('shared', 'vcenter')).missing_since, 'vcenter marks its own row');
    assert.equal((await fact('shared', 'netdisco')).missing_since, null);
    assert.equal((await host('shared')).missing_since, null, 'netdisco still reports it');
    assert.equal((await fact('other-vc')).missing_since, null, "vc-prod's run does not mark vc-lab's devices");
  });

  test('the archive job archives a device missing everywhere after N days by the runner clock, never a manual device', async () => {
    await run([vm('a'), vm('gone')], { complete: { archiveAfterDays: 2 } });
    await run([vm('a')], { complete: { archiveAfterDays: 2 } });
    const manual = await ctx.s.devices.create({ name: 'manual-box', kind: 'server' });
    const start = Date.now();
    const tick = async (at: number) => (await new JobRunner({ db: ctx.t.db, registry: builtinJobs(), config: TEST_SERVICES_CONFIG, instanceId: 'app-1', now: () => new Date(at), log: () => undefined }).tick()).find((r) => r.name === 'archive-missing-devices');
    const early = await tick(start + DAY);
    assert.equal(early?.status, 'succeeded', JSON.stringify(early));
    assert.equal((await host('gone')).archived_at, null, 'one day in: not yet');
    const due = await tick(start + 2 * DAY + 3_600_000);
    assert.match(String(due?.result), /archived 1 device/);
    const h = await host('gone');
    assert.ok(h.archived_at);
    assert.match(String(h.archive_reason), /missing from every source since .*archive-missing-devices after 2 day/);
    const history = await ctx.t.db('device_changes').where({ device_id: h.id, field: 'archived_at' });
    assert.equal(history.length, 1, 'the archive is in the device history');
    assert.equal((await host('a')).archived_at, null);
    const m = await ctx.t.db('hosts').where({ id: manual.id }).first();
    assert.equal(m.archived_at, null, 'a device no source reported is never archived by the policy');
    assert.equal(m.missing_since, null);
  });
});
