/**
 * The librenms connector through the real runner against the fake LibreNMS on 127.0.0.1, on a
 * real database (SQLite, or PostgreSQL with TEST_DATABASE_URL): numbers as strings, port MACs,
 * IPs, and each failure of the fake.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { librenmsPlugin } from '../../plugins/librenms/index.js';
import { secretKeys } from '../../src/plugins/options.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { ImportRunsService } from '../../src/services/import-runs.js';
import { generateLab } from '../fakes/lab-devices.js';
import { librenmsFromLab, startFakeLibrenms, type FakeLibrenms } from '../fakes/librenms.js';
import { deviceTestDb } from '../helpers/devices.js';
import { EDITOR } from '../helpers/services.js';

const TOKEN = 'librenms-token-0123456789abcdef';

describe('librenms connector against the fake LibreNMS', () => {
  const ctx = deviceTestDb();
  let fake: FakeLibrenms | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });
  const start = async (count: number, stringNumbers = true) => {
    fake = await startFakeLibrenms({ devices: librenmsFromLab(generateLab(count * 2, 0)), stringNumbers });
    return fake;
  };
  const run = (options: Record<string, unknown> = {}, dryRun = false) => runPlugin(ctx.t.db, EDITOR, { plugin: librenmsPlugin, input: { files: [] }, options: { url: fake!.url, token: TOKEN, ...options }, dryRun });
  const count = async (table: string, where: Record<string, unknown> = {}) => Number(((await ctx.t.db(table).where(where).count({ n: '*' }))[0] as { n: number }).n);
  const log = async (runId: number) => (await new ImportRunsService({ db: ctx.t.db, actor: EDITOR }).get(runId)).log.map((l) => l.message);

  test('the token is the one secret option, sent as X-Auth-Token; three bulk calls, however many devices', async () => {
    assert.deepEqual(secretKeys(librenmsPlugin.options), ['token']);
    const f = await start(6);
    const out = await run({}, true);
    assert.equal(out.status, 'succeeded', out.error?.message);
    assert.deepEqual(out.plan!.counts.devices, { create: 6, update: 0, skip: 0 });
    assert.deepEqual(f.calls.sort(), ['/api/v0/devices?type=all&order=hostname', '/api/v0/ports?columns=port_id,device_id,ifName,ifPhysAddress', '/api/v0/resources/ip/addresses']);
  });

  for (const stringNumbers of [true, false]) {
    test(`devices with every port MAC and their IPs (numbers ${stringNumbers ? 'as strings' : 'as numbers'}); an unchanged re-run is all SKIP`, async () => {
      await start(4, stringNumbers);
      const out = await run();
      assert.equal(out.status, 'succeeded', out.error?.message);
      assert.deepEqual(out.plan!.counts.devices, { create: 4, update: 0, skip: 0 });
      const d = (await ctx.t.db('hosts').where({ name: 'lab-sw-00007.lab.example' }).first()) as Record<string, unknown>;
      assert.ok(d, 'named by sysName');
      assert.equal(d.kind, 'switch', 'detected from hardware/OS');
      assert.deepEqual([d.model, d.vendor_name, d.firmware_version], ['Juniper EX4300-48T', 'Juniper', '21.4R3-lnms']);
      const facts = await ctx.t.db('device_facts').where({ device_id: d.id, source: 'librenms' }).first();
      assert.equal(String(facts.external_id), '8', 'device_id 8 (sent as "8" or 8) is the source id');
      const macs = (await ctx.t.db('device_macs').where({ device_id: d.id }).orderBy('mac').pluck('mac')) as string[];
      assert.deepEqual(macs, ['02:1a:b0:00:00:07', '02:1a:d0:00:00:07'], 'bare-hex ifPhysAddress normalised');
      assert.ok(await ctx.t.db('ip_assets').where({ ip_address: '10.30.0.7', host_id: d.id }).first(), 'its management address');
      const again = await run({}, true);
      assert.deepEqual(again.plan!.counts.devices, { create: 0, update: 0, skip: 4 });
    });
  }

  test('a wrong token fails with the credentials message; nothing written; the token never stored', async () => {
    await start(2);
    const out = await run({ token: 'wrong-token-value' });
    assert.equal(out.status, 'failed');
    assert.match(out.error!.message, /LibreNMS at http:\/\/127\.0\.0\.1:\d+ refused the credentials while listing devices \(HTTP 401.*check the username and password or the token/);
    assert.doesNotMatch(JSON.stringify(await new ImportRunsService({ db: ctx.t.db, actor: EDITOR }).get(out.runId)), /wrong-token-value/);
    assert.equal(await count('hosts'), 0);
  });

  test('429 and 503 are retried and the run succeeds; a lasting 503 fails it with the unavailable message', async () => {
    const f = await start(2);
    f.faults.rateLimited = 1;
    f.faults.unavailable = 1;
    const ok = await run({}, true);
    assert.equal(ok.status, 'succeeded', ok.error?.message);
    assert.ok((await log(ok.runId)).some((l) => /2 retried/.test(l)));
    f.faults.unavailable = 100;
    const bad = await run({}, true);
    assert.equal(bad.status, 'failed');
    assert.match(bad.error!.message, /LibreNMS at .* failed while listing devices \(HTTP 503: Service Unavailable\), also after retries/);
  });

  test('a slow answer past the timeout fails with the timeout message', async () => {
    const f = await start(1);
    f.faults.delayMs = 1500;
    const out = await run({ timeout: 0.2 });
    assert.equal(out.status, 'failed');
    assert.match(out.error!.message, /did not answer within 0\.2 s \(timeout\)/);
  });
});
