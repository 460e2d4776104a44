/** Bundle import/export over HTTP: round-trip, compat with the original's bundle, ZIPs, limits, permissions. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import JSZip from 'jszip';
import request from 'supertest';
import { servicesFor } from '../helpers/services.js';
import { buildPluginTestApp, inventoryCounts, type PluginTestApp } from './helpers/app.js';
import { download, stableBundle } from './helpers/http.js';

async function seed(t: PluginTestApp): Promise<void> {
  const s = servicesFor(t.db);
  const dell = await s.vendors.create({ name: 'Dell' });
  await s.vendors.create({ name: 'Unused Vendor' });
  const core = await s.projects.create({ name: 'core', description: 'Core network', color: '#1e40af' });
  await s.projects.create({ name: 'lab', color: '#abcdef' });
  await s.tags.create({ name: 'prod', color: '#ff0000' });
  await s.tags.create({ name: 'lonely', color: '#00ff00' });
  const host = await s.hosts.create({ name: 'srv-01', notes: 'rack 4, U12', vendor_id: dell.id, project_id: core.id, os_ip: '10.0.0.10', bmc_ip: '10.0.1.10' });
  await s.hosts.create({ name: 'bare-host' });
  await s.assets.update('10.0.0.10', { tags: ['prod', 'web'], notes: '=HYPERLINK("http://x")' });
  await s.assets.create({ ip_address: '10.0.0.11', type: 'VM', project_id: core.id, notes: 'multi\nline, "quoted"', tags: ['prod'] });
  await s.assets.create({ ip_address: '2001:db8::5', type: 'VIP', notes: 'ünïcode ✓' });
  await s.assets.create({ ip_address: '192.168.1.9', type: 'OTHER', notes: '-negative', host_id: host.id });
  await s.assets.create({ ip_address: '10.0.0.99', type: 'VM', tags: ['old'] });
  await s.assets.archive('10.0.0.99');
  await s.ranges.create({ name: 'servers', cidr: '10.0.0.0/24', notes: 'main' });
  await s.ranges.create({ name: 'v6', cidr: '2001:db8::/64' });
}

describe('bundle import and export', () => {
  let a: PluginTestApp;
  let b: PluginTestApp;
  before(async () => {
    a = await buildPluginTestApp();
    b = await buildPluginTestApp();
    await seed(a);
  });
  after(async () => {
    await a.cleanup();
    await b.cleanup();
  });

  test('round-trip: export → import into an empty database → export again is identical', async () => {
    const first = await download(a.app, a.as.viewer, '/export/bundle.json?include_archived=1');
    assert.equal(first.status, 200);
    assert.match(first.type, /application\/json/);
    const doc = JSON.parse(first.body.toString()) as { schema_version: string; data: Record<string, unknown[]> };
    assert.equal(doc.schema_version, '1');
    assert.deepEqual(Object.keys(doc.data), ['vendors', 'projects', 'hosts', 'ip_assets', 'tags', 'ranges']);

    const res = await request(b.app).post('/import/bundle').set(b.as.editor).attach('file', first.body, 'bundle.json');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.applied, true);
    assert.deepEqual(res.body.errors, []);
    assert.equal(res.body.summary.ip_assets.would_create, 6);

    const second = await download(b.app, b.as.viewer, '/export/bundle.json?include_archived=1');
    assert.deepEqual(stableBundle(second.body), stableBundle(first.body));
    for (const f of ['ip-assets.csv', 'hosts.csv', 'projects.csv', 'vendors.csv', 'tags.csv', 'ranges.csv', 'ip-assets.json', 'hosts.json']) {
      const x = await download(a.app, a.as.viewer, `/export/${f}?include_archived=1`);
      const y = await download(b.app, b.as.viewer, `/export/${f}?include_archived=1`);
      assert.equal(y.body.toString(), x.body.toString(), f);
    }
    // Host links survive (the original drops them).
    const host = (await b.db('hosts').where({ name: 'srv-01' }).first()) as { id: number };
    const detail = await servicesFor(b.db).hosts.get(host.id);
    assert.deepEqual(detail.linked_assets, { os: ['10.0.0.10'], bmc: ['10.0.1.10'], other: ['192.168.1.9'] });
    assert.equal(detail.vendor, 'Dell');
  });

  test('re-importing the same bundle changes nothing (all SKIP)', async () => {
    const body = (await download(a.app, a.as.viewer, '/export/bundle.json?include_archived=1')).body;
    const before = await inventoryCounts(b.db);
    const res = await request(b.app).post('/import/bundle').set(b.as.editor).attach('file', body, 'bundle.json');
    assert.equal(res.status, 200);
    assert.equal(res.body.summary.total.would_create, 0);
    assert.equal(res.body.summary.total.would_update, 0);
    const after = await inventoryCounts(b.db);
    assert.equal(after.ip_assets, before.ip_assets);
    assert.equal(after.audit_log, before.audit_log! + 1, 'one IMPORT_RUN entry');
  });

  test('bundle.zip holds bundle.json and every CSV, and imports', async () => {
    const zipped = await download(a.app, a.as.viewer, '/export/bundle.zip?include_archived=1');
    assert.equal(zipped.status, 200);
    assert.equal(zipped.type, 'application/zip');
    const zip = await JSZip.loadAsync(zipped.body);
    assert.deepEqual(Object.keys(zip.files).sort(), ['bundle.json', 'hosts.csv', 'ip-assets.csv', 'projects.csv', 'ranges.csv', 'tags.csv', 'vendors.csv']);
    const res = await request(b.app).post('/import/bundle?dry_run=1').set(b.as.viewer).attach('file', zipped.body, 'bundle.zip');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.summary.total.would_create, 0);
    assert.equal(res.body.summary.total.would_update, 0);
  });

  test('a bundle as the original exports it is accepted (with its per-asset flags)', async () => {
    const original = {
      app: 'ipocket',
      schema_version: '1',
      exported_at: '2026-07-01T10:00:00+00:00',
      data: {
        vendors: [{ name: 'HPE' }],
        projects: [{ name: 'payments', description: null, color: '#94a3b8' }],
        hosts: [{ name: 'pay-01', notes: null, vendor_name: 'HPE', project_name: 'payments', os_ip: '172.16.0.1', bmc_ip: '172.16.1.1' }],
        ip_assets: [
          { ip_address: '172.16.0.1', type: 'OS', project_name: 'payments', host_name: 'pay-01', notes: null, archived: false, created_at: '2026-06-30 09:00:00', updated_at: '2026-06-30 09:00:00', tags: [] },
          { ip_address: '172.16.1.1', type: 'IPMI_iLO', project_name: 'payments', host_name: 'pay-01', notes: 'ilo', archived: false, created_at: '2026-06-30 09:00:00', updated_at: '2026-06-30 09:00:00', tags: ['Mgmt'] },
          { ip_address: '10.0.0.11', type: 'OS', project_name: null, host_name: null, notes: 'from original', archived: false, created_at: '2026-06-30 09:00:00', updated_at: '2026-06-30 09:00:00', tags: ['imported'], preserve_existing_notes: true, preserve_existing_type: true, merge_tags: true },
        ],
      },
    };
    const res = await request(a.app).post('/import/bundle').set(a.as.editor).attach('file', Buffer.from(JSON.stringify(original)), 'ipocket-bundle.json');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body.summary).filter((k) => ['vendors', 'projects', 'hosts', 'ip_assets', 'total'].includes(k)).length, 5);
    assert.deepEqual(res.body.summary.ip_assets, { would_create: 2, would_update: 1, would_skip: 0 });
    const s = servicesFor(a.db);
    const bmc = await s.assets.getByAddress('172.16.1.1');
    assert.equal(bmc.type, 'BMC');
    assert.deepEqual(bmc.tags, ['mgmt']);
    const kept = await s.assets.getByAddress('10.0.0.11');
    assert.equal(kept.type, 'VM', 'preserve_existing_type');
    assert.equal(kept.notes, 'multi\nline, "quoted"', 'preserve_existing_notes');
    assert.deepEqual(kept.tags, ['imported', 'prod'], 'merge_tags');
  });

  test('malformed bundles answer 200 with their errors (the original\'s contract) and write nothing', async () => {
    const before = await inventoryCounts(a.db);
    const post = (body: Buffer, name = 'bundle.json') => request(a.app).post('/import/bundle').set(a.as.editor).attach('file', body, name);
    const firstError = (r: request.Response): string => `${r.status} ${r.body.errors?.[0]?.location}: ${r.body.errors?.[0]?.message}`;
    let res = await post(Buffer.from(JSON.stringify({ app: 'ipocket', schema_version: '2', data: {} })));
    assert.equal(firstError(res), `200 schema_version: Unsupported schema_version (expected '1'), got "2".`);
    res = await post(Buffer.from('{"app":"ipocket","schema_version":"1","data":{"ip_assets":[{"ip_'));
    assert.equal(firstError(res), '200 bundle.json: Invalid JSON payload.');
    res = await post(Buffer.from(JSON.stringify({ hello: 'world' })));
    assert.match(firstError(res), /^200 bundle\.json: not an ipocket bundle/);
    const bad = { app: 'ipocket', schema_version: '1', data: { ip_assets: [{ ip_address: '10.9.9.1', type: 'VM' }, { ip_address: 'not-an-ip', type: 'VM' }, { ip_address: '10.9.9.2', type: 'VM', host_name: 42 }, { ip_address: '10.9.9.3', project_name: 'missing' }] } };
    res = await post(Buffer.from(JSON.stringify(bad)));
    assert.deepEqual([res.status, res.body.applied], [200, false]);
    assert.deepEqual(
      res.body.errors.map((e: { location: string }) => e.location),
      ['data.ip_assets[2].host_name', 'data.ip_assets[1].ip_address', 'data.ip_assets[3].project_name'],
    );
    assert.equal(res.body.errors[0].level, 'error');
    // The same with dry_run=1 is a 200 preview listing the errors.
    res = await request(a.app).post('/import/bundle?dry_run=1').set(a.as.viewer).attach('file', Buffer.from(JSON.stringify(bad)), 'bundle.json');
    assert.equal(res.status, 200);
    assert.equal(res.body.errors.length, 3);
    // A truncated ZIP.
    const zipped = (await download(a.app, a.as.viewer, '/export/bundle.zip')).body;
    res = await post(zipped.subarray(0, Math.floor(zipped.length / 2)), 'bundle.zip');
    assert.match(firstError(res), /^200 .*not a readable ZIP/);
    assert.deepEqual(await inventoryCounts(a.db), before);
  });

  test('zip bombs and oversized uploads are refused with 413', async () => {
    const before = await inventoryCounts(a.db);
    const bomb = new JSZip();
    bomb.file('bundle.json', Buffer.alloc(6 * 1024 * 1024, 0x20));
    const bombZip = await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    assert.ok(bombZip.length < 100_000);
    process.env.IPOCKET_IMPORT_ZIP_MAX_BYTES = String(1024 * 1024);
    try {
      const res = await request(a.app).post('/import/bundle').set(a.as.editor).attach('file', bombZip, 'bundle.zip');
      assert.equal(res.status, 413);
      assert.match(res.body.detail, /expands to more than/);
    } finally {
      delete process.env.IPOCKET_IMPORT_ZIP_MAX_BYTES;
    }
    const many = new JSZip();
    for (let i = 0; i < 40; i++) many.file(`f${i}.csv`, 'name\nx\n');
    const res2 = await request(a.app).post('/import/bundle').set(a.as.editor).attach('file', await many.generateAsync({ type: 'nodebuffer' }), 'bundle.zip');
    assert.equal(res2.status, 413);
    assert.match(res2.body.detail, /40 entries/);
    const big = Buffer.alloc(11 * 1024 * 1024, 0x20);
    const res3 = await request(a.app).post('/import/bundle').set(a.as.editor).attach('file', big, 'bundle.json');
    assert.equal(res3.status, 413);
    assert.equal(res3.body.detail, `Uploaded file exceeds maximum size of ${10 * 1024 * 1024} bytes.`);
    assert.deepEqual(await inventoryCounts(a.db), before);
  });

  test('a row cap refuses huge inputs with 413', async () => {
    process.env.IPOCKET_IMPORT_MAX_ROWS = '3';
    try {
      const doc = { app: 'ipocket', schema_version: '1', data: { vendors: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }] } };
      const res = await request(a.app).post('/import/bundle?dry_run=1').set(a.as.viewer).attach('file', Buffer.from(JSON.stringify(doc)), 'bundle.json');
      assert.equal(res.status, 413);
      assert.match(res.body.detail, /limit is 3/);
    } finally {
      delete process.env.IPOCKET_IMPORT_MAX_ROWS;
    }
  });

  test('who may do what: anonymous 401, viewer dry-run only, editor applies', async () => {
    const body = Buffer.from(JSON.stringify({ app: 'ipocket', schema_version: '1', data: { vendors: [{ name: 'Perm Vendor' }] } }));
    assert.equal((await request(a.app).post('/import/bundle?dry_run=1').attach('file', body, 'b.json')).status, 401);
    assert.equal((await request(a.app).post('/import/bundle?dry_run=1').set(a.as.viewer).attach('file', body, 'b.json')).status, 200);
    const denied = await request(a.app).post('/import/bundle').set(a.as.viewer).attach('file', body, 'b.json');
    assert.equal(denied.status, 403);
    assert.equal((await request(a.app).post('/import/bundle').set(a.as.superuser).attach('file', body, 'b.json')).status, 403);
    assert.equal(await a.db('vendors').where({ name: 'Perm Vendor' }).first(), undefined);
    assert.equal((await request(a.app).get('/export/bundle.json')).status, 401);
    assert.equal((await request(a.app).post('/import/nosuch?dry_run=1').set(a.as.viewer).attach('file', body, 'b.json')).status, 404);
  });

  test('runs are listed and shown with their log', async () => {
    const list = await request(a.app).get('/import/runs?plugin=bundle').set(a.as.viewer);
    assert.equal(list.status, 200);
    assert.ok(Number(list.headers['x-total-count']) >= 3);
    const run = list.body[0];
    const detail = await request(a.app).get(`/import/runs/${run.id}`).set(a.as.viewer);
    assert.equal(detail.status, 200);
    assert.ok(Array.isArray(detail.body.log) && detail.body.log.length > 0);
    assert.equal((await request(a.app).get('/import/runs')).status, 401);
    assert.equal((await request(a.app).get('/import/runs/999999').set(a.as.viewer)).status, 404);
    const plugins = await request(a.app).get('/import/plugins').set(a.as.viewer);
    const names = plugins.body.map((p: { name: string }) => p.name);
    for (const n of ['bundle', 'csv', 'nmap']) assert.ok(names.includes(n), n);
    assert.ok(plugins.body.find((p: { name: string }) => p.name === 'bundle').options.properties.merge_tags);
  });

  test('exports take the list filters and stream CSV safe from formula injection', async () => {
    const vms = JSON.parse((await download(a.app, a.as.viewer, '/export/ip-assets.json?type=VM')).body.toString()) as { ip_address: string }[];
    assert.deepEqual(vms.map((r) => r.ip_address), ['10.0.0.11']);
    const withArchived = JSON.parse((await download(a.app, a.as.viewer, '/export/ip-assets.json?type=VM&include_archived=1')).body.toString()) as { ip_address: string }[];
    assert.deepEqual(withArchived.map((r) => r.ip_address), ['10.0.0.11', '10.0.0.99']);
    const byHost = JSON.parse((await download(a.app, a.as.viewer, '/export/ip-assets.json?host=srv-01')).body.toString()) as { ip_address: string }[];
    assert.deepEqual(byHost.map((r) => r.ip_address), ['10.0.0.10', '10.0.1.10', '192.168.1.9']);
    const byProject = JSON.parse((await download(a.app, a.as.viewer, '/export/ip-assets.json?project=lab')).body.toString()) as unknown[];
    assert.deepEqual(byProject, []);
    const csv = (await download(a.app, a.as.viewer, '/export/ip-assets.csv')).body.toString();
    assert.match(csv, /^ip_address,type,project_name,host_name,tags,notes,archived,created_at,updated_at,last_seen_at\n/, "the original's columns in order, last_seen_at appended");
    assert.ok(csv.includes(`"'=HYPERLINK(""http://x"")"`), csv);
    assert.ok(csv.includes(",'-negative,"));
    assert.equal((await request(a.app).get('/export/ip-assets.json?type=ROUTER').set(a.as.viewer)).status, 422);
    assert.equal((await request(a.app).get('/export/bundle.csv').set(a.as.viewer)).status, 404);
  });
});
