/**
 * The dashboard's device figures (the Hosts card, the device charts' total and kinds) come from
 * the trigger-kept device_counts, as the device list's total does: after devices are created
 * (through /devices and /hosts), archived and restored, the panel's dashboard says what the
 * device list says, and archived devices are not counted. Both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, PASSWORD, type TestApp } from './app.js';

type Dashboard = { totals: { hosts: number }; devices: { total: number; kinds: { value: string; count: number }[] } };

describe(`dashboard device counts follow creates and archives (${DIALECT})`, () => {
  let t: TestApp;
  let panel: ReturnType<typeof request.agent>;
  before(async () => {
    t = await buildTestApp();
    panel = request.agent(t.app);
    assert.equal((await panel.post('/ui/login').type('form').send({ username: 'viewer1', password: PASSWORD })).status, 302);
  });
  after(() => t.cleanup());

  const shown = async (): Promise<{ hosts: number; total: number; kinds: string[] }> => {
    const res = await panel.get('/ui/api/dashboard');
    assert.equal(res.status, 200, res.text);
    const d = res.body as Dashboard;
    return { hosts: d.totals.hosts, total: d.devices.total, kinds: d.devices.kinds.map((k) => `${k.value} ${k.count}`) };
  };
  const listTotal = async (): Promise<number> => ((await request(t.app).get('/devices').set(t.as.viewer)).body as { total: number }).total;
  const create = async (name: string, kind: string): Promise<number> => {
    const res = await request(t.app).post('/devices').set(t.as.editor).send({ name, kind });
    assert.equal(res.status, 201, res.text);
    return (res.body as { id: number }).id;
  };
  const archive = async (id: number): Promise<void> => {
    const res = await request(t.app).post(`/devices/${id}/archive`).set(t.as.editor).send({ reason: 'decommissioned' });
    assert.equal(res.status, 200, res.text);
  };

  test('create, archive, restore: the Hosts card and the device charts match the device list', async () => {
    assert.deepEqual(await shown(), { hosts: 0, total: 0, kinds: [] });

    const web = await create('vm-web', 'vm');
    await create('vm-db', 'vm');
    const sw = await create('core-switch', 'switch');
    const host = await request(t.app).post('/hosts').set(t.as.editor).send({ name: 'bare-metal-1' });
    assert.equal(host.status, 200, host.text);
    const kindOfHost = ((await request(t.app).get(`/devices/${(host.body as { id: number }).id}`).set(t.as.viewer)).body as { kind: string }).kind;
    const four = await shown();
    assert.deepEqual([four.hosts, four.total], [4, 4]);
    assert.equal(four.kinds[0], 'vm 2');
    assert.deepEqual([...four.kinds].sort(), ['switch 1', 'vm 2', `${kindOfHost} 1`].sort());
    assert.equal(await listTotal(), 4);

    await archive(sw);
    await archive(web);
    const two = await shown();
    assert.deepEqual([two.hosts, two.total], [2, 2], 'archived devices are not counted');
    assert.deepEqual([...two.kinds].sort(), ['vm 1', `${kindOfHost} 1`].sort(), 'a kind with no live device left is not shown');
    assert.equal(await listTotal(), 2);

    assert.equal((await request(t.app).post(`/devices/${sw}/restore`).set(t.as.editor)).status, 200);
    const three = await shown();
    assert.deepEqual([three.hosts, three.total], [3, 3]);
    assert.equal(await listTotal(), 3);
  });
});
