import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { openSecret, sealSecret } from '../../src/domain/secret-box.js';
import { ConnectorScheduler } from '../../src/jobs/connector-runs.js';
import { pluginCatalog } from '../../src/plugins/catalog.js';
import { ConnectorConfigsService } from '../../src/services/connector-configs.js';
import { ImportRunsService } from '../../src/services/import-runs.js';
import { createTestDb, twoConnections } from '../helpers/db.js';
import { EDITOR } from '../helpers/services.js';
import { startFakePrometheus, vectorOf, type FakePrometheus } from '../fakes/prometheus.js';

const KEY = 'k'.repeat(40);
const at = (iso: string): Date => new Date(iso);

async function runsOf(db: Knex, configId: number): Promise<{ id: number; status: string; error: string | null; username: string }[]> {
  return (await db('import_runs').where({ config_id: configId }).orderBy('id').select('id', 'status', 'error', 'username')) as { id: number; status: string; error: string | null; username: string }[];
}

describe('secret box', () => {
  test('seals with a fresh IV and opens only with the same key', () => {
    const a = sealSecret(KEY, 'hunter2');
    assert.notEqual(a, sealSecret(KEY, 'hunter2'));
    assert.doesNotMatch(a, /hunter2/);
    assert.equal(openSecret(KEY, a), 'hunter2');
    assert.throws(() => openSecret('x'.repeat(40), a), /IPOCKET_SECRET_KEY/);
    const tampered = a.slice(0, -2) + (a.endsWith('A') ? 'BB' : 'AA');
    assert.throws(() => openSecret(KEY, tampered));
  });
});

