/**
 * The seeds' sync routes (LAIM /api/sync/trigger, /status/{id}, /history; VMI /api/sync/nutanix,
 * /vmware, /all) over the real app and the connector runner, against the fakes on 127.0.0.1, on
 * SQLite and PostgreSQL: role checks, saved configurations run one after another, the job polled
 * to its end, and bad input answered 422 naming the field.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { generateLab } from '../fakes/lab-devices.js';
import { librenmsFromLab, startFakeLibrenms, type FakeLibrenms } from '../fakes/librenms.js';
import { netdiscoFromLab, startFakeNetdisco, type FakeNetdisco } from '../fakes/netdisco.js';
import { generateNutanix, startFakeNutanix, type FakeNutanix } from '../fakes/nutanix.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

type Job = { id: number; source: string; status: string; devices: { create: number; update: number; skip: number }; runs: { plugin: string; run_id: number | null; status: string; error: string | null }[] };

describe(`seed sync routes (${DIALECT})`, () => {
  let t: TestApp;
  let nd: FakeNetdisco;
  let lnms: FakeLibrenms;
  let ntnx: FakeNutanix;
  const lab = generateLab(20, 0.4);
  before(async () => {
    t = await buildTestApp();
    nd = await startFakeNetdisco({ devices: netdiscoFromLab(lab) });
    lnms = await startFakeLibrenms({ devices: librenmsFromLab(lab) });
    ntnx = await startFakeNutanix(generateNutanix(5, 1));
  });
  after(async () => {
    await Promise.all([nd.close(), lnms.close(), ntnx.close()]);
    await t.cleanup();
  });
  const config = async (name: string, plugin: string, options: Record<string, unknown>) => {
    const res = await request(t.app).post('/connectors/configs').set(t.as.editor).send({ name, plugin, options });
    assert.equal(res.status, 201, res.text);
  };
  const poll = async (id: number): Promise<Job> => {
    for (let i = 0; i < 200; i++) {
      const res = await request(t.app).get(`/api/sync/status/${id}`).set(t.as.viewer);
      assert.equal(res.status, 200, res.text);
      const job = res.body as Job;
      if (job.status !== 'running') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail('the sync did not finish');
  };

  test('without a saved configuration, a trigger is 422 on source saying what to do', async () => {
    const res = await request(t.app).post('/api/sync/trigger').set(t.as.editor).send({ source: 'netdisco' });
    assert.equal(res.status, 422, res.text);
    const [d] = (res.body as { detail: { loc: string[]; msg: string }[] }).detail;
    assert.deepEqual(d!.loc, ['body', 'source']);
    assert.match(d!.msg, /no saved connector configuration for netdisco: create one on the Connectors page/);
  });

  test('roles: a viewer may not trigger (403), anonymous 401; bad source is 422 naming the field', async () => {
    assert.equal((await request(t.app).post('/api/sync/trigger').set(t.as.viewer).send({ source: 'all' })).status, 403);
    assert.equal((await request(t.app).post('/api/sync/trigger').send({ source: 'all' })).status, 401);
    assert.equal((await request(t.app).post('/api/sync/nutanix').set(t.as.viewer)).status, 403);
    const bad = await request(t.app).post('/api/sync/trigger').set(t.as.editor).send({ source: 'ldap' });
    assert.equal(bad.status, 422);
    assert.deepEqual((bad.body as { detail: { loc: string[] }[] }).detail[0]!.loc, ['body', 'source']);
    assert.equal((await request(t.app).get('/api/sync/status/abc').set(t.as.viewer)).status, 422);
    assert.equal((await request(t.app).get('/api/sync/status/999999').set(t.as.viewer)).status, 404);
  });

  test('LAIM: trigger "all" runs Netdisco then LibreNMS in the background → 202 with an id; status polls to completed; one device per real device; history lists both runs', async () => {
    await config('lab netdisco', 'netdisco', { url: nd.url, username: 'api_user', password: 'netdisco' });
    await config('lab librenms', 'librenms', { url: lnms.url, token: 'librenms-token-0123456789abcdef' });
    const res = await request(t.app).post('/api/sync/trigger').set(t.as.editor).send({ source: 'all' });
    assert.equal(res.status, 202, res.text);
    const started = res.body as Job;
    assert.ok(started.id > 0);
    assert.deepEqual(started.runs.map((r) => r.plugin), ['netdisco', 'librenms']);
    const job = await poll(started.id);
    assert.equal(job.status, 'completed', JSON.stringify(job));
    assert.deepEqual(job.runs.map((r) => r.status), ['succeeded', 'succeeded']);
    assert.equal(job.devices.create, lab.devices.length, 'shared devices created once');
    assert.equal(job.devices.update, lab.both.length, 'and updated by the second source');
    assert.equal(Number(((await t.db('hosts').count({ n: '*' }))[0] as { n: number }).n), lab.devices.length);
    const history = await request(t.app).get('/api/sync/history').set(t.as.viewer);
    assert.equal(history.status, 200);
    const items = (history.body as { items: { id: number; plugin: string; mode: string }[] }).items;
    assert.deepEqual(items.slice(0, 2).map((r) => [r.plugin, r.mode]), [['librenms', 'apply'], ['netdisco', 'apply']]);
    const only = await request(t.app).get('/api/sync/history?source=netdisco').set(t.as.viewer);
    assert.deepEqual((only.body as { items: { plugin: string }[] }).items.map((r) => r.plugin), ['netdisco']);
  });

  test('a job answers from the run table: a new app instance on the same database (a restart, a second instance) polls the same job and history', async () => {
    const res = await request(t.app).post('/api/sync/trigger').set(t.as.editor).send({ source: 'all' });
    assert.equal(res.status, 202, res.text);
    const job = await poll((res.body as Job).id);
    assert.equal(job.status, 'completed', JSON.stringify(job));
    const other = await t.another();
    const again = await request(other).get(`/api/sync/status/${job.id}`).set(t.as.viewer);
    assert.equal(again.status, 200, again.text);
    const seen = again.body as Job;
    assert.deepEqual(seen.runs.map((r) => [r.plugin, r.run_id, r.status]), job.runs.map((r) => [r.plugin, r.run_id, r.status]), 'both runs of the job, not only the first');
    assert.equal(seen.status, 'completed');
    assert.deepEqual(seen.devices, job.devices);
    // The second run's id names the same job.
    const bySecond = await request(other).get(`/api/sync/status/${job.runs[1]!.run_id}`).set(t.as.viewer);
    assert.equal((bySecond.body as Job).id, job.id);
    const history = await request(other).get('/api/sync/history').set(t.as.viewer);
    assert.deepEqual((history.body as { items: { id: number }[] }).items.slice(0, 2).map((r) => r.id), job.runs.map((r) => r.run_id).reverse());
  });

  test('a job whose instance stopped before its next run started says so instead of running forever', async () => {
    const res = await request(t.app).post('/api/sync/trigger').set(t.as.editor).send({ source: 'all' });
    const job = await poll((res.body as Job).id);
    // As the run table looks when the process died between the two runs: the first run over, the second never started.
    const stored = JSON.parse(((await t.db('import_runs').where({ id: job.id }).first()) as { sync_job: string }).sync_job) as { done: boolean; runs: { run_id: number | null; status: string }[] };
    stored.done = false;
    Object.assign(stored.runs[1]!, { run_id: null, status: 'pending' });
    await t.db('import_runs').where({ id: job.id }).update({ sync_job: JSON.stringify(stored), instance_id: 'gone-host:4242:abcd', heartbeat_at: '2020-01-01 00:00:00' });
    await t.db('import_runs').where({ id: job.runs[1]!.run_id! }).update({ sync_job_id: null });
    const seen = (await request(await t.another()).get(`/api/sync/status/${job.id}`).set(t.as.viewer)).body as Job;
    assert.equal(seen.status, 'failed', JSON.stringify(seen));
    assert.equal(seen.runs[1]!.status, 'interrupted');
    assert.match(seen.runs[1]!.error!, /the instance running the job stopped/);
  });

  test('a failing source marks the job failed with its message; the other source still runs', async () => {
    await request(t.app).post('/connectors/configs').set(t.as.editor).send({ name: 'broken librenms', plugin: 'librenms', options: { url: lnms.url, token: 'not-the-token' } });
    const res = await request(t.app).post('/api/sync/trigger').set(t.as.editor).send({ source: 'librenms' });
    assert.equal(res.status, 202, res.text);
    const job = await poll((res.body as Job).id);
    assert.equal(job.status, 'failed');
    const broken = job.runs.find((r) => r.status === 'failed')!;
    assert.match(broken.error!, /LibreNMS at .* refused the credentials/);
    assert.ok(job.runs.some((r) => r.status === 'succeeded'));
  });

  test('VMI: POST /api/sync/nutanix runs the Nutanix configuration; /api/sync/vmware without one is 422', async () => {
    await config('prism', 'nutanix', { url: ntnx.url, username: 'admin', password: 'Nutanix/4u' });
    const res = await request(t.app).post('/api/sync/nutanix').set(t.as.editor);
    assert.equal(res.status, 202, res.text);
    const job = await poll((res.body as Job).id);
    assert.equal(job.status, 'completed', JSON.stringify(job));
    assert.equal(job.devices.create, 6, '5 VMs and their host');
    const vmware = await request(t.app).post('/api/sync/vmware').set(t.as.editor);
    assert.equal(vmware.status, 422);
    assert.match(vmware.text, /no saved connector configuration for vcenter/);
  });
});
