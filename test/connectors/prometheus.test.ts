import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { extractAddress } from '../../plugins/prometheus/extract-address.js';
import { prometheusPlugin } from '../../plugins/prometheus/index.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { secretKeys } from '../../src/plugins/options.js';
import { ImportRunsService } from '../../src/services/import-runs.js';
import { createTestDb } from '../helpers/db.js';
import { EDITOR, servicesFor } from '../helpers/services.js';
import { startFakePrometheus, vectorOf, type FakePrometheus } from '../fakes/prometheus.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../plugins/prometheus/fixtures/${name}`, import.meta.url), 'utf8'));

describe('label values', () => {
  test('IPv4 and IPv6 are read with or without a port, bracketed or not', () => {
    assert.equal(extractAddress('10.0.0.5:9100')?.address, '10.0.0.5');
    assert.equal(extractAddress('10.0.0.5')?.address, '10.0.0.5');
    assert.equal(extractAddress('[2001:DB8::5]:9100')?.address, '2001:db8::5');
    assert.equal(extractAddress('[2001:db8::5]')?.address, '2001:db8::5');
    assert.equal(extractAddress('2001:db8::5')?.address, '2001:db8::5');
    assert.equal(extractAddress('http://192.0.2.7:9115/probe')?.address, '192.0.2.7');
  });
  test('host names and junk are not addresses', () => {
    assert.equal(extractAddress('node-1.example.com:9100'), null);
    assert.equal(extractAddress('10.0.0.300:9100'), null);
    assert.equal(extractAddress(''), null);
  });
});

