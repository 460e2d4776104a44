/**
 * The netdisco connector through the real runner against the fake Netdisco on 127.0.0.1, on a
 * real database (SQLite, or PostgreSQL with TEST_DATABASE_URL): login and paging past the
 * server's page cap, devices with their IPs and MAC, a key expiring mid-run, and each failure.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { netdiscoPlugin } from '../../plugins/netdisco/index.js';
import { secretKeys } from '../../src/plugins/options.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { ImportRunsService } from '../../src/services/import-runs.js';
import { generateLab } from '../fakes/lab-devices.js';
import { netdiscoFromLab, startFakeNetdisco, type FakeNetdisco, type FakeNetdiscoOptions } from '../fakes/netdisco.js';
import { deviceTestDb } from '../helpers/devices.js';
import { EDITOR } from '../helpers/services.js';

const CREDS = { username: 'api_user', password: 'netdisco' };

describe('netdisco connector against the fake Netdisco', () => {
  const ctx = deviceTestDb();
  let fake: FakeNetdisco | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });
  const start = async (count: number, o: Partial<FakeNetdiscoOptions> = {}) => {
    fake = await startFakeNetdisco({ devices: netdiscoFromLab(generateLab(count * 2, 0)), ...o });
    return fake;
  };
  const run = (options: Record<string, unknown> = {}, dryRun = false) => runPlugin(ctx.t.db, EDITOR, { plugin: netdiscoPlugin, input: { files: [] }, options: { url: fake!.url, ...CREDS, ...options }, dryRun });
  const count = async (table: string, where: Record<string, unknown> = {}) => Number(((await ctx.t.db(table).where(where).count({ n: '*' }))[0] as { n: number }).n);
  const log = async (runId: number) => (await new ImportRunsService({ db: ctx.t.db, actor: EDITOR }).get(runId)).log.map((l) => l.message);

  test('the password is the one secret option', () => {
    assert.deepEqual(secretKeys(netdiscoPlugin.options), ['password']);
  });

  test('logs in, pages the device search past a page cap, and imports each device with its IPs and MAC', async () => {
    const f = await start(12, { pageCap: 5 });
    const out = await run({ page_size: 50 });
    assert.equal(out.status, 'succeeded', out.error?.message);
    assert.equal(f.logins, 1);
    assert.deepEqual(f.searches, ['limit=50&offset=0', 'limit=50&offset=5', 'limit=50&offset=10', 'limit=50&offset=12']);
    assert.deepEqual(out.plan!.counts.devices, { create: 12, update: 0, skip: 0 });
    const d = (await ctx.t.db('hosts').where({ name: 'lab-rtr-00000' }).first()) as Record<string, unknown>;
    assert.deepEqual([d.hostname, d.model, d.firmware_version, d.room_location ?? d.location], ['lab-rtr-00000.lab.example', 'ISR4331/K9', '17.6.5', 'Room 2265']);
    assert.ok(d.serial, 'serial kept');
    assert.equal(d.kind, 'router', 'detected from vendor/model/OS');
    const macs = await ctx.t.db('device_macs').where({ device_id: d.id }).pluck('mac');
    assert.deepEqual(macs, ['02:1a:b0:00:00:00']);
    const ips = (await ctx.t.db('ip_assets').where({ host_id: d.id }).orderBy('ip_address').select('ip_address', 'type')) as { ip_address: string; type: string }[];
    assert.deepEqual(ips.map((r) => [r.ip_address, r.type]), [['10.255.0.0', 'OS'], ['10.30.0.0', 'OS']]);
  });

  test('a key that expires mid-run is renewed once and the run completes', async () => {
    const f = await start(6, { tokenRequestLimit: 5 });
    const out = await run({ concurrency: 1 });
    assert.equal(out.status, 'succeeded', out.error?.message);
    assert.ok(f.logins >= 2, `logged in again (${f.logins} logins)`);
    assert.ok(f.expired >= 1);
    assert.equal(await count('hosts'), 6);
    assert.ok((await log(out.runId)).some((l) => /API key expired during the run; logged in again/.test(l)));
  });

  test('a refused login fails with the credentials message, nothing written, the password not stored', async () => {
    const f = await start(3);
    const out = await run({ password: 'wrong-secret' });
    assert.equal(out.status, 'failed');
    assert.match(out.error!.message, /Netdisco at http:\/\/127\.0\.0\.1:\d+ refused the credentials while logging in as "api_user" \(HTTP 401.*check the username and password/);
    assert.equal(f.failedLogins, 1);
    assert.doesNotMatch(JSON.stringify(await new ImportRunsService({ db: ctx.t.db, actor: EDITOR }).get(out.runId)), /wrong-secret/);
    assert.equal(await count('hosts'), 0);
  });

  test('an account disabled mid-run (every key refused) fails with the credentials message instead of looping', async () => {
    const f = await start(3);
    f.faults.unauthorized = true;
    const out = await run();
    assert.equal(out.status, 'failed');
    assert.match(out.error!.message, /refused the credentials/);
    assert.equal(await count('hosts'), 0);
  });

  test('429 with Retry-After and a 503 are retried and the run succeeds; a 503 that lasts fails it', async () => {
    const f = await start(3);
    f.faults.rateLimited = 1;
    f.faults.unavailable = 1;
    const ok = await run({}, true);
    assert.equal(ok.status, 'succeeded', ok.error?.message);
    assert.ok((await log(ok.runId)).some((l) => /2 retried/.test(l)));
    f.faults.unavailable = 100;
    const bad = await run({}, true);
    assert.equal(bad.status, 'failed');
    assert.match(bad.error!.message, /Netdisco at .* failed while logging in as "api_user" \(HTTP 503.*also after retries/);
  });

  test('a slow answer past the timeout fails with the timeout message', async () => {
    const f = await start(2);
    f.faults.delayMs = 1500;
    const out = await run({ timeout: 0.2 });
    assert.equal(out.status, 'failed');
    assert.match(out.error!.message, /did not answer within 0\.2 s \(timeout\)/);
  });
});
