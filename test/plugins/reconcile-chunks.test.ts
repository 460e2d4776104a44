/** Large runs: assets are planned and written in chunks inside one transaction, and the preview is bounded while the counts stay exact. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import type { Knex } from 'knex';
import { emptyBatch, type Batch, type BatchAsset } from '../../src/plugins/batch.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { toImportResult } from '../../src/plugins/import-result.js';
import { runPlugin, type RunRequest } from '../../src/plugins/runner.js';
import { ImportRunsService } from '../../src/services/import-runs.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { EDITOR, servicesFor } from '../helpers/services.js';
import { inventoryCounts } from './helpers/app.js';

let nextBatch: () => Batch = () => emptyBatch('test');
const source = definePlugin({
  name: 'chunk-source',
  title: 'Chunks',
  kind: 'connector',
  options: z.object({}),
  async collect() {
    return nextBatch();
  },
});

/** 10.2.0.1 … 10.2.0.n, VMs tagged `scan` (a tag no one lists). */
function assets(n: number, extra: Partial<BatchAsset> = {}): BatchAsset[] {
  return Array.from({ length: n }, (_, i) => ({ loc: `rec ${i}`, ip_address: `10.2.0.${i + 1}`, type: 'VM', tags: ['scan'], ...extra }));
}

describe('chunked reconcile with a bounded preview', () => {
  let t: TestDb;
  let db: Knex;
  const run = (batch: Batch, dryRun: boolean, more: Partial<RunRequest> = {}) => {
    nextBatch = () => structuredClone(batch);
    return runPlugin(db, EDITOR, { plugin: source, input: { files: [] }, options: {}, dryRun, chunkSize: 7, previewLimit: 5, ...more });
  };

  before(async () => {
    t = await createTestDb();
    db = t.db;
    const s = servicesFor(db);
    // Ten stored untagged addresses: the first five will also change type.
    for (let i = 1; i <= 10; i++) await s.assets.create({ ip_address: `10.2.0.${i}`, type: i <= 5 ? 'OS' : 'VM' });
  });
  after(() => t.cleanup());

  test('a dry-run counts every record exactly and says its preview is truncated', async () => {
    const before = await inventoryCounts(db);
    const out = await run({ ...emptyBatch('chunks'), ip_assets: assets(30) }, true);
    assert.equal(out.status, 'succeeded', JSON.stringify(out.plan?.errors));
    const plan = out.plan!;
    // 20 new; 10.2.0.1-5 retyped and tagged, 10.2.0.6-10 tagged: 10 UPDATEs; the tag is created once.
    assert.deepEqual(plan.counts.ip_assets, { create: 20, update: 10, skip: 0 });
    assert.deepEqual(plan.counts.tags, { create: 1, update: 0, skip: 0 });
    const changed = plan.changes.filter((c) => c.action !== 'SKIP');
    assert.equal(changed.length, 5);
    assert.deepEqual(plan.changesOmitted, { changed: 26, skipped: 0 });
    // What the preview lists still carries its diffs, in record order.
    assert.deepEqual(changed.map((c) => c.key), ['10.2.0.1', '10.2.0.2', '10.2.0.3', '10.2.0.4', '10.2.0.5']);
    assert.deepEqual(changed[1]!.changes.map((f) => [f.field, f.before, f.after]), [['type', 'OS', 'VM'], ['tags', [], ['scan']]]);
    const result = toImportResult(out, true, { limit: 3, includeSkips: false });
    assert.equal(result.changes.length, 3);
    assert.equal(result.changes_omitted, 31 - 3);
    assert.equal(result.changes_truncated, true);
    assert.equal(result.summary.ip_assets.would_create, 20);
    const log = (await new ImportRunsService({ db, actor: EDITOR }).get(out.runId)).log.map((l) => l.message);
    assert.ok(log.some((m) => m.startsWith('Preview truncated: it lists 5 of 31 record(s)')), log.join('\n'));
    assert.deepEqual(await inventoryCounts(db), before);
  });

  test('an apply writes every chunk in one transaction with one audit entry; a re-run is all SKIP', async () => {
    const audits = (await db('audit_log').where({ action: 'APPLY' })).length;
    const out = await run({ ...emptyBatch('chunks'), ip_assets: assets(30) }, false);
    assert.equal(out.status, 'succeeded', JSON.stringify(out.plan?.errors));
    assert.equal(out.applied, true);
    assert.deepEqual(out.plan!.counts.ip_assets, { create: 20, update: 10, skip: 0 });
    assert.equal((await db('audit_log').where({ action: 'APPLY' })).length, audits + 1);
    const s = servicesFor(db);
    for (const ip of ['10.2.0.1', '10.2.0.7', '10.2.0.15', '10.2.0.30']) {
      const a = await s.assets.getByAddress(ip);
      assert.equal(a.type, 'VM', ip);
      assert.deepEqual(a.tags, ['scan'], ip);
    }
    assert.equal((await db('tags').where({ name: 'scan' })).length, 1);
    const again = await run({ ...emptyBatch('chunks'), ip_assets: assets(30) }, false);
    assert.deepEqual(again.plan!.counts.ip_assets, { create: 0, update: 0, skip: 30 });
    assert.deepEqual(again.plan!.changesOmitted, { changed: 0, skipped: 25 });
    assert.equal(toImportResult(again, false, { limit: 100, includeSkips: true }).changes_omitted, 25);
  });

  test('an error in the last chunk writes nothing, not even the earlier chunks', async () => {
    const before = await inventoryCounts(db);
    const batch = { ...emptyBatch('chunks'), ip_assets: [...assets(40).slice(30), { loc: 'last', ip_address: '10.2.1.1', host_name: 'nowhere' }] };
    const out = await run(batch, false);
    assert.equal(out.status, 'rejected');
    assert.equal(out.applied, false);
    assert.deepEqual(out.plan!.errors.map((e) => `${e.location}: ${e.message}`), ['last.host_name: Host does not exist.']);
    assert.deepEqual(out.plan!.counts.ip_assets, { create: 10, update: 0, skip: 0 });
    assert.deepEqual(await inventoryCounts(db), before);
  });
});
