import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { ConnectorScheduler } from '../../src/jobs/connector-runs.js';
import { buildTestApp, type TestApp } from '../api/app.js';
import { startFakePrometheus, vectorOf, type FakePrometheus } from '../fakes/prometheus.js';

let t: TestApp;
let prom: FakePrometheus;
let configId = 0;

before(async () => {
  t = await buildTestApp();
  prom = await startFakePrometheus(vectorOf(['192.0.2.70:9100', '[2001:db8::70]:9100']));
});
after(async () => {
  await prom.close();
  await t.cleanup();
});

test('GET /connectors lists the connector plugins with their option forms; secrets are write-only', async () => {
  const res = await request(t.app).get('/connectors').set(t.as.viewer);
  assert.equal(res.status, 200);
  const byName = new Map((res.body as { name: string; options: { properties: Record<string, { writeOnly?: boolean }> } }[]).map((p) => [p.name, p]));
  assert.deepEqual([...byName.keys()].sort(), ['librenms', 'netbox', 'netdisco', 'nutanix', 'prometheus', 'vcenter']);
  assert.equal(byName.get('netbox')!.options.properties.token!.writeOnly, true);
  assert.equal(byName.get('vcenter')!.options.properties.password!.writeOnly, true);
  for (const [name, key] of [['nutanix', 'password'], ['netdisco', 'password'], ['librenms', 'token']] as const) assert.equal(byName.get(name)!.options.properties[key]!.writeOnly, true, `${name}.${key}`);
  // Every default is in the form description, flags and lists included (what a run uses when nothing is set).
  const promForm = byName.get('prometheus')!.options.properties as Record<string, { default?: unknown }>;
  assert.deepEqual([promForm.tls_verify!.default, promForm.mark_last_seen!.default, promForm.tags!.default, promForm.query!.default], [true, false, ['prometheus'], 'up']);
  assert.equal((await request(t.app).get('/connectors')).status, 401);
});

test('editors save configurations; secrets are never returned', async () => {
  const input = { name: 'prom-lab', plugin: 'prometheus', options: { url: prom.url, token: 'tok-SECRET-1' }, cron: '*/10 * * * *', enabled: true, mode: 'dry_run' };
  assert.equal((await request(t.app).post('/connectors/configs').set(t.as.viewer).send(input)).status, 403);
  const created = await request(t.app).post('/connectors/configs').set(t.as.editor).send(input);
  assert.equal(created.status, 201, created.text);
  configId = (created.body as { id: number }).id;
  assert.equal(created.body.options.token, '***');
  assert.equal(created.body.has_secret, true);
  const list = await request(t.app).get('/connectors/configs').set(t.as.viewer);
  assert.doesNotMatch(list.text, /tok-SECRET-1/);
  const patched = await request(t.app).patch(`/connectors/configs/${configId}`).set(t.as.editor).send({ options: { url: prom.url, token: '***', tags: ['lab'] } });
  assert.equal(patched.status, 200, patched.text);
  assert.deepEqual(patched.body.options.tags, ['lab']);
  assert.equal(patched.body.options.token, '***');
  const bad = await request(t.app).patch(`/connectors/configs/${configId}`).set(t.as.editor).send({ cron: 'every minute' });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.detail[0].loc, ['body', 'cron']);
  const dup = await request(t.app).post('/connectors/configs').set(t.as.editor).send(input);
  assert.equal(dup.status, 409);
});

test('an unknown option is refused with its name, on create and on edit, and nothing is saved', async () => {
  const input = { name: 'prom-typo', plugin: 'prometheus', options: { url: prom.url, querry: 'up{job="node"}' } };
  const created = await request(t.app).post('/connectors/configs').set(t.as.editor).send(input);
  assert.equal(created.status, 422, created.text);
  assert.deepEqual(created.body.detail, [{ loc: ['body', 'options', 'querry'], msg: "unknown option 'querry'", type: 'value_error' }]);
  assert.equal((await t.db('connector_configs').where({ name: 'prom-typo' })).length, 0);
  const saved = await request(t.app).post('/connectors/configs').set(t.as.editor).send({ ...input, options: { url: prom.url, query: 'up' } });
  assert.equal(saved.status, 201, saved.text);
  const id = (saved.body as { id: number }).id;
  const patched = await request(t.app).patch(`/connectors/configs/${id}`).set(t.as.editor).send({ options: { url: prom.url, query: 'up', labl: 'instance' } });
  assert.equal(patched.status, 422, patched.text);
  assert.match(JSON.stringify(patched.body.detail), /unknown option 'labl'/);
  assert.deepEqual((await request(t.app).get(`/connectors/configs/${id}`).set(t.as.viewer)).body.options, { url: prom.url, query: 'up' });
});