describe('prometheus connector', () => {
  let db: Knex;
  let cleanup: () => Promise<void>;
  let prom: FakePrometheus;
  before(async () => {
    ({ db, cleanup } = await createTestDb());
    prom = await startFakePrometheus();
  });
  after(async () => {
    await prom.close();
    await cleanup();
  });
  const run = (options: Record<string, unknown>, dryRun = false) => runPlugin(db, EDITOR, { plugin: prometheusPlugin, input: { files: [] }, options: { url: prom.url, ...options }, dryRun });

  test('the token and the password are secret options', () => {
    assert.deepEqual(secretKeys(prometheusPlugin.options).sort(), ['password', 'token']);
  });

  test('loopback instances of a real answer are skipped by default, imported when asked', async () => {
    prom.answer({ status: 200, body: fixture('prom-api-v1-query-up.json') });
    const skipped = await run({}, true);
    assert.equal(skipped.status, 'succeeded');
    assert.equal(skipped.plan?.counts.ip_assets.create, 0);
    const log = (await new ImportRunsService({ db, actor: EDITOR }).get(skipped.runId)).log.map((l) => l.message).join('\n');
    assert.match(log, /3 series, 0 distinct address\(es\); skipped 3 loopback/);
    const kept = await run({ include_loopback: true }, true);
    assert.equal(kept.plan?.counts.ip_assets.create, 1, 'three series, one address');
  });

  test('addresses are deduplicated, loopback and host names skipped, with per-IP changes in a dry-run', async () => {
    prom.answer(vectorOf(['192.0.2.10:9100', '192.0.2.10:9256', '[2001:db8::10]:9100', '2001:db8::11', '127.0.0.1:9100', '[::1]:9100', 'db.example.com:9100']));
    const dry = await run({ tags: 'prometheus, node', project: 'Monitoring', type: 'VM' }, true);
    assert.equal(dry.status, 'succeeded');
    const assets = dry.plan!.changes.filter((c) => c.entity === 'ip_assets');
    assert.deepEqual(assets.map((c) => `${c.action} ${c.key}`).sort(), ['CREATE 192.0.2.10', 'CREATE 2001:db8::10', 'CREATE 2001:db8::11']);
    const first = assets.find((c) => c.key === '192.0.2.10')!;
    assert.equal(first.changes.find((f) => f.field === 'type')?.after, 'VM');
    assert.deepEqual(first.changes.find((f) => f.field === 'tags')?.after, ['node', 'prometheus']);
    assert.equal(dry.plan!.warnings.length, 1);
    assert.match(dry.plan!.warnings[0]!.message, /db\.example\.com:9100" is not an IP address/);
    assert.equal((await db('ip_assets').count({ n: '*' }))[0]!.n == 0, true, 'a dry-run writes nothing');
  });

  test('an update keeps a non-empty note and the existing type, merges tags, and reports SKIP when nothing changes', async () => {
    const s = servicesFor(db);
    await s.assets.create({ ip_address: '192.0.2.20', type: 'BMC', notes: 'hand-written', tags: ['keep'] });
    await s.assets.create({ ip_address: '192.0.2.21', type: 'OTHER' });
    prom.answer(vectorOf(['192.0.2.20:9100', '192.0.2.21:9100']));
    const applied = await run({ type: 'VM' });
    assert.equal(applied.status, 'succeeded');
    const a20 = await s.assets.getByAddress('192.0.2.20');
    assert.equal(a20.type, 'BMC');
    assert.equal(a20.notes, 'hand-written');
    assert.deepEqual([...a20.tags].sort(), ['keep', 'prometheus']);
    const a21 = await s.assets.getByAddress('192.0.2.21');
    assert.equal(a21.type, 'OTHER', 'type kept unless update_type');
    assert.match(a21.notes ?? '', /^Prometheus: instance=192\.0\.2\.21:9100 \(job node\)/);
    const again = await run({ type: 'VM' }, true);
    assert.deepEqual(again.plan!.changes.filter((c) => c.entity === 'ip_assets').map((c) => c.action), ['SKIP', 'SKIP']);
    const retyped = await run({ type: 'VM', update_type: true }, true);
    const diff = retyped.plan!.changes.find((c) => c.key === '192.0.2.20')!;
    assert.equal(diff.action, 'UPDATE');
    assert.deepEqual(diff.changes, [{ field: 'type', before: 'BMC', after: 'VM' }]);
  });

  test('a Prometheus error answer fails the run with its message', async () => {
    for (const status of [400, 422, 503]) {
      prom.answer({ status, body: { status: 'error', errorType: 'bad_data', error: `parse error at char 4 (${status})` } });
      const out = await run({ query: 'up{' });
      assert.equal(out.status, 'failed');
      assert.match(out.error!.message, new RegExp(`answered HTTP ${status} \\(bad_data\\): parse error at char 4`));
      const stored = await new ImportRunsService({ db, actor: EDITOR }).get(out.runId);
      assert.equal(stored.status, 'failed');
      assert.match(stored.error ?? '', /parse error/);
    }
  });

  test('only instant vectors are accepted', async () => {
    prom.answer({ status: 200, body: { status: 'success', data: { resultType: 'matrix', result: [] } } });
    const out = await run({ query: 'up[5m]' });
    assert.equal(out.status, 'failed');
    assert.match(out.error!.message, /returned a matrix, not an instant vector/);
  });

  test('bearer and basic credentials are sent, and never stored with the run', async () => {
    prom.answer(vectorOf([]));
    const out = await run({ token: 's3cret-token' }, true);
    assert.equal(prom.auth.at(-1), 'Bearer s3cret-token');
    await run({ username: 'ops', password: 'pw' }, true);
    assert.equal(prom.auth.at(-1), `Basic ${Buffer.from('ops:pw').toString('base64')}`);
    const stored = await new ImportRunsService({ db, actor: EDITOR }).get(out.runId);
    assert.equal(stored.options.token, '***');
    assert.doesNotMatch(JSON.stringify(stored), /s3cret-token/);
  });

  test('an unreachable Prometheus fails with a clear message', async () => {
    const out = await runPlugin(db, EDITOR, { plugin: prometheusPlugin, input: { files: [] }, options: { url: 'http://127.0.0.1:1', timeout: 2 }, dryRun: true });
    assert.equal(out.status, 'failed');
    assert.match(out.error!.message, /Cannot reach http:\/\/127\.0\.0\.1:1: ECONNREFUSED/);
  });
});
