/** A host links its OS/BMC addresses through the assets service: an IP it creates has the same history as one made at /ip-assets. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { DIALECT } from '../helpers/db.js';
import { buildTestApp, type TestApp } from './app.js';

describe(`hosts link IPs through the assets service (${DIALECT})`, () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.cleanup());

  const historyOf = async (address: string) => {
    const asset = await request(t.app).get(`/ip-assets/${address}`);
    assert.equal(asset.status, 200, `${address} exists`);
    const res = await request(t.app).get(`/audit?target_type=IP_ASSET&target_id=${asset.body.id}`).set(t.as.viewer);
    assert.equal(res.status, 200);
    return res.body as { action: string; changes: string; username: string }[];
  };

  test('POST /hosts {bmc_ip} creates the BMC asset with a CREATE entry by the caller', async () => {
    const res = await request(t.app).post('/hosts').set(t.as.editor).send({ name: 'node-1', bmc_ip: '10.90.0.5' });
    assert.equal(res.status, 200, res.text);
    const entries = await historyOf('10.90.0.5');
    assert.deepEqual(entries.map((e) => [e.action, e.username]), [['CREATE', 'editor1']]);
    assert.match(entries[0]!.changes, /type: .*BMC/);
    assert.match(entries[0]!.changes, /host: .*node-1/);
  });

  test('a BMC created without host gets server_<ip> from the hosts service, with one HOST CREATE entry by the caller', async () => {
    const res = await request(t.app).post('/ip-assets').set(t.as.editor).send({ ip_address: '10.90.0.9', type: 'BMC' });
    assert.equal(res.status, 200, res.text);
    const host = await request(t.app).get(`/hosts/${res.body.host_id}`);
    assert.equal(host.body.name, 'server_10.90.0.9');
    const entries = (await request(t.app).get(`/audit?target_type=HOST&target_id=${res.body.host_id}`).set(t.as.viewer)).body as { action: string; username: string; changes: string }[];
    assert.deepEqual(entries.map((e) => [e.action, e.username, e.changes]), [['CREATE', 'editor1', 'name: (empty) → "server_10.90.0.9"']]);
  });
});
