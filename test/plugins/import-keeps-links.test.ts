/**
 * The reproductions, through the surfaces a user runs them from: a CSV import over the API
 * (what Data Ops and `ipocket import` call) and the connector CLI. A record changes an IP's
 * project or host only when it names one; a run that leaves them alone must not unlink them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { connectorCommand } from '../../src/cli/connector.js';
import { startFakePrometheus, vectorOf, type FakePrometheus } from '../fakes/prometheus.js';
import { servicesFor } from '../helpers/services.js';
import { buildPluginTestApp, type PluginTestApp } from './helpers/app.js';

describe('imports and connectors keep host and project links they do not name', () => {
  let t: PluginTestApp;
  let prom: FakePrometheus;
  let hostId: number;
  let projectId: number;
  before(async () => {
    t = await buildPluginTestApp();
    prom = await startFakePrometheus(vectorOf(['10.20.0.12:9100']));
    const s = servicesFor(t.db);
    hostId = (await s.hosts.create({ name: 'web-01' })).id;
    projectId = (await s.projects.create({ name: 'web-prod' })).id;
    await s.assets.create({ ip_address: '10.20.0.11', type: 'OS', host_id: hostId, project_id: projectId });
    await s.assets.create({ ip_address: '10.20.0.12', type: 'OS', host_id: hostId, project_id: projectId, tags: ['prod'] });
  });
  after(async () => {
    await prom.close();
    await t.cleanup();
  });

  test('POST /import/csv with an empty host_name and project_name: the dry run shows only the notes; the apply keeps host and project', async () => {
    const csv = (dryRun: boolean) =>
      request(t.app)
        .post(`/import/csv${dryRun ? '?dry_run=1' : ''}`)
        .set(t.as.editor)
        .attach('ip_assets', Buffer.from('ip_address,type,project_name,host_name,notes,archived\n10.20.0.11,OS,,,hello,False\n'), 'ip-assets.csv');
    const dry = await csv(true);
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assert.deepEqual(dry.body.changes.map((c: { key: string; changes: unknown }) => [c.key, c.changes]), [['10.20.0.11', [{ field: 'notes', before: null, after: 'hello' }]]]);
    const applied = await csv(false);
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.equal(applied.body.applied, true);
    const asset = await request(t.app).get('/ip-assets/10.20.0.11');
    assert.deepEqual([asset.body.host_id, asset.body.project_id, asset.body.notes], [hostId, projectId, 'hello']);
  });

  test('ipocket connector prometheus --apply that only merges tags keeps host and project', async () => {
    const saved = { log: console.log, error: console.error, table: console.table };
    const lines: string[] = [];
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    console.error = console.log;
    console.table = (d: unknown) => void lines.push(JSON.stringify(d));
    let code: number;
    try {
      code = await connectorCommand(t.db, 'k'.repeat(40), ['prometheus', '--apply', '--url', prom.url]);
    } finally {
      Object.assign(console, saved);
    }
    assert.equal(code, 0, lines.join('\n'));
    const asset = await request(t.app).get('/ip-assets/10.20.0.12');
    assert.deepEqual([asset.body.host_id, asset.body.project_id, asset.body.tags], [hostId, projectId, ['prod', 'prometheus']]);
  });
});
