/**
 * REST /devices, /owners, /custom-fields, /sync-runs on the real app (issue 14): what a client
 * sees (status, body, headers), on SQLite and on PostgreSQL (TEST_DATABASE_URL).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { DevicesService } from '../../src/services/devices/index.js';
import type { FactRecordInput } from '../../src/services/devices/schemas.js';
import { ImportRunsService } from '../../src/services/import-runs.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

type Body = Record<string, unknown>;
/** What vCenter reports of one VM (each sync sends the whole record again). */
const WEB: FactRecordInput = {
  external_id: 'vm-1', name: 'vm-web', kind: 'vm', platform: 'vmware', os_type: 'Ubuntu Linux (64-bit)', os_family: 'linux', power_state: 'poweredOn',
  uuid: '4210AAAA-0000-0000-0000-000000000001', memory_mb: 4096, nics: [{ mac: '00:50:56:00:00:01', network_name: 'vlan-100', ips: ['10.9.0.5'] }],
};
const names = (res: request.Response): string[] => ((res.body as { items: { name: string }[] }).items).map((d) => d.name);

describe(`REST /devices (${DIALECT})`, () => {
  let t: TestApp;
  let sync: DevicesService;
  let runs: ImportRunsService;
  let ownerId = 0;
  let web = 0;
  let runId = 0;
  before(async () => {
    t = await buildTestApp();
    sync = new DevicesService({ db: t.db, actor: SYSTEM_ACTOR });
    runs = new ImportRunsService({ db: t.db, actor: SYSTEM_ACTOR });
    const owner = await request(t.app).post('/owners').set(t.as.editor).send({ full_name: 'Tess Tech', email: 'Tess@Example.com', department: 'Infra' });
    assert.equal(owner.status, 201, owner.text);
    ownerId = (owner.body as { id: number }).id;
    const cf = await request(t.app).post('/custom-fields').set(t.as.superuser).send({ key: 'cost_center', label: 'Cost center', type: 'text' });
    assert.equal(cf.status, 201, cf.text);
    const created = await request(t.app).post('/devices').set(t.as.editor).send({ name: 'sw-core-1', kind: 'switch', serial: 'FOC123', asset_tag: 'AT-1', room_location: '2265', macs: ['00-11-22-33-44-55'], tags: ['core'] });
    assert.equal(created.status, 201, created.text);
    await request(t.app).post('/devices').set(t.as.editor).send({ name: 'tv-lobby', kind: 'smart_tv', room_location: '2266', custom_fields: { cost_center: 'CC-7' } }).expect(201);
    runId = await runs.start({ plugin: 'vcenter', source: 'vc.example', mode: 'apply', options: {} });
    const r = await sync.recordFacts('vcenter', runId, [
      WEB,
      { external_id: 'vm-2', name: 'vm-db', kind: 'vm', platform: 'vmware', os_type: 'Windows Server 2022', os_family: 'windows', power_state: 'poweredOff', memory_mb: 8192 },
    ]);
    await runs.finish(runId, { status: 'succeeded' });
    web = r.devices.find((d) => d.external_id === 'vm-1')!.device_id;
  });
  after(() => t.cleanup());

  test('GET /devices pages with X-Total-Count and Link, and sorts', async () => {
    const res = await request(t.app).get('/devices?limit=2&offset=1&sort=-name');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(names(res), ['vm-db', 'tv-lobby']);
    assert.deepEqual([(res.body as Body).total, (res.body as Body).limit, (res.body as Body).offset], [4, 2, 1]);
    assert.equal(res.headers['x-total-count'], '4');
    assert.match(String(res.headers.link), /rel="next"/);
  });

  test('the text search finds a device by name, serial, asset tag, UUID, MAC (any spelling) and IP', async () => {
    for (const [q, want] of [['sw-core', 'sw-core-1'], ['foc12', 'sw-core-1'], ['AT-1', 'sw-core-1'], ['4210aaaa', 'vm-web'], ['0011.2233.4455', 'sw-core-1'], ['00:50:56:00:00:01', 'vm-web'], ['10.9.0.5', 'vm-web']] as const) {
      const res = await request(t.app).get('/devices').query({ q });
      assert.deepEqual(names(res), [want], `q=${q}`);
    }
  });

  test('filters: kind, platform, power state, OS type/family, network, tag, source, location, custom field, not seen', async () => {
    const cases: [string, string[]][] = [
      ['kind=switch,smart_tv', ['sw-core-1', 'tv-lobby']],
      ['kind=vm&kind=switch', ['sw-core-1', 'vm-db', 'vm-web']],
      ['platform=vmware&power_state=off', ['vm-db']],
      ['os_family=linux', ['vm-web']],
      ['os_type=Windows%20Server%202022', ['vm-db']],
      ['network=vlan-100', ['vm-web']],
      ['tag=core', ['sw-core-1']],
      ['source=vcenter', ['vm-db', 'vm-web']],
      ['room_location=2266', ['tv-lobby']],
      ['custom[cost_center]=CC-7', ['tv-lobby']],
      // Devices only people typed in were never seen by a source: they count as not seen.
      ['not_seen_days=1', ['sw-core-1', 'tv-lobby']],
    ];
    for (const [qs, want] of cases) {
      const res = await request(t.app).get(`/devices?${qs}`);
      assert.equal(res.status, 200, `${qs}: ${res.text}`);
      assert.deepEqual(names(res), want, qs);
    }
  });

  test('a bad filter is a 422 naming the query field, never a 500', async () => {
    const res = await request(t.app).get('/devices?kind=toaster&limit=0');
    assert.equal(res.status, 422);
    const locs = ((res.body as { detail: { loc: string[] }[] }).detail).map((d) => d.loc.join('.'));
    assert.ok(locs.some((l) => l.startsWith('query.kind')), locs.join());
    assert.ok(locs.includes('query.limit'), locs.join());
  });

  test('GET /devices/{id}: effective values with their origin, facts per source, IPs and history', async () => {
    const res = await request(t.app).get(`/devices/${web}`);
    assert.equal(res.status, 200, res.text);
    const d = res.body as { name: string; power_state: string; effective: Record<string, { value: unknown; from: string }>; facts: { source: string; external_id: string }[]; ips: { ip_address: string; source: string }[]; history: { items: { field: string; run_id: number | null }[]; total: number } };
    assert.equal(d.power_state, 'on');
    assert.deepEqual(d.effective.memory_mb, { value: 4096, from: 'vcenter' });
    assert.deepEqual(d.facts.map((f) => [f.source, f.external_id]), [['vcenter', 'vm-1']]);
    assert.deepEqual(d.ips.map((i) => [i.ip_address, i.source]), [['10.9.0.5', 'vcenter']]);
    assert.ok(d.history.total >= 1 && d.history.items.every((h) => h.run_id === runId), JSON.stringify(d.history));
    assert.equal((await request(t.app).get('/devices/987654')).status, 404);
    assert.equal((await request(t.app).get('/devices/abc')).status, 422);
  });

  test('PATCH sets manual fields, owners and overrides in one step; the override survives three syncs until cleared', async () => {
    const res = await request(t.app).patch(`/devices/${web}`).set(t.as.editor).send({ technical_owner_id: ownerId, environment: 'prod', project_name: 'billing', overrides: { memory_mb: 2048, power_state: 'off' } });
    assert.equal(res.status, 200, res.text);
    const d = res.body as { technical_owner: { email: string }; environment: string; project_id: number; memory_mb: number; power_state: string; effective: Record<string, { from: string }> };
    assert.deepEqual([d.technical_owner.email, d.environment, d.memory_mb, d.power_state, d.effective.memory_mb!.from], ['tess@example.com', 'prod', 2048, 'off', 'override']);
    assert.ok(d.project_id > 0);
    for (let i = 0; i < 3; i++) await sync.recordFacts('vcenter', null, [{ ...WEB, memory_mb: 4096 + i, power_state: 'poweredOn' }]);
    const after3 = (await request(t.app).get(`/devices/${web}`)).body as { memory_mb: number; power_state: string; facts: { fields: { memory_mb: number } }[] };
    assert.deepEqual([after3.memory_mb, after3.power_state, after3.facts[0]!.fields.memory_mb], [2048, 'off', 4098]);
    const cleared = await request(t.app).delete(`/devices/${web}/overrides/memory_mb`).set(t.as.editor);
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal((cleared.body as { memory_mb: number }).memory_mb, 4098);
    const set = await request(t.app).put(`/devices/${web}/overrides/cluster`).set(t.as.editor).send({ value: 'cl-manual' });
    assert.equal((set.body as { cluster: string }).cluster, 'cl-manual');
  });

  test('an edit with one bad part changes nothing (422 naming the field)', async () => {
    const before = (await request(t.app).get(`/devices/${web}`)).body as { notes: string | null; power_state: string };
    const res = await request(t.app).patch(`/devices/${web}`).set(t.as.editor).send({ notes: 'should not land', overrides: { vcpus: -3 } });
    assert.equal(res.status, 422, res.text);
    assert.deepEqual(((res.body as { detail: { loc: string[] }[] }).detail)[0]!.loc, ['body', 'overrides', 'vcpus']);
    const unknownField = await request(t.app).patch(`/devices/${web}`).set(t.as.editor).send({ overrides: { colour: 'red' } });
    assert.deepEqual([unknownField.status, ((unknownField.body as { detail: { loc: string[] }[] }).detail)[0]!.loc], [422, ['body', 'overrides', 'colour']]);
    const missingOwner = await request(t.app).patch(`/devices/${web}`).set(t.as.editor).send({ notes: 'should not land', overrides: { power_state: 'on' }, business_owner_id: 987654 });
    assert.equal(missingOwner.status, 422, missingOwner.text);
    const now = (await request(t.app).get(`/devices/${web}`)).body as { notes: string | null; power_state: string };
    assert.deepEqual([now.notes, now.power_state], [before.notes, before.power_state]);
  });

  test('tags are added and removed without sending the list; bulk edit assigns an owner to many, all or nothing', async () => {
    const tagged = await request(t.app).post(`/devices/${web}/tags`).set(t.as.editor).send({ add: ['Web', 'prod'], remove: ['nope'] });
    assert.deepEqual([tagged.status, (tagged.body as { tags: string[] }).tags], [200, ['prod', 'web']]);
    const untagged = await request(t.app).post(`/devices/${web}/tags`).set(t.as.editor).send({ remove: ['prod'] });
    assert.deepEqual((untagged.body as { tags: string[] }).tags, ['web']);
    const all = (await request(t.app).get('/devices?kind=vm')).body as { items: { id: number }[] };
    const ids = all.items.map((d) => d.id);
    const missing = await request(t.app).post('/devices/bulk').set(t.as.editor).send({ ids: [...ids, 987654], edit: { business_owner_id: ownerId } });
    assert.equal(missing.status, 404, missing.text);
    assert.deepEqual(names(await request(t.app).get(`/devices?business_owner_id=${ownerId}`)), []);
    const ok = await request(t.app).post('/devices/bulk').set(t.as.editor).send({ ids, edit: { business_owner_id: ownerId }, tags: { add: ['fleet'] } });
    assert.deepEqual([ok.status, ok.body], [200, { updated: 2 }]);
    assert.deepEqual(names(await request(t.app).get(`/devices?business_owner_id=${ownerId}&tag=fleet`)), ['vm-db', 'vm-web']);
    assert.deepEqual(names(await request(t.app).get(`/devices?owner_id=${ownerId}`)), ['vm-db', 'vm-web']);
  });

  test('the CSV and JSON exports hold exactly the filtered list', async () => {
    const csv = await request(t.app).get('/devices/export?kind=vm&sort=-name').set(t.as.viewer);
    assert.equal(csv.status, 200, csv.text);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const lines = csv.text.trim().split('\n');
    assert.match(lines[0]!, /^id,name,kind,platform,hostname,serial,asset_tag,macs,/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[1]), ['vm-web', 'vm-db']);
    const json = await request(t.app).get('/devices/export?format=json&room_location=2265').set(t.as.viewer);
    assert.deepEqual((json.body as { name: string }[]).map((d) => d.name), ['sw-core-1']);
    const bad = await request(t.app).get('/devices/export?format=xls').set(t.as.viewer);
    assert.equal(bad.status, 422);
    assert.equal((await request(t.app).get('/devices/export')).status, 401);
  });

  test('viewers and superusers cannot write devices (403), and nothing changes', async () => {
    for (const who of ['viewer', 'superuser'] as const) {
      const res = await request(t.app).patch(`/devices/${web}`).set(t.as[who]).send({ notes: `by ${who}` });
      assert.equal(res.status, 403, res.text);
      assert.equal((await request(t.app).post('/devices').set(t.as[who]).send({ name: `by-${who}` })).status, 403);
    }
    assert.equal(((await request(t.app).get(`/devices/${web}`)).body as { notes: string | null }).notes, null);
  });

  test('history per device, per run and "changed in the last 24 h"; archive keeps it out of the list', async () => {
    const own = await request(t.app).get(`/devices/${web}/history?limit=100`);
    const fields = ((own.body as { items: { field: string; changed_by: string | null }[] }).items).map((h) => h.field);
    assert.ok(fields.includes('technical_owner_id') && fields.includes('memory_mb'), fields.join());
    const recent = await request(t.app).get('/device-changes?since_hours=24&limit=1000');
    assert.ok((recent.body as { total: number }).total >= fields.length);
    const archived = await request(t.app).post(`/devices/${web}/archive`).set(t.as.editor).send({ reason: 'decommissioned' });
    assert.deepEqual([archived.status, (archived.body as { archived: boolean }).archived], [200, true]);
    assert.deepEqual(names(await request(t.app).get('/devices?q=vm-web')), []);
    assert.deepEqual(names(await request(t.app).get('/devices?q=vm-web&archived=include')), ['vm-web']);
    assert.equal((await request(t.app).post(`/devices/${web}/archive`).set(t.as.editor).send({})).status, 422);
    await request(t.app).post(`/devices/${web}/restore`).set(t.as.editor).expect(200);
  });
});

