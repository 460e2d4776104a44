import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { parseAddress } from '../../src/domain/ip/address.js';
import { buildTestApp, type TestApp } from './app.js';

describe('/ip-assets', () => {
  let t: TestApp;
  let ed: { Authorization: string };
  let projectId: number;
  before(async () => {
    t = await buildTestApp();
    ed = t.as.editor;
    projectId = (await request(t.app).post('/projects').set(ed).send({ name: 'core' })).body.id;
  });
  after(() => t.cleanup());

  test('POST creates an asset and answers the original record shape (200)', async () => {
    const res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.1', type: 'vm', project_id: projectId, notes: 'web', tags: 'Prod, web' });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['archived', 'created_at', 'host_id', 'id', 'ip_address', 'last_seen_at', 'notes', 'project_id', 'tags', 'type', 'updated_at']);
    assert.equal(res.body.type, 'VM');
    assert.deepEqual(res.body.tags, ['prod', 'web']);
    assert.match(res.body.created_at, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  test('POST errors: bad IP 400, duplicate 409, unknown project 422, missing type 422, bad type 422', async () => {
    let res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.300', type: 'VM' });
    assert.deepEqual([res.status, res.body], [400, { detail: 'Invalid IP address.' }]);
    res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.1', type: 'VM' });
    assert.equal(res.status, 409);
    assert.match(res.body.detail, /already exists/);
    res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.2', type: 'VM', project_id: 999 });
    assert.deepEqual([res.status, res.body], [422, { detail: 'Project not found.' }], 'the original\'s string detail');
    res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.2' });
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.detail[0].loc, ['body', 'type']);
    res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.2', type: 'ROUTER' });
    assert.equal(res.status, 422);
  });

  test('a BMC without host gets server_<ip>; IPMI_iLO is an alias of BMC', async () => {
    const res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.1.5', type: 'IPMI_iLO' });
    assert.equal(res.body.type, 'BMC');
    const host = await request(t.app).get(`/hosts/${res.body.host_id}`);
    assert.equal(host.body.name, 'server_10.0.1.5');
    assert.equal(host.body.linked_assets.bmc[0].ip_address, '10.0.1.5');
  });

  test('GET one by any spelling; 404 when missing or archived; 400 when not an address', async () => {
    assert.equal((await request(t.app).get('/ip-assets/::ffff:10.0.0.1')).body.ip_address, '10.0.0.1');
    assert.equal((await request(t.app).get('/ip-assets/10.9.9.9')).status, 404);
    assert.equal((await request(t.app).get('/ip-assets/not-an-ip')).status, 400);
    await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.50', type: 'VM' });
    assert.equal((await request(t.app).post('/ip-assets/10.0.0.50/archive').set(ed)).status, 204);
    assert.equal((await request(t.app).post('/ip-assets/10.0.0.50/archive').set(ed)).status, 204, 'archive is idempotent');
    assert.equal((await request(t.app).get('/ip-assets/10.0.0.50')).status, 404);
    assert.equal((await request(t.app).post('/ip-assets/10.9.9.9/archive').set(ed)).status, 404);
  });

  test('creating an address that exists only archived restores the row, keeping tags unless sent', async () => {
    await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.60', type: 'VM', tags: ['keep'] });
    await request(t.app).post('/ip-assets/10.0.0.60/archive').set(ed);
    const res = await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.0.60', type: 'OS', notes: 'back' });
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.archived, res.body.type, res.body.notes, res.body.tags], [false, 'OS', 'back', ['keep']]);
  });

  test('PATCH changes only the fields sent; null clears; tags replace; 404 and 422', async () => {
    let res = await request(t.app).patch('/ip-assets/10.0.0.1').set(ed).send({ notes: 'changed' });
    assert.deepEqual([res.status, res.body.notes, res.body.project_id, res.body.tags], [200, 'changed', projectId, ['prod', 'web']]);
    res = await request(t.app).patch('/ip-assets/10.0.0.1').set(ed).send({ project_id: null, tags: ['x'] });
    assert.deepEqual([res.body.project_id, res.body.tags], [null, ['x']]);
    assert.equal((await request(t.app).patch('/ip-assets/10.9.9.9').set(ed).send({ notes: 'x' })).status, 404);
    res = await request(t.app).patch('/ip-assets/10.0.0.1').set(ed).send({ ip_address: '10.0.0.2' });
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.detail[0].loc, ['body', 'ip_address']);
    res = await request(t.app).patch('/ip-assets/10.0.0.1').set(ed).send({ project_id: 'seven' });
    assert.deepEqual([res.status, res.body.detail[0].loc], [422, ['body', 'project_id']]);
  });

  test('DELETE removes permanently (204), then 404', async () => {
    await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '2001:db8::dead', type: 'VIP' });
    assert.equal((await request(t.app).delete('/ip-assets/2001:DB8:0::DEAD').set(ed)).status, 204);
    assert.equal((await request(t.app).delete('/ip-assets/2001:db8::dead').set(ed)).status, 404);
  });

  test('POST /ip-assets/bulk applies one change to many; unknown ids 422', async () => {
    const a = (await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.2.1', type: 'VM' })).body;
    const b = (await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.0.2.2', type: 'VM', project_id: projectId })).body;
    const res = await request(t.app).post('/ip-assets/bulk').set(ed).send({ asset_ids: [a.id, b.id], project_id: projectId, add_tags: ['bulk'] });
    assert.deepEqual([res.status, res.body], [200, { updated: 2, unchanged: 0 }]);
    assert.deepEqual((await request(t.app).get('/ip-assets/10.0.2.1')).body.tags, ['bulk']);
    const bad = await request(t.app).post('/ip-assets/bulk').set(ed).send({ asset_ids: [a.id, 999999] });
    assert.deepEqual([bad.status, bad.body.detail[0].loc], [422, ['body', 'asset_ids']]);
  });
});

