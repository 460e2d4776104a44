/**
 * Hosts are devices: an import or connector run that creates or changes hosts writes their
 * device history naming the run (and the plugin as its source); an unchanged re-run writes none.
 * Through the real HTTP API and the vCenter connector against the fake vCenter, on both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { vcenterPlugin } from '../../plugins/vcenter/index.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { buildTestApp, type TestApp } from '../api/app.js';
import { startFakeVcenter } from '../fakes/vcenter.js';
import { DIALECT } from '../helpers/db.js';
import { EDITOR } from '../helpers/services.js';

type Change = { device_id: number; device_name: string; run_id: number | null; source: string | null; field: string; old_value: string | null; new_value: string | null; changed_by: string | null };

describe(`device history of import and connector runs (${DIALECT})`, () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  const importHosts = async (csv: string): Promise<number> => {
    const res = await request(t.app).post('/import/csv').set(t.as.editor).attach('hosts', Buffer.from(csv), 'hosts.csv');
    assert.equal(res.status, 200, res.text);
    return res.body.run_id as number;
  };
  const runChanges = async (runId: number): Promise<{ count: number; items: Change[] }> => {
    const run = await request(t.app).get(`/sync-runs/${runId}`).set(t.as.viewer);
    assert.equal(run.status, 200, run.text);
    const page = await request(t.app).get(`/sync-runs/${runId}/changes`).set(t.as.viewer);
    assert.equal(page.status, 200, page.text);
    return { count: run.body.device_changes as number, items: (page.body as { items: Change[] }).items };
  };
  const pick = (c: Change) => [c.device_name, c.field, c.old_value, c.new_value, c.source, c.changed_by];

  test('a CSV import that creates hosts writes one "created" row per host naming the run; an unchanged re-run writes none; a change writes its fields', async () => {
    const csv = 'name,notes,vendor_name\nrack-a-01,first rack,Dell\nrack-a-02,,\n';
    const first = await importHosts(csv);
    const created = await runChanges(first);
    assert.equal(created.count, 2);
    assert.deepEqual(created.items.map(pick).sort(), [['rack-a-01', 'device', null, 'created', 'csv', 'editor1'], ['rack-a-02', 'device', null, 'created', 'csv', 'editor1']]);
    assert.ok(created.items.every((c) => c.run_id === first));
    // The device page's History tab reads the same rows.
    const device = created.items.find((c) => c.device_name === 'rack-a-01')!.device_id;
    const history = await request(t.app).get(`/devices/${device}/history`).set(t.as.viewer);
    assert.deepEqual((history.body as { items: Change[] }).items.map((c) => [c.field, c.run_id]), [['device', first]]);

    const again = await importHosts(csv);
    assert.deepEqual(await runChanges(again), { count: 0, items: [] }, 'an unchanged re-run writes no history');

    const changed = await importHosts('name,notes,vendor_name\nrack-a-01,moved to row B,HPE\n');
    const rows = await runChanges(changed);
    assert.deepEqual(rows.items.map(pick).sort(), [['rack-a-01', 'notes', 'first rack', 'moved to row B', 'csv', 'editor1'], ['rack-a-01', 'vendor', 'Dell', 'HPE', 'csv', 'editor1']]);
    assert.ok(rows.items.every((c) => c.run_id === changed));

    // The Device changes page's filters: by field and by user, newest first.
    const byField = await request(t.app).get('/device-changes').query({ field: 'vendor', changed_by: 'editor1' }).set(t.as.viewer);
    assert.equal(byField.status, 200, byField.text);
    assert.deepEqual((byField.body as { items: Change[] }).items.map(pick), [['rack-a-01', 'vendor', 'Dell', 'HPE', 'csv', 'editor1']]);
    const nobody = await request(t.app).get('/device-changes').query({ changed_by: 'someone-else' }).set(t.as.viewer);
    assert.deepEqual([nobody.body.total, nobody.body.items], [0, []]);
    const bad = await request(t.app).get('/device-changes').query({ changed_by: '' }).set(t.as.viewer);
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.detail.map((d: { loc: string[] }) => d.loc.join('.')), ['query.changed_by']);
  });

  test('a dry-run writes no history', async () => {
    const res = await request(t.app).post('/import/csv?dry_run=1').set(t.as.editor).attach('hosts', Buffer.from('name\nrack-dry-01\n'), 'hosts.csv');
    assert.equal(res.status, 200, res.text);
    const all = await request(t.app).get('/device-changes').set(t.as.viewer);
    assert.ok(!(all.body as { items: Change[] }).items.some((c) => c.device_name === 'rack-dry-01'));
  });

  test('a vCenter run that creates ESXi hosts names the run in their history; re-running it unchanged writes none', async () => {
    const fake = await startFakeVcenter({ hosts: [{ host: 'host-10', name: '198.51.100.11' }, { host: 'host-11', name: 'esx02.lab.example' }], vms: [{ vm: 'vm-42', name: 'web-01', host: 'host-10', power_state: 'POWERED_ON', tools: true, ips: ['192.0.2.42'] }] });
    try {
      const run = () => runPlugin(t.db, EDITOR, { plugin: vcenterPlugin, input: { files: [] }, options: { url: fake.url, username: 'administrator@vsphere.local', password: 'VMware1!' }, dryRun: false });
      const out = await run();
      assert.equal(out.status, 'succeeded', out.error?.message);
      const rows = await runChanges(out.runId);
      assert.deepEqual(rows.items.map(pick).sort(), [['198.51.100.11', 'device', null, 'created', 'vcenter', 'tester'], ['esx02.lab.example', 'device', null, 'created', 'vcenter', 'tester']]);
      const again = await run();
      assert.equal(again.status, 'succeeded', again.error?.message);
      assert.deepEqual(await runChanges(again.runId), { count: 0, items: [] });
    } finally {
      await fake.close();
    }
  });
});
