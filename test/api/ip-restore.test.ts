/** Restoring archived IPs: POST /ip-assets/{ip}/restore, bulk restore, and the add-again choice (if_archived). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { buildTestApp, type TestApp } from './app.js';

describe('restoring archived IP assets', () => {
  let t: TestApp;
  let ed: { Authorization: string };
  let projectId: number;
  let hostId: number;
  before(async () => {
    t = await buildTestApp();
    ed = t.as.editor;
    projectId = (await request(t.app).post('/projects').set(ed).send({ name: 'web-prod' })).body.id;
    hostId = (await request(t.app).post('/hosts').set(ed).send({ name: 'web-01' })).body.id;
  });
  after(() => t.cleanup());

  /** An archived OS address with a project, host, tags and notes. */
  const archivedAsset = async (ip: string) => {
    const res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: ip, type: 'OS', project_id: projectId, host_id: hostId, tags: ['prod', 'web'], notes: 'front end' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await request(t.app).post(`/ip-assets/${ip}/archive`).set(ed)).status, 204);
    return res.body as { id: number };
  };
  const auditOf = async (id: number) => (await request(t.app).get(`/audit?target_type=IP_ASSET&target_id=${id}`).set(t.as.viewer)).body as { action: string; changes: string; username: string }[];

  test('POST /ip-assets/{ip}/restore brings the row back with its project, host, tags, notes and history, audited', async () => {
    const created = await archivedAsset('10.0.0.5');
    const res = await request(t.app).post('/ip-assets/10.0.0.5/restore').set(ed);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      [res.body.id, res.body.archived, res.body.type, res.body.project_id, res.body.host_id, res.body.tags, res.body.notes],
      [created.id, false, 'OS', projectId, hostId, ['prod', 'web'], 'front end'],
    );
    assert.equal((await request(t.app).get('/ip-assets/10.0.0.5')).status, 200, 'active again');
    const audit = await auditOf(created.id);
    assert.equal(audit.length, 3, 'create, archive and restore on the same row');
    assert.equal(audit[0]!.action, 'UPDATE');
    assert.match(audit[0]!.changes, /archived: true → false/);
    assert.equal(audit[0]!.username, 'editor1');
  });

  test('restore answers 409 for an active address, 404 for an unknown one, 400 for a bad one; only editors may', async () => {
    let res = await request(t.app).post('/ip-assets/10.0.0.5/restore').set(ed);
    assert.equal(res.status, 409);
    assert.match(res.body.detail, /10\.0\.0\.5 is not archived/);
    res = await request(t.app).post('/ip-assets/10.9.9.9/restore').set(ed);
    assert.equal(res.status, 404);
    assert.equal((await request(t.app).post('/ip-assets/nope/restore').set(ed)).status, 400);
    await archivedAsset('10.0.0.6');
    assert.equal((await request(t.app).post('/ip-assets/10.0.0.6/restore')).status, 401);
    assert.equal((await request(t.app).post('/ip-assets/10.0.0.6/restore').set(t.as.viewer)).status, 403);
    assert.equal((await request(t.app).post('/ip-assets/10.0.0.6/restore').set(t.as.superuser)).status, 403);
    const archived = await request(t.app).get('/ip-assets?archived=archived').set(t.as.viewer);
    assert.deepEqual(archived.body.map((a: { ip_address: string }) => a.ip_address), ['10.0.0.6'], 'refused restores change nothing');
  });

  test('the restore route is in the OpenAPI document', async () => {
    const doc = (await request(t.app).get('/openapi.json')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const op = doc.paths['/ip-assets/{ip}/restore']?.post;
    assert.ok(op, 'POST /ip-assets/{ip}/restore is documented');
    for (const status of ['200', '404', '409']) assert.ok(op.responses[status], `documents ${status}`);
  });

  test('adding an archived address with if_archived=conflict answers 409 with the archived record and writes nothing', async () => {
    const created = await archivedAsset('10.0.0.7');
    const res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.7', type: 'VM', tags: [], if_archived: 'conflict' });
    assert.equal(res.status, 409);
    assert.equal(res.body.detail, 'IP address 10.0.0.7 is archived.');
    assert.deepEqual(
      [res.body.archived_asset.id, res.body.archived_asset.archived, res.body.archived_asset.project_id, res.body.archived_asset.tags, res.body.archived_asset.notes],
      [created.id, true, projectId, ['prod', 'web'], 'front end'],
    );
    const again = await request(t.app).get('/ip-assets?archived=archived').set(t.as.viewer);
    const row = (again.body as { ip_address: string; type: string; tags: string[] }[]).find((a) => a.ip_address === '10.0.0.7')!;
    assert.deepEqual([row.type, row.tags], ['OS', ['prod', 'web']]);
    assert.equal((await auditOf(created.id)).length, 2, 'no audit entry for the refused add');
    const bad = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.7', type: 'VM', if_archived: 'maybe' });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.detail[0].loc, ['body', 'if_archived']);
  });

  test('adding an archived address without if_archived keeps the original behaviour: the row is restored, overwritten, tags kept unless sent', async () => {
    const created = await archivedAsset('10.0.0.8');
    const res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.8', type: 'VM', notes: 'typed' });
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.id, res.body.archived, res.body.type, res.body.project_id, res.body.host_id, res.body.notes, res.body.tags], [created.id, false, 'VM', null, null, 'typed', ['prod', 'web']]);
    await request(t.app).post('/ip-assets/10.0.0.8/archive').set(ed);
    const over = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.8', type: 'OS', tags: ['lab'], if_archived: 'overwrite' });
    assert.deepEqual([over.status, over.body.id, over.body.archived, over.body.tags], [200, created.id, false, ['lab']]);
  });

  test('bulk restore (archived: false) restores the selected archived rows in one request, one audit entry each', async () => {
    const a = await archivedAsset('10.0.1.1');
    const b = await archivedAsset('10.0.1.2');
    const active = (await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.1.3', type: 'VM' })).body as { id: number };
    const res = await request(t.app).post('/ip-assets/bulk').set(ed).send({ asset_ids: [a.id, b.id, active.id], archived: false });
    assert.deepEqual([res.status, res.body], [200, { updated: 2, unchanged: 1 }]);
    for (const ip of ['10.0.1.1', '10.0.1.2']) {
      const got = await request(t.app).get(`/ip-assets/${ip}`);
      assert.deepEqual([got.status, got.body.project_id, got.body.host_id, got.body.tags], [200, projectId, hostId, ['prod', 'web']]);
    }
    assert.equal((await auditOf(a.id))[0]!.action, 'UPDATE');
    assert.equal((await auditOf(active.id)).length, 1, 'the active row was not touched');
    const viewer = await request(t.app).post('/ip-assets/bulk').set(t.as.viewer).send({ asset_ids: [a.id], archived: true });
    assert.equal(viewer.status, 403);
  });
});
