/**
 * LAIM's sync environment variables (NETDISCO_*, LIBRENMS_*, SYNC_*) → saved connector
 * configurations with a schedule: created on a first start, unchanged (nothing written, no audit
 * entry) on the next with the same values, updated when they change; secrets sealed; bad values
 * stop start-up naming the variable. Then the panel's configuration list (the API it reads)
 * shows them and a sync trigger runs them. SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { ConfigError } from '../../src/config.js';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { applySyncEnv, ENV_CONFIG_NAMES, parseSyncEnv } from '../../src/services/sync-env.js';
import { generateLab } from '../fakes/lab-devices.js';
import { librenmsFromLab, startFakeLibrenms, type FakeLibrenms } from '../fakes/librenms.js';
import { DIALECT } from '../helpers/db.js';
import { servicesFor, TEST_SERVICES_CONFIG } from '../helpers/services.js';
import { buildTestApp, type TestApp } from './app.js';

describe(`LAIM sync settings from the environment (${DIALECT})`, () => {
  let t: TestApp;
  let lnms: FakeLibrenms;
  before(async () => {
    // The app opens what applySyncEnv sealed: one key for both, as at a real start.
    t = await buildTestApp({ IPOCKET_SECRET_KEY: TEST_SERVICES_CONFIG.secretKey });
    lnms = await startFakeLibrenms({ devices: librenmsFromLab(generateLab(6, 0)) });
  });
  after(async () => {
    await lnms.close();
    await t.cleanup();
  });
  const configs = () => servicesFor(t.db, SYSTEM_ACTOR).connectorConfigs;
  const audits = async () => Number(((await t.db('audit_log').where({ target_type: 'CONNECTOR' }).count({ n: '*' }))[0] as { n: number }).n);
  const env = () => ({ NETDISCO_API_URL: 'https://netdisco.lab.example', NETDISCO_USERNAME: 'api_user', NETDISCO_PASSWORD: 'nd-secret-pw', LIBRENMS_API_URL: lnms.url, LIBRENMS_API_TOKEN: 'librenms-token-0123456789abcdef', SYNC_ENABLED: 'true', SYNC_INTERVAL_HOURS: '6', SYNC_RATE_LIMIT: '10' });

  test('bad or incomplete values are a ConfigError naming the variable', () => {
    assert.throws(() => parseSyncEnv({ NETDISCO_API_URL: 'ftp://x' }), (e: Error) => e instanceof ConfigError && /NETDISCO_API_URL: must be an http/.test(e.message));
    assert.throws(() => parseSyncEnv({ SYNC_INTERVAL_HOURS: '0' }), /SYNC_INTERVAL_HOURS: must be 1 to 24/);
    assert.throws(() => parseSyncEnv({ SYNC_ENABLED: 'maybe' }), /SYNC_ENABLED: must be true or false/);
    assert.throws(() => parseSyncEnv({ LIBRENMS_API_URL: 'https://l.example' }), /LIBRENMS_API_TOKEN: is required when LIBRENMS_API_URL is set/);
    assert.deepEqual(parseSyncEnv({}), { SYNC_ENABLED: true, SYNC_INTERVAL_HOURS: 6, SYNC_RATE_LIMIT: 10 }, 'nothing set: no source, the defaults');
  });

  test('first start creates both, scheduled and sealed; the same start again writes nothing; a change updates', async () => {
    assert.deepEqual(await applySyncEnv(configs(), parseSyncEnv(env())), { [ENV_CONFIG_NAMES.netdisco]: 'created', [ENV_CONFIG_NAMES.librenms]: 'created' });
    const list = (await request(t.app).get('/connectors/configs').set(t.as.viewer)).body as { name: string; plugin: string; cron: string; enabled: boolean; mode: string; options: Record<string, unknown>; has_secret: boolean }[];
    const nd = list.find((c) => c.name === ENV_CONFIG_NAMES.netdisco)!;
    assert.deepEqual([nd.plugin, nd.cron, nd.enabled, nd.mode, nd.options.password, nd.options.rate_limit, nd.has_secret], ['netdisco', '0 */6 * * *', true, 'apply', '***', 10, true]);
    const stored = JSON.stringify(await t.db('connector_configs').select('*'));
    assert.doesNotMatch(stored, /nd-secret-pw|librenms-token-0123456789abcdef/, 'secrets sealed at rest');
    const auditsAfterCreate = await audits();
    const rowsBefore = JSON.stringify(await t.db('connector_configs').orderBy('id').select('*'));
    assert.deepEqual(await applySyncEnv(configs(), parseSyncEnv(env())), { [ENV_CONFIG_NAMES.netdisco]: 'unchanged', [ENV_CONFIG_NAMES.librenms]: 'unchanged' });
    assert.equal(JSON.stringify(await t.db('connector_configs').orderBy('id').select('*')), rowsBefore, 'not a byte written');
    assert.equal(await audits(), auditsAfterCreate);
    const changed = await applySyncEnv(configs(), parseSyncEnv({ ...env(), SYNC_INTERVAL_HOURS: '12', SYNC_ENABLED: 'false' }));
    assert.equal(changed[ENV_CONFIG_NAMES.netdisco], 'updated');
    const after = (await request(t.app).get('/connectors/configs').set(t.as.viewer)).body as { name: string; cron: string; enabled: boolean }[];
    assert.deepEqual(after.filter((c) => c.name.endsWith('(environment)')).map((c) => [c.cron, c.enabled]), [['0 */12 * * *', false], ['0 */12 * * *', false]]);
    assert.equal(await audits(), auditsAfterCreate + 2);
  });

  test('the LibreNMS configuration from the environment runs on a sync trigger', async () => {
    const res = await request(t.app).post('/api/sync/trigger').set(t.as.editor).send({ source: 'librenms' });
    assert.equal(res.status, 202, res.text);
    let job: { status: string; devices: { create: number } } = res.body as never;
    for (let i = 0; i < 200 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await request(t.app).get(`/api/sync/status/${(res.body as { id: number }).id}`).set(t.as.viewer)).body as typeof job;
    }
    assert.equal(job.status, 'completed', JSON.stringify(job));
    assert.equal(job.devices.create, 3);
  });
});