test('configuration changes are audited with the editor and the fields changed, secrets named but never shown', async () => {
  const input = { name: 'prom-audit', plugin: 'prometheus', options: { url: prom.url, token: 'tok-SECRET-2' } };
  const created = await request(t.app).post('/connectors/configs').set(t.as.editor).send(input);
  assert.equal(created.status, 201, created.text);
  const id = (created.body as { id: number }).id;
  await request(t.app).patch(`/connectors/configs/${id}`).set(t.as.editor).send({ cron: '0 * * * *', options: { url: prom.url, token: '***' } });
  await request(t.app).patch(`/connectors/configs/${id}`).set(t.as.editor).send({ options: { url: prom.url, token: 'tok-SECRET-3' } });
  await request(t.app).patch(`/connectors/configs/${id}`).set(t.as.editor).send({ name: 'prom-audit' }); // no change: no entry
  await request(t.app).delete(`/connectors/configs/${id}`).set(t.as.editor);
  const audit = await request(t.app).get('/audit').query({ target_type: 'CONNECTOR', target_id: id }).set(t.as.viewer);
  assert.equal(audit.status, 200);
  const entries = (audit.body as { action: string; username: string; changes: string }[]).reverse();
  assert.deepEqual(entries.map((e) => e.action), ['CREATE', 'UPDATE', 'UPDATE', 'DELETE']);
  assert.ok(entries.every((e) => e.username === 'editor1'), JSON.stringify(entries));
  assert.match(entries[0]!.changes, /plugin: \(empty\) → prometheus/);
  assert.match(entries[0]!.changes, /options\.token: \(empty\) → set/);
  assert.equal(entries[1]!.changes, 'cron: (empty) → "0 * * * *"');
  assert.equal(entries[2]!.changes, 'options.token: set → changed');
  assert.doesNotMatch(audit.text, /tok-SECRET/);
});

test('run now: any logged-in user may dry-run, applying needs an editor; the token reaches Prometheus but no log', async () => {
  const dry = await request(t.app).post(`/connectors/configs/${configId}/run?dry_run=1`).set(t.as.viewer);
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.body.summary.ip_assets.would_create, 2);
  assert.equal(prom.auth.at(-1), 'Bearer tok-SECRET-1');
  assert.equal((await t.db('ip_assets').count({ n: '*' }))[0]!.n == 0, true);
  assert.equal((await request(t.app).post(`/connectors/configs/${configId}/run?dry_run=0`).set(t.as.viewer)).status, 403);
  // Without dry_run the configuration's mode (dry_run) applies.
  assert.equal((await request(t.app).post(`/connectors/configs/${configId}/run`).set(t.as.viewer)).status, 200);
  const applied = await request(t.app).post(`/connectors/configs/${configId}/run?dry_run=0`).set(t.as.editor);
  assert.equal(applied.status, 200, applied.text);
  assert.equal(applied.body.applied, true);
  const tags = (await t.db('tags').select('name')) as { name: string }[];
  assert.deepEqual(tags.map((x) => x.name).sort(), ['lab']);
  const runs = await request(t.app).get(`/connectors/configs/${configId}/runs`).set(t.as.viewer);
  assert.equal(runs.status, 200);
  assert.equal(runs.body.length, 3);
  const detail = await request(t.app).get(`/import/runs/${(runs.body as { id: number }[])[0]!.id}`).set(t.as.viewer);
  assert.doesNotMatch(detail.text, /tok-SECRET-1/);
  assert.match(detail.text, /"token":"\*\*\*"/);
});

