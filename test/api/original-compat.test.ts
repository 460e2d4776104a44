/**
 * The wire differences a client of the original ipocket noticed (issue 17), each checked the way
 * the original answers: status, body text, CSV cells, audit rows, metrics, static templates.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { servicesFor } from '../helpers/services.js';
import { buildPluginTestApp, inventoryCounts, type PluginTestApp } from '../plugins/helpers/app.js';
import { download } from '../plugins/helpers/http.js';

const NMAP_XML = readFileSync(new URL('../../plugins/nmap/fixtures/nmap-sn-127.0.0.0-30.xml', import.meta.url));

describe('compatibility with the original ipocket', () => {
  let t: PluginTestApp;
  before(async () => {
    t = await buildPluginTestApp({ IPOCKET_MAX_UPLOAD_MB: String(2000 / (1024 * 1024)) });
  });
  after(() => t.cleanup());

  const ed = (): { Authorization: string } => t.as.editor;
  const csv = (files: Record<string, string>, dryRun = false) => {
    let r = request(t.app).post(`/import/csv${dryRun ? '?dry_run=1' : ''}`).set(ed());
    for (const [field, body] of Object.entries(files)) r = r.attach(field, Buffer.from(body), field === 'hosts' ? 'hosts.csv' : 'ip-assets.csv');
    return r;
  };
  const bundle = (doc: unknown, dryRun = false) =>
    request(t.app)
      .post(`/import/bundle${dryRun ? '?dry_run=1' : ''}`)
      .set(ed())
      .attach('file', Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)), 'bundle.json');

  test('unknown host_id / project_id / vendor_id answer 422 with the original\'s string detail', async () => {
    const project = await request(t.app).post('/projects').set(ed()).send({ name: 'refs' });
    const host = await request(t.app).post('/hosts').set(ed()).send({ name: 'refs-host' });
    await request(t.app).post('/ip-assets').set(ed()).send({ ip_address: '10.170.0.1', type: 'VM' });
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['post', '/ip-assets', { ip_address: '10.170.0.2', type: 'VM', host_id: 9999 }, 'Host not found.'],
      ['post', '/ip-assets', { ip_address: '10.170.0.2', type: 'VM', project_id: 9999 }, 'Project not found.'],
      ['patch', '/ip-assets/10.170.0.1', { host_id: 9999 }, 'Host not found.'],
      ['patch', '/ip-assets/10.170.0.1', { project_id: 9999 }, 'Project not found.'],
      ['post', '/hosts', { name: 'refs-2', vendor_id: 9999 }, 'Selected vendor does not exist.'],
      ['patch', `/hosts/${host.body.id}`, { vendor_id: 9999 }, 'Selected vendor does not exist.'],
    ];
    for (const [method, path, body, detail] of cases) {
      const res = await (method === 'post' ? request(t.app).post(path) : request(t.app).patch(path)).set(ed()).send(body);
      assert.deepEqual([res.status, res.body], [422, { detail }], `${method} ${path} ${JSON.stringify(body)}`);
    }
    // Known references still work.
    const ok = await request(t.app).post('/ip-assets').set(ed()).send({ ip_address: '10.170.0.3', type: 'VM', project_id: project.body.id, host_id: host.body.id });
    assert.equal(ok.status, 200, ok.text);
  });

  test('a duplicate address answers 409 "IP address already exists."', async () => {
    await request(t.app).post('/ip-assets').set(ed()).send({ ip_address: '10.171.0.1', type: 'VM' });
    const res = await request(t.app).post('/ip-assets').set(ed()).send({ ip_address: '10.171.0.1', type: 'OS' });
    assert.deepEqual([res.status, res.body], [409, { detail: 'IP address already exists.' }]);
  });

  test('an upload over the cap answers 413 "Uploaded file exceeds maximum size of N bytes."', async () => {
    const cap = t.config.maxUploadBytes;
    const res = await request(t.app).post('/import/bundle').set(ed()).attach('file', Buffer.alloc(cap + 10, 0x20), 'bundle.json');
    assert.deepEqual([res.status, res.body], [413, { detail: `Uploaded file exceeds maximum size of ${cap} bytes.` }]);
  });

  test('CSV import creates the projects it names (hosts.csv project_name,os_ip,bmc_ip and ip-assets.csv)', async () => {
    const res = await csv({
      hosts: 'name,notes,vendor_name,project_name,os_ip,bmc_ip\nnode-c1,,HPE,Core,10.172.0.11,10.172.0.12\n',
      ip_assets: 'ip_address,type,project_name,host_name,notes,archived\n10.172.0.20,VM,Edge,node-c1,web,false\n',
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.errors, []);
    assert.deepEqual(res.body.summary.projects, { would_create: 2, would_update: 0, would_skip: 0 });
    const projects = (await request(t.app).get('/projects')).body as { name: string; id: number }[];
    const core = projects.find((p) => p.name === 'Core');
    const edge = projects.find((p) => p.name === 'Edge');
    assert.ok(core && edge, JSON.stringify(projects));
    assert.equal((await request(t.app).get('/ip-assets/10.172.0.11')).body.project_id, core.id);
    assert.equal((await request(t.app).get('/ip-assets/10.172.0.20')).body.project_id, edge.id);
  });

  test('an empty optional CSV part is ignored', async () => {
    const res = await csv({ hosts: '', ip_assets: 'ip_address,type,project_name,host_name,notes,archived\n10.173.0.1,VM,,,,false\n' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.errors, []);
    assert.equal((await request(t.app).get('/ip-assets/10.173.0.1')).status, 200);
    // Nothing at all is still refused, as the original does.
    const none = await csv({ hosts: '', ip_assets: '' });
    assert.deepEqual([none.status, none.body.detail], [400, 'CSV import requires at least one file.']);
  });

  test('a bundle that is not JSON answers 200 with the error, and nothing is written', async () => {
    const before = await inventoryCounts(t.db);
    const res = await bundle('{"app":"ipocket","schema_version":"1","data":{"ip_a');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.errors.map((e: { message: string; level: string }) => [e.message, e.level]),
      [['Invalid JSON payload.', 'error']],
    );
    assert.equal(res.body.summary.total.would_create, 0);
    assert.deepEqual(await inventoryCounts(t.db), before);
  });

  test('rows failing validation answer 200 listing every problem of each record, with the original\'s messages; nothing written', async () => {
    const before = await inventoryCounts(t.db);
    const doc = {
      app: 'ipocket',
      schema_version: '1',
      data: {
        vendors: [{ name: '' }],
        projects: [{ name: '', color: 'blue' }],
        hosts: [{ name: 'h-bad', vendor_name: 'NoSuchVendor' }],
        ip_assets: [
          { ip_address: '10.174.0.1', type: 'VM' },
          { ip_address: '10.174.0.300', type: 'ROUTER', project_name: 'ghost', host_name: 'nobody' },
        ],
      },
    };
    const res = await bundle(doc);
    assert.equal(res.status, 200, res.text);
    const got = (res.body.errors as { location: string; message: string }[]).map((e) => `${e.location}: ${e.message}`).sort();
    assert.deepEqual(got, [
      'data.hosts[0].vendor_name: Vendor does not exist.',
      'data.ip_assets[1].host_name: Host does not exist.',
      'data.ip_assets[1].ip_address: Invalid IP address.',
      'data.ip_assets[1].project_name: Project does not exist.',
      'data.ip_assets[1].type: Invalid asset type. Use OS, BMC, VM, VIP, OTHER.',
      'data.projects[0].color: Color must be a hex value like #1a2b3c.',
      'data.projects[0]: Project name is required.',
      'data.vendors[0]: Vendor name is required.',
    ]);
    assert.equal(res.body.applied, false);
    assert.deepEqual(await inventoryCounts(t.db), before);
  });

  test('an applied import writes one APPLY audit entry on IMPORT_RUN labelled api_import_bundle / api_import_csv, with input=<file>', async () => {
    const doc = { app: 'ipocket', schema_version: '1', data: { ip_assets: [{ ip_address: '10.175.0.1', type: 'VM' }] } };
    assert.equal((await bundle(doc)).status, 200);
    assert.equal((await csv({ ip_assets: 'ip_address,type\n10.175.0.2,VM\n' })).status, 200);
    const rows = (await t.db('audit_log').where({ target_type: 'IMPORT_RUN' }).orderBy('id')) as { action: string; target_label: string; changes: string }[];
    const bundleRun = rows.filter((r) => r.target_label === 'api_import_bundle').at(-1);
    const csvRun = rows.filter((r) => r.target_label === 'api_import_csv').at(-1);
    assert.ok(bundleRun && csvRun, JSON.stringify(rows));
    assert.equal(bundleRun.action, 'APPLY');
    assert.equal(csvRun.action, 'APPLY');
    assert.match(bundleRun.changes, /input=bundle\.json; create=1; update=0; skip=0; warnings=0; errors=0\./);
    assert.match(csvRun.changes, /input=ip-assets\.csv;/);
    // A dry run writes none.
    const count = rows.length;
    await bundle(doc, true);
    assert.equal((await t.db('audit_log').where({ target_type: 'IMPORT_RUN' })).length, count);
  });

  test('exports: archived is True/False in ip-assets.csv; a host\'s project is the alphabetically first among its active IPs', async () => {
    const s = servicesFor(t.db);
    const zeta = await s.projects.create({ name: 'zeta' });
    const alpha = await s.projects.create({ name: 'alpha' });
    const host = await s.hosts.create({ name: 'exp-host' });
    await s.assets.create({ ip_address: '10.176.0.1', type: 'OS', host_id: host.id, project_id: zeta.id });
    await s.assets.create({ ip_address: '10.176.0.2', type: 'OTHER', host_id: host.id });
    await s.assets.create({ ip_address: '10.176.0.3', type: 'BMC', host_id: host.id, project_id: alpha.id });
    await s.assets.create({ ip_address: '10.176.0.9', type: 'VM' });
    await s.assets.archive('10.176.0.9');
    const assets = (await download(t.app, t.as.viewer, '/export/ip-assets.csv?include_archived=1')).body.toString('utf8').split('\n');
    assert.ok(assets.some((l) => l.startsWith('10.176.0.1,') && l.includes(',False,')), assets.join('\n'));
    assert.ok(assets.some((l) => l.startsWith('10.176.0.9,') && l.includes(',True,')), assets.join('\n'));
    const hosts = (await download(t.app, t.as.viewer, '/export/hosts.csv')).body.toString('utf8').split('\n');
    assert.ok(hosts.includes('exp-host,,,alpha,10.176.0.1,10.176.0.3'), hosts.join('\n'));
    const doc = JSON.parse((await download(t.app, t.as.viewer, '/export/bundle.json')).body.toString('utf8')) as { data: { hosts: { name: string; project_name: string | null }[] } };
    assert.equal(doc.data.hosts.find((h) => h.name === 'exp-host')?.project_name, 'alpha');
  });

  test('/metrics also carries ipam_ip_unassigned_owner_total and ipam_ip_unassigned_both_total, always 0', async () => {
    const text = (await request(t.app).get('/metrics')).text;
    assert.match(text, /^ipam_ip_unassigned_owner_total 0$/m);
    assert.match(text, /^ipam_ip_unassigned_both_total 0$/m);
  });

  test('Nmap: a new address gets the note "Discovered via nmap upload at <ISO time>"', async () => {
    const res = await request(t.app).post('/import/nmap').set(ed()).attach('file', NMAP_XML, 'scan.xml');
    assert.equal(res.status, 200, res.text);
    const asset = await request(t.app).get('/ip-assets/127.0.0.1');
    assert.match(asset.body.notes, /^Discovered via nmap upload at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00(\n|$)/);
  });

  test('/static/samples/hosts.csv and ip-assets.csv are the CSV templates, and they import cleanly', async () => {
    const hosts = await request(t.app).get('/static/samples/hosts.csv');
    const assets = await request(t.app).get('/static/samples/ip-assets.csv');
    assert.equal(hosts.status, 200);
    assert.equal(assets.status, 200);
    assert.match(String(hosts.headers['content-type']), /text\/csv/);
    assert.equal(hosts.text.split('\n')[0], 'name,notes,vendor_name,project_name,os_ip,bmc_ip');
    assert.equal(assets.text.split('\n')[0], 'ip_address,type,project_name,host_name,notes,archived');
    const preview = await csv({ hosts: hosts.text, ip_assets: assets.text }, true);
    assert.equal(preview.status, 200);
    assert.deepEqual(preview.body.errors, []);
    assert.ok(preview.body.summary.ip_assets.would_create > 0);
  });
});
