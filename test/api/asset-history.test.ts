import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { prometheusPlugin } from '../../plugins/prometheus/index.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { DIALECT } from '../helpers/db.js';
import { startFakePrometheus, vectorOf, type FakePrometheus } from '../fakes/prometheus.js';
import { buildTestApp, type TestApp } from './app.js';

interface Entry {
  action: string;
  username: string | null;
  changes: string;
  run_id: number | null;
  run: { id: number; plugin: string; source: string | null } | null;
}

/** An IP's history (GET /audit for the address) shows every change: by hand, through a host, by an import or a connector run. */
describe(`IP history from every writer (${DIALECT})`, () => {
  let t: TestApp;
  let ed: { Authorization: string };
  let prom: FakePrometheus;
  before(async () => {
    t = await buildTestApp();
    ed = t.as.editor;
    prom = await startFakePrometheus();
  });
  after(async () => {
    await prom.close();
    await t.cleanup();
  });

  const history = async (ip: string): Promise<Entry[]> => {
    const asset = (await request(t.app).get(`/ip-assets/${ip}`)).body as { id: number };
    const res = await request(t.app).get('/audit').set(ed).query({ target_type: 'IP_ASSET', target_id: asset.id });
    assert.equal(res.status, 200);
    return (res.body as Entry[]).reverse();
  };
  const csv = (body: string) => request(t.app).post('/import/csv').set(ed).attach('ip_assets', Buffer.from(body), 'ip-assets.csv');

  test('a host edit that links or unlinks an IP is in that IP’s history', async () => {
    const host = (await request(t.app).post('/hosts').set(ed).send({ name: 'web-01', os_ip: '10.20.0.11' })).body as { id: number };
    assert.ok(host.id);
    let h = await history('10.20.0.11');
    assert.equal(h.length, 1);
    assert.equal(h[0]!.action, 'CREATE');
    assert.equal(h[0]!.username, 'editor1');
    assert.match(h[0]!.changes, /host: \(empty\) → web-01/);

    await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.20.0.12', type: 'VM' });
    const res = await request(t.app).patch(`/hosts/${host.id}`).set(ed).send({ os_ip: '10.20.0.12' });
    assert.equal(res.status, 200, res.text);
    h = await history('10.20.0.11');
    assert.equal(h.length, 2);
    assert.match(h[1]!.changes, /host: web-01 → \(empty\)/);
    h = await history('10.20.0.12');
    assert.deepEqual(h.map((e) => e.action), ['CREATE', 'UPDATE']);
    assert.match(h[1]!.changes, /type: VM → OS; host: \(empty\) → web-01/);
    assert.equal(h[1]!.run, null);

    await request(t.app).delete(`/hosts/${host.id}`).set(ed);
    h = await history('10.20.0.12');
    assert.match(h[2]!.changes, /host: web-01 → \(empty\)/);
  });

  test('an import run that creates or updates an IP is in its history, with the run named', async () => {
    const res = await csv('ip_address,type,notes\n10.20.0.12,OS,hello\n10.20.0.50,VM,new one\n');
    assert.equal(res.status, 200, res.text);
    const runId = res.body.run_id as number;
    let h = await history('10.20.0.12');
    const last = h[h.length - 1]!;
    assert.equal(last.action, 'UPDATE');
    assert.match(last.changes, /notes: \(empty\) → hello/);
    assert.equal(last.username, 'editor1');
    assert.equal(last.run_id, runId);
    assert.deepEqual(last.run, { id: runId, plugin: 'csv', source: 'ip-assets.csv' });
    h = await history('10.20.0.50');
    assert.equal(h.length, 1);
    assert.equal(h[0]!.action, 'CREATE');
    assert.match(h[0]!.changes, /notes: \(empty\) → "new one"/);
    assert.equal(h[0]!.run?.id, runId);
    // The run's page: the run exists and names its plugin.
    const run = await request(t.app).get(`/import/runs/${runId}`).set(ed);
    assert.equal(run.body.plugin, 'csv');
  });

  test('a connector run is in the history; a sighting alone (last seen) is not an edit', async () => {
    const before = (await history('10.20.0.50')).length;
    prom.answer(vectorOf(['10.20.0.50:9100', '10.20.0.60:9100']));
    const actor = { userId: null, username: 'scheduler', role: 'editor' as const };
    let out = await runPlugin(t.db, actor, { plugin: prometheusPlugin, input: { files: [] }, options: { url: prom.url, mark_last_seen: false }, dryRun: false });
    assert.equal(out.status, 'succeeded');
    const h = await history('10.20.0.50');
    assert.equal(h.length, before + 1);
    assert.match(h[h.length - 1]!.changes, /tags: \+prometheus/);
    assert.deepEqual(h[h.length - 1]!.run, { id: out.runId, plugin: 'prometheus', source: 'prometheus' });
    assert.equal(h[h.length - 1]!.username, 'scheduler');
    assert.equal((await history('10.20.0.60'))[0]!.action, 'CREATE');

    out = await runPlugin(t.db, actor, { plugin: prometheusPlugin, input: { files: [] }, options: { url: prom.url, mark_last_seen: true }, dryRun: false });
    assert.equal(out.status, 'succeeded');
    assert.equal(out.plan?.counts.ip_assets.update, 2, 'the run records the sighting');
    assert.equal((await history('10.20.0.50')).length, before + 1, 'but writes no history entry for it');
    const seen = (await request(t.app).get('/ip-assets/10.20.0.50')).body as { last_seen_at: string | null };
    assert.ok(seen.last_seen_at);
  });
});