test('a failed run answers 502 with the message, is listed, and is counted in /metrics', async () => {
  prom.answer({ status: 422, body: { status: 'error', errorType: 'execution', error: 'query timed out in expression evaluation' } });
  const res = await request(t.app).post(`/connectors/configs/${configId}/run?dry_run=1`).set(t.as.viewer);
  assert.equal(res.status, 502);
  assert.match(res.body.detail, /HTTP 422 \(execution\): query timed out/);
  const view = await request(t.app).get(`/connectors/configs/${configId}`).set(t.as.viewer);
  assert.equal(view.body.last_status, 'failed');
  const metrics = await request(t.app).get('/metrics');
  assert.match(metrics.text, /ipocket_import_runs_total\{plugin="prometheus",status="failed"\} 1\b/);
  assert.match(metrics.text, /ipocket_import_runs_total\{plugin="prometheus",status="succeeded"\} 3\b/);
});

test('ad-hoc connector runs work on POST /import/<plugin> with JSON options (editors: the URL is the caller\'s choice)', async () => {
  prom.answer(vectorOf(['192.0.2.71:9100']));
  assert.equal((await request(t.app).post('/import/prometheus?dry_run=1').set(t.as.viewer).send({ url: prom.url, query: 'up' })).status, 403);
  const res = await request(t.app).post('/import/prometheus?dry_run=1').set(t.as.editor).send({ url: prom.url, query: 'up' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual((res.body.changes as { key: string; action: string }[]).filter((c) => c.key === '192.0.2.71').map((c) => c.action), ['CREATE']);
  const bad = await request(t.app).post('/import/prometheus?dry_run=1').set(t.as.editor).send({ query: 'up' });
  assert.equal(bad.status, 422);
});

test('run now keeps the changes it lists and counts the rest; a scheduled run keeps none and says nothing of a preview', async () => {
  prom.answer(vectorOf(['192.0.2.81:9100', '192.0.2.82:9100', '192.0.2.83:9100']));
  const res = await request(t.app).post(`/connectors/configs/${configId}/run?dry_run=1&changes=1`).set(t.as.viewer);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.summary.ip_assets.would_create, 3);
  assert.equal(res.body.changes.length, 1);
  assert.equal(res.body.changes_omitted, 2);
  assert.equal(res.body.changes_truncated, true);
  const log = (await request(t.app).get(`/import/runs/${res.body.run_id as number}`).set(t.as.viewer)).body.log as { message: string }[];
  assert.ok(log.some((l) => l.message.startsWith('Preview truncated: it lists 1 of 3 record(s)')), JSON.stringify(log));
  const full = await request(t.app).post(`/connectors/configs/${configId}/run?dry_run=1`).set(t.as.viewer);
  assert.equal(full.body.changes.length, 3);
  assert.equal(full.body.changes_truncated, false);
  // The scheduler's run of the same configuration: counted and logged, no preview kept or announced.
  const fired = await new ConnectorScheduler({ db: t.db, secretKey: t.secretKey, log: () => undefined }).fire(configId, Date.now());
  assert.equal(fired.status, 'succeeded');
  const scheduled = (await request(t.app).get(`/import/runs/${fired.runId!}`).set(t.as.viewer)).body as { counts: { ip_assets: { create: number } }; log: { message: string }[] };
  assert.equal(scheduled.counts.ip_assets.create, 3);
  assert.ok(!scheduled.log.some((l) => l.message.startsWith('Preview truncated')), JSON.stringify(scheduled.log));
});

test('deleting a configuration keeps its runs', async () => {
  assert.equal((await request(t.app).delete(`/connectors/configs/${configId}`).set(t.as.viewer)).status, 403);
  assert.equal((await request(t.app).delete(`/connectors/configs/${configId}`).set(t.as.editor)).status, 204);
  assert.equal((await request(t.app).get(`/connectors/configs/${configId}`).set(t.as.viewer)).status, 404);
  assert.ok(Number((await t.db('import_runs').count({ n: '*' }))[0]!.n) >= 4);
});
