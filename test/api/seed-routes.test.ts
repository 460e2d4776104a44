/**
 * The seeds' own routes on the device services (issue 14): VMI /api/vms… and LAIM /api/items,
 * /api/stats take and answer their field names, on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { DevicesService } from '../../src/services/devices/index.js';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

type Vm = Record<string, unknown> & { id: number; vm_name: string };
type Item = Record<string, unknown> & { id: number; hostname: string };
const detailLocs = (res: request.Response): string[] => ((res.body as { detail: { loc: (string | number)[] }[] }).detail).map((d) => d.loc.join('.'));

describe(`VMI /api/vms (${DIALECT})`, () => {
  let t: TestApp;
  let sync: DevicesService;
  let ownerId = 0;
  const vm = (i: number, over: Record<string, unknown> = {}) => ({
    external_id: `ntx-${i}`, name: `vm-${i}`, kind: 'vm' as const, platform: 'nutanix', uuid: `5000000${i}-aaaa-bbbb-cccc-000000000000`, power_state: 'ON', cluster: 'ntx-cl-1',
    hostname: `vm-${i}.corp`, os_type: 'Linux', os_family: 'linux', vcpus: 2, memory_mb: 2048, nics: [{ mac: `50:6b:8d:00:00:0${i}`, network_name: 'prod-net', ips: [`10.50.0.${i}`] }], ...over,
  });
  before(async () => {
    t = await buildTestApp();
    sync = new DevicesService({ db: t.db, actor: SYSTEM_ACTOR });
    await sync.recordFacts('nutanix', null, [vm(1), vm(2, { power_state: 'OFF', os_family: 'windows', nics: [] })]);
    await request(t.app).post('/devices').set(t.as.editor).send({ name: 'lab-switch', kind: 'switch' }).expect(201);
    ownerId = ((await request(t.app).post('/owners').set(t.as.editor).send({ full_name: 'Olga Ops', email: 'olga@example.com' })).body as { id: number }).id;
  });
  after(() => t.cleanup());

  const list = async (qs = ''): Promise<Vm[]> => {
    const res = await request(t.app).get(`/api/vms${qs}`);
    assert.equal(res.status, 200, res.text);
    return (res.body as { items: Vm[] }).items;
  };

  test('GET /api/vms lists VMs only, in VMI\'s field names, with page/per_page', async () => {
    const res = await request(t.app).get('/api/vms?per_page=1&page=2');
    assert.equal(res.status, 200, res.text);
    const body = res.body as { items: Vm[]; total: number; page: number; per_page: number; pages: number };
    assert.deepEqual([body.total, body.page, body.per_page, body.pages, body.items.map((v) => v.vm_name)], [2, 2, 1, 2, ['vm-2']]);
    const [one] = await list('?name=vm-1');
    assert.deepEqual(
      [one!.platform, one!.vm_uuid, one!.power_state, one!.cluster_name, one!.hostname, one!.os_family, one!.total_vcpus, one!.memory_mb, one!.total_nics, one!.ip_addresses, one!.override_power_state],
      ['nutanix', '50000001-aaaa-bbbb-cccc-000000000000', 'on', 'ntx-cl-1', 'vm-1.corp', 'linux', 2, 2048, 1, ['10.50.0.1'], false],
    );
  });

  test('VMI\'s filters: IP, UUID, network, OS family, power state, platform, owner; bad ones are 422', async () => {
    assert.deepEqual((await list('?ip=10.50.0.1')).map((v) => v.vm_name), ['vm-1']);
    assert.deepEqual((await list('?uuid=50000002')).map((v) => v.vm_name), ['vm-2']);
    assert.deepEqual((await list('?network=prod-net')).map((v) => v.vm_name), ['vm-1']);
    assert.deepEqual((await list('?os_family=windows')).map((v) => v.vm_name), ['vm-2']);
    assert.deepEqual((await list('?power_state=POWERED_OFF')).map((v) => v.vm_name), ['vm-2']);
    assert.deepEqual((await list('?platform=vmware')).map((v) => v.vm_name), []);
    assert.deepEqual((await list(`?owner=${ownerId}`)).map((v) => v.vm_name), []);
    const bad = await request(t.app).get('/api/vms?per_page=0&name=a&ip=10.0.0.1');
    assert.equal(bad.status, 422);
    assert.deepEqual(detailLocs(bad).sort(), ['query.per_page', 'query.search']);
  });

  test('PUT /api/vms/:id/manual sets owners, project, manual IPs and overrides at once; they survive three syncs', async () => {
    const [one] = await list('?name=vm-1');
    const res = await request(t.app).put(`/api/vms/${one!.id}/manual`).set(t.as.editor).send({
      technical_owner_id: ownerId, business_owner_id: ownerId, project_name: 'erp', environment: 'prod', notes: 'pinned',
      override_power_state: true, manual_power_state: 'OFF', override_hostname: true, manual_hostname: 'erp-app-1', manual_ips: [{ ip_address: '192.0.2.10', is_primary: true, label: 'service' }],
    });
    assert.equal(res.status, 200, res.text);
    const v = res.body as Vm;
    assert.deepEqual(
      [v.power_state, v.override_power_state, v.manual_power_state, v.hostname, v.project_name, v.environment, (v.technical_owner as { email: string }).email, v.manual_ips],
      ['off', true, 'off', 'erp-app-1', 'erp', 'prod', 'olga@example.com', [{ ip_address: '192.0.2.10', is_primary: true, label: 'service' }]],
    );
    for (let i = 0; i < 3; i++) await sync.recordFacts('nutanix', null, [vm(1, { memory_mb: 4096 + i })]);
    const [again] = await list('?name=vm-1');
    assert.deepEqual([again!.power_state, again!.hostname, again!.memory_mb, (again!.ip_addresses as string[]).sort()], ['off', 'erp-app-1', 4098, ['10.50.0.1', '192.0.2.10']]);
    assert.deepEqual((await list(`?owner=${ownerId}`)).map((x) => x.vm_name), ['vm-1']);
    const cleared = await request(t.app).put(`/api/vms/${one!.id}/manual`).set(t.as.editor).send({ override_power_state: false });
    assert.deepEqual([(cleared.body as Vm).power_state, (cleared.body as Vm).override_power_state], ['on', false]);
  });

  test('bad manual bodies are 422 naming the field; a non-VM is 404; viewers and superusers get 403', async () => {
    const [one] = await list('?name=vm-2');
    const missing = await request(t.app).put(`/api/vms/${one!.id}/manual`).set(t.as.editor).send({ override_cluster: true });
    assert.deepEqual([missing.status, detailLocs(missing)], [422, ['body.manual_cluster_name']]);
    const unknown = await request(t.app).put(`/api/vms/${one!.id}/manual`).set(t.as.editor).send({ vm_name: 'x' });
    assert.equal(unknown.status, 422);
    const noOwner = await request(t.app).put(`/api/vms/${one!.id}/manual`).set(t.as.editor).send({ technical_owner_id: 987654, notes: 'not kept' });
    assert.deepEqual([noOwner.status, noOwner.body], [422, { detail: 'Owner not found.' }]);
    const sw = (await request(t.app).get('/devices?kind=switch')).body as { items: { id: number }[] };
    assert.equal((await request(t.app).put(`/api/vms/${sw.items[0]!.id}/manual`).set(t.as.editor).send({ notes: 'x' })).status, 404);
    for (const who of ['viewer', 'superuser'] as const) assert.equal((await request(t.app).put(`/api/vms/${one!.id}/manual`).set(t.as[who]).send({ notes: 'x' })).status, 403);
    const [after2] = await list('?name=vm-2');
    assert.equal(after2!.notes, null);
  });

  test('POST /api/vms/:id/tags adds one tag or sets the list', async () => {
    const [one] = await list('?name=vm-2');
    const added = await request(t.app).post(`/api/vms/${one!.id}/tags`).set(t.as.editor).send({ tag_value: 'Backup' });
    assert.deepEqual([added.status, (added.body as Vm).tags], [200, ['backup']]);
    await request(t.app).post(`/api/vms/${one!.id}/tags`).set(t.as.editor).send({ tag_value: 'db' });
    const set = await request(t.app).post(`/api/vms/${one!.id}/tags`).set(t.as.editor).send({ tags: ['gold'] });
    assert.deepEqual((set.body as Vm).tags, ['gold']);
    assert.equal((await request(t.app).post(`/api/vms/${one!.id}/tags`).set(t.as.editor).send({ tag_value: 'bad tag!' })).status, 422);
  });
});

describe(`LAIM /api/items, /api/stats (${DIALECT})`, () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  const create = async (body: Record<string, unknown>): Promise<Item> => {
    const res = await request(t.app).post('/api/items').set(t.as.editor).send(body);
    assert.equal(res.status, 201, res.text);
    return res.body as Item;
  };

  test('POST and GET an item in LAIM\'s field and category names', async () => {
    const item = await create({ hostname: 'LAB-LAPTOP-001', serial_number: 'PF3XYZ', mac_address: 'AA-BB-CC-00-11-22', asset_tag: 'LAB-0001', item_type: 'Laptop', room_location: '2265', sub_location: 'Desk 4', notes: 'loaner', model: 'T14', vendor: 'Lenovo', firmware_version: '1.2.3', ip_address: '10.0.5.5' });
    const got = await request(t.app).get(`/api/items/${item.id}`);
    assert.equal(got.status, 200);
    const { id: _id, created_at: _c, updated_at: _u, ...rest } = got.body as Item;
    assert.deepEqual(rest, {
      hostname: 'LAB-LAPTOP-001', serial_number: 'PF3XYZ', mac_address: 'aa:bb:cc:00:11:22', asset_tag: 'LAB-0001', item_type: 'Laptop', room_location: '2265', sub_location: 'Desk 4',
      notes: 'loaner', source: 'manual', ip_address: '10.0.5.5', model: 'T14', vendor: 'Lenovo', firmware_version: '1.2.3', last_synced_at: null,
    });
    // The same record is a device of the one model.
    const dev = (await request(t.app).get(`/devices/${item.id}`)).body as { kind: string; serial: string };
    assert.deepEqual([dev.kind, dev.serial], ['laptop', 'PF3XYZ']);
    const bad = await request(t.app).post('/api/items').set(t.as.editor).send({ hostname: '', item_type: 'Toaster', mac_address: 'nope' });
    assert.equal(bad.status, 422);
    assert.ok(['body.hostname', 'body.item_type'].every((l) => detailLocs(bad).includes(l)), detailLocs(bad).join());
    assert.equal((await request(t.app).post('/api/items').set(t.as.editor).send({ hostname: 'LAB-LAPTOP-001', item_type: 'Laptop' })).status, 409);
  });

  test('search (hostname, serial, MAC, asset tag), type chips and room filter', async () => {
    await create({ hostname: 'LAB-TV-01', item_type: 'Smart TV', room_location: '2266', asset_tag: 'LAB-0100' });
    await create({ hostname: 'LAB-SW-01', item_type: 'switch', room_location: '2266', serial_number: 'FOC999', mac_address: '00:11:22:33:44:55' });
    const hosts = async (qs: string): Promise<string[]> => {
      const res = await request(t.app).get(`/api/items${qs}`);
      assert.equal(res.status, 200, res.text);
      return (res.body as Item[]).map((i) => i.hostname);
    };
    assert.deepEqual(await hosts(''), ['LAB-LAPTOP-001', 'LAB-SW-01', 'LAB-TV-01']);
    assert.deepEqual(await hosts('?search=foc9'), ['LAB-SW-01']);
    assert.deepEqual(await hosts('?search=0011.2233.4455'), ['LAB-SW-01']);
    assert.deepEqual(await hosts('?search=lab-0100'), ['LAB-TV-01']);
    assert.deepEqual(await hosts('?item_type=Smart%20TV'), ['LAB-TV-01']);
    assert.deepEqual(await hosts('?room_location=2266&item_type=Switch'), ['LAB-SW-01']);
    assert.equal((await request(t.app).get('/api/items?item_type=Toaster')).status, 422);
  });

  test('PUT changes what it sends; the serial becomes an override a sync does not undo', async () => {
    const [sw] = (await request(t.app).get('/api/items?search=LAB-SW-01')).body as Item[];
    const res = await request(t.app).put(`/api/items/${sw!.id}`).set(t.as.editor).send({ serial_number: 'FOC1000', sub_location: 'Rack 2 U14' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([(res.body as Item).serial_number, (res.body as Item).sub_location, (res.body as Item).room_location], ['FOC1000', 'Rack 2 U14', '2266']);
    const sync = new DevicesService({ db: t.db, actor: SYSTEM_ACTOR });
    await sync.recordFacts('librenms', null, [{ external_id: 'lnms-7', name: 'LAB-SW-01', kind: 'switch', serial: 'FOC999', model: 'C9300', macs: ['00:11:22:33:44:55'] }]);
    const got = (await request(t.app).get(`/api/items/${sw!.id}`)).body as Item;
    assert.deepEqual([got.serial_number, got.model, got.source], ['FOC1000', 'C9300', 'librenms']);
    assert.equal((await request(t.app).put(`/api/items/${sw!.id}`).set(t.as.viewer).send({ notes: 'x' })).status, 403);
    assert.equal((await request(t.app).put(`/api/items/${sw!.id}`).set(t.as.editor).send({ item_type: 'VM' })).status, 422);
  });

  test('DELETE is soft: the item is gone from LAIM, the device is archived with who and why', async () => {
    const [tv] = (await request(t.app).get('/api/items?search=LAB-TV-01')).body as Item[];
    assert.equal((await request(t.app).delete(`/api/items/${tv!.id}`).set(t.as.superuser)).status, 403);
    assert.equal((await request(t.app).delete(`/api/items/${tv!.id}`).set(t.as.editor)).status, 204);
    assert.equal((await request(t.app).get(`/api/items/${tv!.id}`)).status, 404);
    assert.equal((await request(t.app).delete(`/api/items/${tv!.id}`).set(t.as.editor)).status, 404);
    const dev = (await request(t.app).get(`/devices/${tv!.id}`)).body as { archived: boolean; archived_by: string; archive_reason: string };
    assert.deepEqual([dev.archived, dev.archived_by], [true, 'editor1']);
    assert.match(dev.archive_reason, /LAIM/);
  });

  test('GET /api/stats counts live items by category (all seven), room and source', async () => {
    const res = await request(t.app).get('/api/stats');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      total_items: 2,
      by_type: { Laptop: 1, Desktop: 0, 'Smart TV': 0, Server: 0, WAP: 0, Router: 0, Switch: 1 },
      by_room: { '2265': 1, '2266': 1 },
      by_source: { manual: 1, netdisco: 0, librenms: 1, merged: 0 },
    });
  });
});

describe(`the device routes are in the OpenAPI document (${DIALECT})`, () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  test('each device, owner, custom-field, sync-run, VMI and LAIM route is documented with its method', async () => {
    const doc = (await request(t.app).get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const want: [string, string][] = [
      ['/devices', 'get'], ['/devices', 'post'], ['/devices/export', 'get'], ['/devices/bulk', 'post'], ['/devices/{id}', 'get'], ['/devices/{id}', 'patch'],
      ['/devices/{id}/overrides/{field}', 'put'], ['/devices/{id}/overrides/{field}', 'delete'], ['/devices/{id}/history', 'get'], ['/device-changes', 'get'],
      ['/owners', 'post'], ['/custom-fields/{id}', 'patch'], ['/sync-runs/{id}/changes', 'get'],
      ['/api/vms', 'get'], ['/api/vms/{id}/manual', 'put'], ['/api/vms/{id}/tags', 'post'],
      ['/api/items', 'get'], ['/api/items', 'post'], ['/api/items/{id}', 'put'], ['/api/items/{id}', 'delete'], ['/api/stats', 'get'],
    ];
    for (const [path, method] of want) assert.ok(doc.paths[path]?.[method], `${method.toUpperCase()} ${path} is not documented`);
  });
});
