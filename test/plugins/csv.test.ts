/** CSV import (the original's /import/csv with hosts and ip_assets files) and its per-row errors. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { servicesFor } from '../helpers/services.js';
import { buildPluginTestApp, inventoryCounts, type PluginTestApp } from './helpers/app.js';
import { download } from './helpers/http.js';

const HOSTS = `name,notes,vendor_name,project_name,os_ip,bmc_ip
db-01,primary,Supermicro,core,10.20.0.1,10.20.1.1
db-02,,Supermicro,,10.20.0.2,
`;
const ASSETS = `ip_address,type,project_name,host_name,tags,notes,archived,created_at,updated_at
10.20.0.1,OS,core,db-01,"prod, db",main database,false,2026-01-01 00:00:00,2026-01-02 00:00:00
10.20.0.50,VM,core,,web,"has, comma",false,,
2001:db8:20::1,VIP,,,,,true,,
`;

describe('CSV import', () => {
  let t: PluginTestApp;
  before(async () => {
    t = await buildPluginTestApp();
    await servicesFor(t.db).projects.create({ name: 'core', color: '#102030' });
  });
  after(() => t.cleanup());

  const csv = (files: Record<string, string>, dryRun = false, role: 'viewer' | 'editor' = 'editor') => {
    let r = request(t.app).post(`/import/csv${dryRun ? '?dry_run=1' : ''}`).set(t.as[role]);
    for (const [field, body] of Object.entries(files)) r = r.attach(field, Buffer.from(body), field === 'hosts' ? 'hosts.csv' : field === 'ip_assets' ? 'ip-assets.csv' : `${field}.csv`);
    return r;
  };

  test('hosts.csv and ip-assets.csv import together: OS/BMC links, vendors, tags, archived', async () => {
    const preview = await csv({ hosts: HOSTS, ip_assets: ASSETS }, true, 'viewer');
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.deepEqual(preview.body.summary.hosts, { would_create: 2, would_update: 0, would_skip: 0 });
    assert.deepEqual(preview.body.summary.vendors, { would_create: 1, would_update: 0, would_skip: 0 });
    assert.deepEqual(preview.body.summary.ip_assets, { would_create: 5, would_update: 0, would_skip: 0 });
    const res = await csv({ hosts: HOSTS, ip_assets: ASSETS });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const s = servicesFor(t.db);
    const db1 = await s.hosts.get(((await t.db('hosts').where({ name: 'db-01' }).first()) as { id: number }).id);
    assert.deepEqual(db1.linked_assets, { os: ['10.20.0.1'], bmc: ['10.20.1.1'], other: [] });
    assert.equal(db1.vendor, 'Supermicro');
    const main = await s.assets.getByAddress('10.20.0.1');
    assert.deepEqual([main.tags, main.notes, main.created_at], [['db', 'prod'], 'main database', '2026-01-01 00:00:00']);
    assert.equal((await s.assets.getByAddress('10.20.1.1')).project_id, main.project_id, 'BMC from hosts.csv gets the host project');
    assert.equal((await s.assets.getByAddress('2001:db8:20::1')).archived, true);
    assert.equal((await s.assets.getByAddress('10.20.0.50')).notes, 'has, comma');
  });

  test('exported CSVs import back unchanged (formula guard included)', async () => {
    await servicesFor(t.db).assets.update('10.20.0.50', { notes: '=1+2' });
    const files: Record<string, string> = {};
    for (const [field, name] of [['projects', 'projects.csv'], ['vendors', 'vendors.csv'], ['hosts', 'hosts.csv'], ['ip_assets', 'ip-assets.csv']]) {
      files[field!] = (await download(t.app, t.as.viewer, `/export/${name}?include_archived=1`)).body.toString();
    }
    assert.ok(files.ip_assets!.includes(",'=1+2,"));
    const res = await csv(files, true, 'viewer');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.summary.total.would_create, 0);
    assert.equal(res.body.summary.total.would_update, 0, JSON.stringify(res.body.changes));
  });

  test('broken rows give per-row errors with line numbers; nothing is written', async () => {
    const before = await inventoryCounts(t.db);
    const broken = `ip_address,type,project_name,host_name,tags,notes,archived,created_at,updated_at
10.30.0.1,VM,,,,,false,,
10.30.0.999,VM,,,,,false,,
10.30.0.3,SWITCH,,,,,false,,
10.30.0.4,VM,nowhere,,,,false,,
10.30.0.6,VM,,,bad tag!,,false,,
10.30.0.7,VM,,,,,maybe,,
10.30.0.8,VM,,
`;
    const res = await csv({ ip_assets: broken });
    // The original's contract: 200 with the errors, nothing written.
    assert.equal(res.status, 200);
    assert.equal(res.body.applied, false);
    const got = res.body.errors.map((e: { location: string; message: string }) => `${e.location}: ${e.message}`);
    assert.ok(got.some((e: string) => e === 'ip-assets.csv:line 3 (ip_address): Invalid IP address.'), got.join('\n'));
    assert.ok(got.some((e: string) => e === 'ip-assets.csv:line 4 (type): Invalid asset type. Use OS, BMC, VM, VIP, OTHER.'), got.join('\n'));
    assert.ok(!got.some((e: string) => e.startsWith('ip-assets.csv:line 5')), 'a project the CSV names is created, not an error');
    assert.ok(got.some((e: string) => e.startsWith('ip-assets.csv:line 6 (tags): invalid tag name')), got.join('\n'));
    assert.ok(got.some((e: string) => e.startsWith('ip-assets.csv:line 7 (archived)')), got.join('\n'));
    assert.ok(got.some((e: string) => e === 'ip-assets.csv:line 8: expected 9 columns, got 4'), got.join('\n'));
    assert.equal(got.length, 5);
    assert.deepEqual(await inventoryCounts(t.db), before);
  });

  test('broken quoting is an error at the line where it starts; nothing is written', async () => {
    const before = await inventoryCounts(t.db);
    const res = await csv({ ip_assets: 'ip_address,type,notes\n10.32.0.1,VM,ok\n10.32.0.2,VM,"broken "quote\n10.32.0.3,VM,fine\n' });
    assert.deepEqual([res.status, res.body.applied], [200, false]);
    assert.equal(res.body.errors[0].location, 'ip-assets.csv:line 3');
    assert.match(res.body.errors[0].message, /unreadable row: Invalid Closing Quote/);
    assert.deepEqual(await inventoryCounts(t.db), before);
  });

  test('an unclosed quote at the end is reported on its line', async () => {
    const res = await csv({ ip_assets: 'ip_address,type\n10.31.0.1,VM\n10.31.0.2,"VM\n' });
    assert.deepEqual([res.status, res.body.applied], [200, false]);
    assert.match(res.body.errors[0].location, /^ip-assets\.csv:line \d+$/);
    assert.match(res.body.errors[0].message, /unreadable row: Quote Not Closed/);
  });

  test('wrong headers are refused (200 with the error, as the original) naming the expected header', async () => {
    const before = await inventoryCounts(t.db);
    const res = await csv({ ip_assets: 'address_of_ip,kind\n10.40.0.1,VM\n' });
    assert.deepEqual([res.status, res.body.applied], [200, false]);
    assert.match(res.body.errors[0].message, /missing column\(s\) ip_address/);
    const res2 = await request(t.app).post('/import/csv').set(t.as.editor).attach('file', Buffer.from('foo,bar\n1,2\n'), 'data.csv');
    assert.equal(res2.status, 200);
    assert.match(res2.body.errors[0].message, /cannot tell which table/);
    const res3 = await request(t.app).post('/import/csv').set(t.as.editor);
    assert.equal(res3.status, 400, 'no file at all is a 400, as the original');
    assert.deepEqual(await inventoryCounts(t.db), before);
  });

  test('hosts.csv with a bad os_ip is a per-row error', async () => {
    const res = await csv({ hosts: 'name,os_ip\nweb-9,10.1.2\n' }, true, 'viewer');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.errors, [{ location: 'hosts.csv:line 2 (os_ip)', message: 'Invalid IP address.', level: 'error' }]);
  });
});