describe('saved connector configurations and the scheduler', () => {
  let db: Knex;
  let cleanup: () => Promise<void>;
  let prom: FakePrometheus;
  let configs: ConnectorConfigsService;
  before(async () => {
    ({ db, cleanup } = await createTestDb());
    prom = await startFakePrometheus(vectorOf(['192.0.2.50:9100']));
    configs = new ConnectorConfigsService({ db, actor: EDITOR }, KEY, pluginCatalog);
  });
  after(async () => {
    await prom.close();
    await cleanup();
  });

  test('secrets are encrypted at rest and shown back as "***"', async () => {
    const c = await configs.create({ name: 'prom-secret', plugin: 'prometheus', options: { url: prom.url, username: 'ops', password: 'p@ss-w0rd' }, cron: '*/5 * * * *' });
    assert.equal(c.options.password, '***');
    assert.equal(c.has_secret, true);
    assert.equal(c.options.username, 'ops');
    const raw = (await db('connector_configs').where({ id: c.id }).first()) as Record<string, unknown>;
    assert.doesNotMatch(JSON.stringify(raw), /p@ss-w0rd/);
    assert.match(String(raw.secrets), /^v1\./);
    // "***" keeps the stored secret; a new value replaces it; '' clears it.
    await configs.update(c.id, { options: { url: prom.url, username: 'ops', password: '***', query: 'up' } });
    assert.equal((await configs.runtime(c.id)).options.password, 'p@ss-w0rd');
    await configs.update(c.id, { options: { url: prom.url, username: 'ops', password: 'n3w' } });
    assert.equal((await configs.runtime(c.id)).options.password, 'n3w');
    const cleared = await configs.update(c.id, { options: { url: prom.url, password: '' } });
    assert.equal(cleared.has_secret, false);
    assert.equal(cleared.options.password, undefined);
  });

  test('cron expressions, plugins and options are validated', async () => {
    await assert.rejects(configs.create({ name: 'bad-cron', plugin: 'prometheus', options: { url: prom.url }, cron: '61 * * * *' }), (e: Error) => /cron/.test(e.message));
    await assert.rejects(configs.create({ name: 'csv', plugin: 'csv', options: {} }), /"csv" is not a connector/);
    await assert.rejects(configs.create({ name: 'no-url', plugin: 'prometheus', options: {} }), /options\.url/);
    await assert.rejects(configs.create({ name: 'on-no-cron', plugin: 'prometheus', options: { url: prom.url }, enabled: true }).then((c) => configs.update(c.id, { enabled: true })), /needs a cron/);
  });

  test('a due job fires once per slot and records its run', async () => {
    prom.answer(vectorOf(['192.0.2.50:9100']));
    const c = await configs.create({ name: 'every-5', plugin: 'prometheus', options: { url: prom.url }, cron: '*/5 * * * *', enabled: true, mode: 'apply' });
    const s = new ConnectorScheduler({ db, secretKey: KEY, log: () => undefined });
    assert.deepEqual((await s.tick(at('2026-11-21T10:06:00Z'))).filter((r) => r.configId === c.id), [], 'not due');
    const [fired] = (await s.tick(at('2026-11-21T10:05:00Z'))).filter((r) => r.configId === c.id);
    assert.equal(fired!.ran, true);
    assert.equal(fired!.status, 'succeeded');
    const [again] = (await s.tick(at('2026-11-21T10:05:00Z'))).filter((r) => r.configId === c.id);
    assert.equal(again!.ran, false, 'the same slot never runs twice');
    const runs = await runsOf(db, c.id);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.username, 'scheduler');
    assert.equal((await db('ip_assets').where({ ip_address: '192.0.2.50' })).length, 1, 'apply mode wrote the asset');
    // Seen by the configuration that ran: its name, its id and the run.
    const seen = (await db('ip_asset_sightings as s').join('ip_assets as a', 'a.id', 's.ip_asset_id').where('a.ip_address', '192.0.2.50').select('s.source', 's.scope', 's.config_id', 's.last_run_id')) as Record<string, unknown>[];
    assert.deepEqual(seen.map((r) => [r.source, r.scope, Number(r.config_id), Number(r.last_run_id)]), [['prometheus', 'every-5', c.id, runs[0]!.id]]);
    const view = await configs.get(c.id);
    assert.equal(view.last_status, 'succeeded');
    assert.equal(view.last_run_id, runs[0]!.id);
    assert.equal(view.running, false);
    await configs.update(c.id, { enabled: false });
  });

  test('a failed run is recorded with the error', async () => {
    prom.answer({ status: 503, body: { status: 'error', errorType: 'unavailable', error: 'TSDB not ready' } });
    const c = await configs.create({ name: 'failing', plugin: 'prometheus', options: { url: prom.url }, cron: '* * * * *', enabled: true });
    const s = new ConnectorScheduler({ db, secretKey: KEY, log: () => undefined });
    const [r] = (await s.tick(at('2026-11-21T11:00:00Z'))).filter((x) => x.configId === c.id);
    assert.equal(r!.status, 'failed');
    const [run] = await runsOf(db, c.id);
    assert.equal(run!.status, 'failed');
    assert.match(run!.error!, /answered HTTP 503 \(unavailable\): TSDB not ready/);
    const view = await configs.get(c.id);
    assert.equal(view.last_status, 'failed');
    assert.match(view.last_error!, /TSDB not ready/);
    // A configuration whose secrets cannot be opened any more still leaves a failed run.
    const other = new ConnectorScheduler({ db, secretKey: 'another-key-another-key-another-key!', log: () => undefined });
    await configs.update(c.id, { options: { url: prom.url, token: 'abc' } });
    const [r2] = (await other.tick(at('2026-11-21T11:01:00Z'))).filter((x) => x.configId === c.id);
    assert.equal(r2!.status, 'failed');
    const runs = await runsOf(db, c.id);
    assert.match(runs.at(-1)!.error!, /IPOCKET_SECRET_KEY/);
    await configs.update(c.id, { enabled: false });
  });

  test('a run never overlaps itself: later slots are skipped while it runs', async () => {
    prom.answer(vectorOf(['192.0.2.51:9100']), 1500);
    const c = await configs.create({ name: 'slow', plugin: 'prometheus', options: { url: prom.url }, cron: '* * * * * *', enabled: true });
    const a = new ConnectorScheduler({ db, secretKey: KEY, log: () => undefined });
    const b = new ConnectorScheduler({ db, secretKey: KEY, log: () => undefined });
    const slot = Math.floor(Date.now() / 1000) * 1000;
    const first = a.fire(c.id, slot);
    for (let i = 0; i < 250 && !(await configs.get(c.id)).running; i++) await new Promise((r) => setTimeout(r, 20));
    const sameInstance = await a.fire(c.id, slot + 1000);
    const otherInstance = await b.fire(c.id, slot + 1000);
    await assert.rejects(b.runNow(c.id, true, EDITOR), /already running/);
    assert.equal((await first).ran, true);
    assert.equal(sameInstance.ran, false);
    assert.equal(otherInstance.ran, false);
    assert.equal((await runsOf(db, c.id)).length, 1);
    prom.answer(vectorOf(['192.0.2.51:9100']));
    const manual = await b.runNow(c.id, true, EDITOR);
    assert.equal(manual.status, 'succeeded', 'free again once the run ended');
    await configs.update(c.id, { enabled: false });
  });

  test('node-cron fires a per-second schedule', async () => {
    prom.answer(vectorOf(['192.0.2.52:9100']));
    const c = await configs.create({ name: 'per-second', plugin: 'prometheus', options: { url: prom.url }, cron: '* * * * * *', enabled: true });
    const s = new ConnectorScheduler({ db, secretKey: KEY, log: () => undefined });
    await s.start();
    try {
      for (let i = 0; i < 100 && (await runsOf(db, c.id)).filter((r) => r.status !== 'running').length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await s.stop();
    }
    const runs = await runsOf(db, c.id);
    assert.ok(runs.length >= 1, 'the job fired');
    assert.equal(runs[0]!.status, 'succeeded');
    await configs.update(c.id, { enabled: false });
  });
});