describe(`REST /owners, /custom-fields, /sync-runs (${DIALECT})`, () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  test('owners: create, unique email whatever its case (409), list with device counts, update, delete', async () => {
    const a = await request(t.app).post('/owners').set(t.as.editor).send({ full_name: 'Bea Business', email: 'bea@example.com', designation: 'CFO' });
    assert.equal(a.status, 201, a.text);
    const dup = await request(t.app).post('/owners').set(t.as.editor).send({ full_name: 'Other', email: 'BEA@example.com' });
    assert.equal(dup.status, 409, dup.text);
    const bad = await request(t.app).post('/owners').set(t.as.editor).send({ full_name: '', email: 'nope' });
    assert.deepEqual(((bad.body as { detail: { loc: string[] }[] }).detail).map((d) => d.loc.join('.')).sort(), ['body.email', 'body.full_name']);
    const id = (a.body as { id: number }).id;
    await request(t.app).post('/devices').set(t.as.editor).send({ name: 'ledger', business_owner_id: id }).expect(201);
    const list = await request(t.app).get('/owners?q=bea');
    assert.deepEqual(((list.body as { items: { email: string; device_count: number }[] }).items).map((o) => [o.email, o.device_count]), [['bea@example.com', 1]]);
    const upd = await request(t.app).patch(`/owners/${id}`).set(t.as.editor).send({ department: 'Finance' });
    assert.equal((upd.body as { department: string }).department, 'Finance');
    assert.equal((await request(t.app).post('/owners').set(t.as.viewer).send({ full_name: 'V', email: 'v@example.com' })).status, 403);
    await request(t.app).delete(`/owners/${id}`).set(t.as.editor).expect(204);
    assert.equal((await request(t.app).get(`/owners/${id}`)).status, 404);
  });

  test('custom fields: only a superuser defines them; values are validated by their type', async () => {
    assert.equal((await request(t.app).post('/custom-fields').set(t.as.editor).send({ key: 'rack_units', label: 'Rack units', type: 'number' })).status, 403);
    const def = await request(t.app).post('/custom-fields').set(t.as.superuser).send({ key: 'rack_units', label: 'Rack units', type: 'number', device_kind: 'server' });
    assert.equal(def.status, 201, def.text);
    const forServer = await request(t.app).get('/custom-fields?device_kind=server');
    assert.deepEqual((forServer.body as { key: string }[]).map((d) => d.key), ['rack_units']);
    assert.equal((await request(t.app).get('/custom-fields?device_kind=toaster')).status, 422);
    const dev = await request(t.app).post('/devices').set(t.as.editor).send({ name: 'srv-1', kind: 'server' });
    const bad = await request(t.app).patch(`/devices/${(dev.body as { id: number }).id}`).set(t.as.editor).send({ custom_fields: { rack_units: 'two' } });
    assert.equal(bad.status, 422, bad.text);
    assert.match(JSON.stringify(bad.body), /rack_units/);
    const ok = await request(t.app).patch(`/devices/${(dev.body as { id: number }).id}`).set(t.as.editor).send({ custom_fields: { rack_units: 2 } });
    assert.deepEqual((ok.body as { custom_fields: Body }).custom_fields, { rack_units: 2 });
    const id = (def.body as { id: number }).id;
    assert.equal((await request(t.app).patch(`/custom-fields/${id}`).set(t.as.editor).send({ label: 'RU' })).status, 403);
    assert.equal(((await request(t.app).patch(`/custom-fields/${id}`).set(t.as.superuser).send({ label: 'RU' })).body as { label: string }).label, 'RU');
    await request(t.app).delete(`/custom-fields/${id}`).set(t.as.superuser).expect(204);
  });

  test('sync runs: the list, one run with its device change count, and its changes; an unchanged re-sync writes none', async () => {
    const runs = new ImportRunsService({ db: t.db, actor: SYSTEM_ACTOR });
    const sync = new DevicesService({ db: t.db, actor: SYSTEM_ACTOR });
    const record = [{ external_id: 'n-1', name: 'ntx-vm', kind: 'vm' as const, platform: 'nutanix', memory_mb: 1024 }];
    const first = await runs.start({ plugin: 'nutanix', source: 'pc.example', mode: 'apply', options: {} });
    await sync.recordFacts('nutanix', first, record);
    await runs.finish(first, { status: 'succeeded' });
    const second = await runs.start({ plugin: 'nutanix', source: 'pc.example', mode: 'apply', options: {} });
    await sync.recordFacts('nutanix', second, record);
    await runs.finish(second, { status: 'succeeded' });
    const list = await request(t.app).get('/sync-runs?plugin=nutanix').set(t.as.viewer);
    assert.deepEqual(((list.body as { items: { id: number }[] }).items).map((r) => r.id), [second, first]);
    const one = await request(t.app).get(`/sync-runs/${first}`).set(t.as.viewer);
    assert.ok((one.body as { device_changes: number }).device_changes > 0, one.text);
    const changes = await request(t.app).get(`/sync-runs/${first}/changes`).set(t.as.viewer);
    assert.ok(((changes.body as { items: { device_name: string }[] }).items).every((c) => c.device_name === 'ntx-vm'));
    assert.equal(((await request(t.app).get(`/sync-runs/${second}`).set(t.as.viewer)).body as { device_changes: number }).device_changes, 0);
    assert.deepEqual((await request(t.app).get(`/sync-runs/${second}/changes`).set(t.as.viewer)).body, { items: [], total: 0 });
    assert.equal((await request(t.app).get('/sync-runs/987654/changes').set(t.as.viewer)).status, 404);
    assert.equal((await request(t.app).get('/sync-runs')).status, 401);
  });
});
