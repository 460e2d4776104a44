/** The reconcile engine: plans with diffs, merge policies, one transaction, one audit entry, runs without secrets. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import type { Knex } from 'knex';
import { emptyBatch, type Batch } from '../../src/plugins/batch.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { describeOptions, secret } from '../../src/plugins/options.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { ImportRunsService } from '../../src/services/import-runs.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { EDITOR, servicesFor } from '../helpers/services.js';
import { inventoryCounts } from './helpers/app.js';

/** A connector-shaped test plugin: its batch comes from the options, and it has a secret. */
let nextBatch: () => Batch = () => emptyBatch('test');
const fake = definePlugin({
  name: 'fake-source',
  title: 'Fake',
  kind: 'connector',
  options: z.object({ url: z.string().default('http://127.0.0.1:1'), token: secret(z.string().min(1)), verbose: z.boolean().default(false) }),
  async collect(_input, options, ctx) {
    ctx.log('info', `collecting from ${options.url}`);
    ctx.progress({ phase: 'fetch', done: 1, total: 1 });
    return nextBatch();
  },
});

function batchOf(assets: Batch['ip_assets'], extra: Partial<Batch> = {}): Batch {
  return { ...emptyBatch('fake'), ...extra, ip_assets: assets };
}

describe('reconcile engine', () => {
  let t: TestDb;
  let db: Knex;
  const run = (batch: Batch, dryRun: boolean) => {
    nextBatch = () => structuredClone(batch);
    return runPlugin(db, EDITOR, { plugin: fake, input: { files: [] }, options: { token: 's3cret-token' }, dryRun });
  };

  before(async () => {
    t = await createTestDb();
    db = t.db;
    const s = servicesFor(db);
    const core = await s.projects.create({ name: 'core' });
    await s.projects.create({ name: 'edge' });
    await s.assets.create({ ip_address: '10.1.0.1', type: 'VM', project_id: core.id, notes: 'keep me', tags: ['manual'] });
    await s.assets.create({ ip_address: '10.1.0.2', type: 'OS', notes: null });
  });
  after(() => t.cleanup());

  test('a dry-run plans CREATE/UPDATE/SKIP with field diffs and writes nothing', async () => {
    const before = await inventoryCounts(db);
    const out = await run(
      batchOf([
        { loc: 'data.ip_assets[0]', ip_address: '10.1.0.1', type: 'VM', project_name: 'core', notes: 'keep me', tags: ['manual'] },
        { loc: 'data.ip_assets[1]', ip_address: '10.1.0.2', type: 'VIP', project_name: 'edge' },
        { loc: 'data.ip_assets[2]', ip_address: '10.1.0.3', type: 'IPMI_iLO', tags: ['Lab'] },
      ]),
      true,
    );
    assert.equal(out.status, 'succeeded');
    assert.equal(out.applied, false);
    const byIp = new Map(out.plan!.changes.filter((c) => c.entity === 'ip_assets').map((c) => [c.key, c]));
    assert.equal(byIp.get('10.1.0.1')!.action, 'SKIP');
    assert.equal(byIp.get('10.1.0.2')!.action, 'UPDATE');
    assert.deepEqual(byIp.get('10.1.0.2')!.changes.map((c) => [c.field, c.before, c.after]), [
      ['type', 'OS', 'VIP'],
      ['project', null, 'edge'],
    ]);
    assert.equal(byIp.get('10.1.0.3')!.action, 'CREATE');
    assert.deepEqual(out.plan!.counts.ip_assets, { create: 1, update: 1, skip: 1 });
    assert.deepEqual(out.plan!.counts.tags, { create: 1, update: 0, skip: 0 });
    assert.deepEqual(await inventoryCounts(db), before);
  });

  test('merge policies: fill-if-empty notes, keep type, merge tags', async () => {
    const out = await run(
      batchOf([
        { loc: 'a', ip_address: '10.1.0.1', type: 'OS', notes: 'from source', tags: ['discovered'], policy: { notes: 'fill', type: 'keep', tags: 'merge' } },
        { loc: 'b', ip_address: '10.1.0.2', notes: 'filled', policy: { notes: 'fill' } },
      ]),
      false,
    );
    assert.equal(out.status, 'succeeded', JSON.stringify(out.plan?.errors));
    const s = servicesFor(db);
    const a = await s.assets.getByAddress('10.1.0.1');
    assert.equal(a.type, 'VM');
    assert.equal(a.notes, 'keep me');
    assert.deepEqual(a.tags, ['discovered', 'manual']);
    assert.equal((await s.assets.getByAddress('10.1.0.2')).notes, 'filled');
  });

  test('apply writes one IMPORT_RUN audit entry naming who and the counts', async () => {
    const auditBefore = (await db('audit_log').where({ action: 'APPLY' })).length;
    const out = await run(batchOf([{ loc: 'x', ip_address: '2001:DB8::10', type: 'VM', notes: 'v6' }]), false);
    assert.equal(out.applied, true);
    const entries = await db('audit_log').where({ action: 'APPLY' }).orderBy('id');
    assert.equal(entries.length, auditBefore + 1);
    const last = entries[entries.length - 1] as { username: string; changes: string; target_id: number };
    assert.equal(last.username, EDITOR.username);
    assert.equal(Number(last.target_id), out.runId);
    assert.match(last.changes, /ip_assets \+1 ~0 =0/);
    assert.equal((await servicesFor(db).assets.getByAddress('2001:db8::10')).notes, 'v6');
  });

  test('errors carry locations and stop the whole apply', async () => {
    const before = await inventoryCounts(db);
    const out = await run(
      batchOf([
        { loc: 'data.ip_assets[0]', ip_address: '10.1.0.50', type: 'VM' },
        { loc: 'data.ip_assets[1]', ip_address: '10.1.0.300', type: 'VM' },
        { loc: 'data.ip_assets[2]', ip_address: '10.1.0.51', type: 'ROUTER' },
        { loc: 'data.ip_assets[3]', ip_address: '10.1.0.52', host_name: 'nope' },
        { loc: 'data.ip_assets[4]', ip_address: '10.1.0.53', project_name: 'ghost' },
        { loc: 'data.ip_assets[5]', ip_address: '10.1.0.50', type: 'OS' },
      ]),
      false,
    );
    assert.equal(out.status, 'rejected');
    assert.equal(out.applied, false);
    const errors = out.plan!.errors.map((e) => `${e.location}: ${e.message}`);
    assert.deepEqual(errors.sort(), [
      'data.ip_assets[1].ip_address: Invalid IP address.',
      'data.ip_assets[2].type: Invalid asset type. Use OS, BMC, VM, VIP, OTHER.',
      'data.ip_assets[3].host_name: Host does not exist.',
      'data.ip_assets[4].project_name: Project does not exist.',
      'data.ip_assets[5]: duplicate IP address "10.1.0.50" (first at data.ip_assets[0])',
    ]);
    const after = await inventoryCounts(db);
    assert.deepEqual(after, before);
  });

  test('runs are stored with who, mode, counts and log, and never the secret', async () => {
    const runs = new ImportRunsService({ db, actor: EDITOR });
    const { items, total } = await runs.list({ plugin: 'fake-source' });
    assert.ok(total >= 4);
    const detail = await runs.get(items[0]!.id);
    assert.equal(detail.username, EDITOR.username);
    assert.equal(detail.options.token, '***');
    assert.equal(detail.options.url, 'http://127.0.0.1:1');
    assert.ok(detail.log.some((l) => l.message.includes('collecting from')));
    const raw = JSON.stringify(await db('import_runs').select('*')) + JSON.stringify(await db('import_run_logs').select('*')) + JSON.stringify(await db('audit_log').select('*'));
    assert.ok(!raw.includes('s3cret-token'));
    const modes = new Set(items.map((r) => r.mode));
    assert.deepEqual([...modes].sort(), ['apply', 'dry_run']);
    assert.ok(items.some((r) => r.status === 'rejected'));
  });

  test('options are validated by the plugin schema; the panel form marks secrets writeOnly', async () => {
    nextBatch = () => emptyBatch('x');
    await assert.rejects(runPlugin(db, EDITOR, { plugin: fake, input: { files: [] }, options: {}, dryRun: true }), (e: Error & { issues?: { loc: unknown[] }[] }) => {
      assert.deepEqual(e.issues?.[0]?.loc, ['options', 'token']);
      return true;
    });
    const form = describeOptions(fake.options) as { properties: Record<string, { writeOnly?: boolean }> };
    assert.equal(form.properties.token!.writeOnly, true);
    assert.equal(form.properties.url!.writeOnly, undefined);
  });

  test('hosts link their OS/BMC addresses, catalogs update, and an unchanged re-run is all SKIP', async () => {
    const batch: Batch = {
      ...emptyBatch('hosts'),
      vendors: [{ loc: 'v0', name: 'Dell' }],
      projects: [{ loc: 'p0', name: 'edge', color: '#123456' }],
      tags: [{ loc: 't0', name: 'manual', color: '#abcdef' }],
      ranges: [{ loc: 'r0', name: 'lab', cidr: '10.1.0.7/24' }],
      hosts: [{ loc: 'h0', name: 'srv-1', vendor_name: 'Dell', project_name: 'edge', os_ip: '10.1.0.20', bmc_ip: '10.1.0.21' }],
    };
    const first = await run(batch, false);
    assert.equal(first.status, 'succeeded', JSON.stringify(first.plan?.errors));
    const host = await servicesFor(db).hosts.get((await db('hosts').where({ name: 'srv-1' }).first()).id);
    assert.deepEqual(host.linked_assets, { os: ['10.1.0.20'], bmc: ['10.1.0.21'], other: [] });
    assert.equal(host.vendor, 'Dell');
    assert.equal((await db('projects').where({ name: 'edge' }).first()).color, '#123456');
    assert.equal((await db('ranges').first()).cidr, '10.1.0.0/24');
    const again = await run(batch, false);
    assert.equal(again.plan!.totals.create + again.plan!.totals.update, 0);
  });
});

test('the importer fast address path agrees with the domain parser', async () => {
  const { parseAddressFast } = await import('../../src/domain/ip/address-fast.js');
  const { tryParseAddress } = await import('../../src/domain/ip/address.js');
  const inputs = ['10.0.0.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '10.0.0.01', '::ffff:10.0.0.1', '2001:DB8::1', ' 10.0.0.1', 'a.b.c.d', '', '1.2.3.4/32', '192.168.001.1'];
  for (const input of inputs) assert.deepEqual(parseAddressFast(input), tryParseAddress(input), input);
});