describe('GET /ip-assets lists', () => {
  let t: TestApp;
  let p1: number;
  let p2: number;
  before(async () => {
    t = await buildTestApp();
    const ed = t.as.editor;
    p1 = (await request(t.app).post('/projects').set(ed).send({ name: 'alpha' })).body.id;
    p2 = (await request(t.app).post('/projects').set(ed).send({ name: 'beta' })).body.id;
    const rows: [string, string, number | null, string[]][] = [
      ['10.1.0.2', 'VM', p1, ['prod', 'web']],
      ['10.1.0.10', 'OS', p1, ['prod']],
      ['10.1.0.3', 'VM', p2, ['web']],
      ['10.1.0.4', 'VIP', null, []],
      ['2001:db8::5', 'OTHER', null, ['prod']],
    ];
    for (const [ip, type, project_id, tags] of rows) await request(t.app).post('/ip-assets').set(ed).send({ ip_address: ip, type, project_id, tags, notes: `note for ${ip}` });
    await request(t.app).post('/ip-assets').set(ed).send({ ip_address: '10.1.0.99', type: 'VM', project_id: p1 });
    await request(t.app).post('/ip-assets/10.1.0.99/archive').set(ed);
  });
  after(() => t.cleanup());

  const ips = (body: { ip_address: string }[]): string[] => body.map((a) => a.ip_address);

  test('without limit: every active asset in numeric order as an array, with X-Total-Count', async () => {
    const res = await request(t.app).get('/ip-assets');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /application\/json/);
    assert.deepEqual(ips(res.body), ['10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.10', '2001:db8::5']);
    assert.equal(res.headers['x-total-count'], '5');
  });

  test('the original filters: project_id, type, unassigned-only', async () => {
    assert.deepEqual(ips((await request(t.app).get(`/ip-assets?project_id=${p1}`)).body), ['10.1.0.2', '10.1.0.10']);
    assert.deepEqual(ips((await request(t.app).get('/ip-assets?type=VM')).body), ['10.1.0.2', '10.1.0.3']);
    assert.deepEqual(ips((await request(t.app).get('/ip-assets?unassigned-only=true')).body), ['10.1.0.4', '2001:db8::5']);
    assert.deepEqual(ips((await request(t.app).get('/ip-assets?project_id=unassigned')).body), ['10.1.0.4', '2001:db8::5']);
  });

  test('the panel filters: type repeated or comma-separated, archived, tags any/all/not, q, project name', async () => {
    assert.deepEqual(ips((await request(t.app).get('/ip-assets?type=VM&type=VIP')).body), ['10.1.0.2', '10.1.0.3', '10.1.0.4']);
    assert.deepEqual(ips((await request(t.app).get('/ip-assets?type=vm,vip')).body), ['10.1.0.2', '10.1.0.3', '10.1.0.4']);
    assert.deepEqual(ips((await request(t.app).get('/ip-assets?archived=archived')).body), ['10.1.0.99']);
    assert.deepEqual(ips((await request(t.app).get('/ip-assets?archived-only=1')).body), ['10.1.0.99']);
    assert.equal((await request(t.app).get('/ip-assets?archived=all')).body.length, 6);
    assert.deepEqual(ips((await request(t.app).get('/ip-assets?tags=prod,web&tag_match=all')).body), ['10.1.0.2']);
    assert.deepEqual(ips((await request(t.app).get('/ip-assets?tags=web')).body), ['10.1.0.2', '10.1.0.3']);
    assert.deepEqual(ips((await request(t.app).get('/ip-assets?tags=prod&tag_match=not')).body), ['10.1.0.3', '10.1.0.4']);
    assert.deepEqual(ips((await request(t.app).get('/ip-assets?q=note for 10.1.0.1')).body), ['10.1.0.10']);
    assert.deepEqual(ips((await request(t.app).get('/ip-assets?project=beta')).body), ['10.1.0.3']);
    assert.deepEqual((await request(t.app).get('/ip-assets?project=nope')).body, []);
  });

  test('limit/offset give one page with X-Total-Count and Link headers', async () => {
    const res = await request(t.app).get('/ip-assets?limit=2&offset=2');
    assert.deepEqual(ips(res.body), ['10.1.0.4', '10.1.0.10']);
    assert.equal(res.headers['x-total-count'], '5');
    const link = String(res.headers.link);
    assert.match(link, /<\/ip-assets\?limit=2&offset=0>; rel="first"/);
    assert.match(link, /<\/ip-assets\?limit=2&offset=0>; rel="prev"/);
    assert.match(link, /<\/ip-assets\?limit=2&offset=4>; rel="next"/);
    assert.match(link, /<\/ip-assets\?limit=2&offset=4>; rel="last"/);
    const filtered = await request(t.app).get(`/ip-assets?limit=1&project_id=${p1}`);
    assert.equal(filtered.headers['x-total-count'], '2');
    assert.match(String(filtered.headers.link), new RegExp(`limit=1&project_id=${p1}&offset=1>; rel="next"`));
  });

  test('bad list parameters answer 422 naming the parameter', async () => {
    for (const [qs, field] of [['limit=0', 'limit'], ['limit=abc', 'limit'], ['offset=-1', 'offset'], ['type=ROUTER', 'type'], ['project_id=x', 'project_id'], ['tag_match=some', 'tag_match']]) {
      const res = await request(t.app).get(`/ip-assets?${qs}`);
      assert.equal(res.status, 422, qs);
      assert.equal(res.body.detail[0].loc[1], field, qs);
    }
  });

  test('a list longer than one batch streams completely, in order', async () => {
    const now = '2026-01-01 00:00:00';
    const rows = Array.from({ length: 2100 }, (_, i) => {
      const p = parseAddress(`10.50.${Math.floor(i / 250)}.${(i % 250) + 1}`);
      return { ip_address: p.address, ip_version: p.version, ip_key: p.key, type: 'VM', project_id: p2, archived: false, created_at: now, updated_at: now };
    });
    for (let i = 0; i < rows.length; i += 200) await t.db('ip_assets').insert(rows.slice(i, i + 200));
    const res = await request(t.app).get(`/ip-assets?project_id=${p2}`);
    assert.equal(res.body.length, 2101);
    assert.equal(res.headers['x-total-count'], '2101');
    assert.equal(res.body[0].ip_address, '10.1.0.3');
    assert.equal(res.body[2100].ip_address, '10.50.8.100');
    const offset = await request(t.app).get(`/ip-assets?project_id=${p2}&offset=1500`);
    assert.equal(offset.body.length, 601);
  });
  test('GET /ip-assets/{ip} adds seen_by (extra key); /seen-by answers for an archived address too, 404 for an unknown one', async () => {
    const { z } = await import('zod');
    const { definePlugin } = await import('../../src/plugins/define-plugin.js');
    const { emptyBatch } = await import('../../src/plugins/batch.js');
    const { runPlugin } = await import('../../src/plugins/runner.js');
    const plugin = definePlugin({ name: 'nmap', title: 'Nmap', kind: 'importer', options: z.object({}), collect: async () => ({ ...emptyBatch('scan.xml'), ip_assets: [{ loc: 'host 1', ip_address: '10.77.0.1', type: 'OS' }] }) });
    const out = await runPlugin(t.db, { userId: null, username: 'tester', role: 'editor' }, { plugin, input: { files: [] }, options: {}, dryRun: false });
    assert.equal(out.applied, true);
    const res = await request(t.app).get('/ip-assets/10.77.0.1');
    assert.equal(res.status, 200);
    assert.equal(res.body.seen_by.length, 1);
    const [seen] = res.body.seen_by;
    assert.deepEqual(Object.keys(seen).sort(), ['config', 'config_id', 'first_run_id', 'first_seen_at', 'last_seen_at', 'run_id', 'source']);
    assert.deepEqual([seen.source, seen.config, seen.config_id, seen.run_id, seen.first_run_id], ['nmap', 'manual import', null, out.runId, out.runId]);
    assert.equal((await request(t.app).post('/ip-assets/10.77.0.1/archive').set(t.as.editor)).status, 204);
    assert.equal((await request(t.app).get('/ip-assets/10.77.0.1')).status, 404);
    const archived = await request(t.app).get('/ip-assets/10.77.0.1/seen-by');
    assert.equal(archived.status, 200);
    assert.deepEqual(archived.body, res.body.seen_by);
    assert.equal((await request(t.app).get('/ip-assets/10.77.0.2/seen-by')).status, 404);
    assert.equal((await request(t.app).get('/ip-assets/10.77.0.300/seen-by')).status, 400);
  });
});