for (const dialect of ['sqlite', ...(process.env.TEST_DATABASE_URL ? ['pg' as const] : [])] as const) {
  test(`two scheduler instances on one ${dialect === 'pg' ? 'PostgreSQL' : 'SQLite file'} run each due job once`, async () => {
    const { a, b, cleanup } = await twoConnections(dialect);
    const prom = await startFakePrometheus(vectorOf(['192.0.2.60:9100', '192.0.2.61:9100']));
    try {
      const configs = new ConnectorConfigsService({ db: a, actor: EDITOR }, KEY, pluginCatalog);
      await configs.create({ name: 'shared', plugin: 'prometheus', options: { url: prom.url }, cron: '* * * * * *', enabled: true, mode: 'apply' });
      const one = new ConnectorScheduler({ db: a, secretKey: KEY, instanceId: 'app-1', log: () => undefined });
      const two = new ConnectorScheduler({ db: b, secretKey: KEY, instanceId: 'app-2', log: () => undefined });
      const results = [];
      for (let second = 0; second < 5; second++) {
        const now = at(`2026-11-21T13:00:0${second}Z`);
        results.push(...(await Promise.all([one.tick(now), two.tick(now)])).flat());
      }
      const ran = results.filter((r) => r.ran);
      assert.equal(ran.length, 5, 'exactly one instance ran each of the five slots');
      assert.ok(ran.every((r) => r.status === 'succeeded'));
      assert.equal(results.filter((r) => !r.ran).length, 5);
      const runs = await new ImportRunsService({ db: a, actor: EDITOR }).list({ plugin: 'prometheus' });
      assert.equal(runs.total, 5);
      assert.equal(Number(((await a('ip_assets').count({ n: '*' })) as { n: number }[])[0]!.n), 2);
      assert.equal((await a('audit_log').where({ target_type: 'IMPORT_RUN' })).length, 5);
    } finally {
      await prom.close();
      await cleanup();
    }
  });
}
