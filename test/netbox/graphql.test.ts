/**
 * The GraphQL mutations of the NetBox sync (issue 16): importNetBoxPrefix and syncPoolToNetBox
 * call the same sync as REST, against the fake NetBox; viewers are refused; no connection is a 409.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../api/app.js';
import { FakeNetBox } from '../fakes/netbox.js';
import { codeOf, gql } from '../graphql/client.js';
import { DIALECT } from '../helpers/db.js';

let t: TestApp;
const fake = new FakeNetBox({ token: 'gql-token' });
let closeFake: () => Promise<void>;
let url = '';
before(async () => {
  t = await buildTestApp();
  ({ url, close: closeFake } = await fake.listen());
});
after(async () => {
  await closeFake();
  await t.cleanup();
});

const IMPORT = 'mutation($id: ID!) { importNetBoxPrefix(prefixId: $id) { pool { id poolName networkCidr } run { kind imported status } } }';
const SYNC = 'mutation($id: ID!) { syncPoolToNetBox(poolId: $id) { kind status created unchanged conflicts log } }';

test(`importNetBoxPrefix and syncPoolToNetBox over GraphQL; viewers refused; without a connection 409 (${DIALECT})`, async () => {
  const prefix = fake.addPrefix({ prefix: '10.70.0.0/29', description: 'gql-pool' });
  fake.addIp({ address: '10.70.0.2/29', status: 'active', description: 'gsub' });
  const none = await gql(t.app, IMPORT, { id: String(prefix.id) }, t.as.editor);
  assert.equal(codeOf(none), 'conflict', none.text);

  const saved = await request(t.app).post('/connectors/configs').set(t.as.editor).send({ name: 'netbox', plugin: 'netbox', options: { url, token: 'gql-token', timeout: 15, retries: 0 } });
  assert.equal(saved.status, 201, saved.text);
  const refused = await gql(t.app, IMPORT, { id: String(prefix.id) }, t.as.viewer);
  assert.equal(codeOf(refused), 'forbidden', refused.text);

  const imported = await gql(t.app, IMPORT, { id: String(prefix.id) }, t.as.editor);
  assert.equal(imported.errors, undefined, imported.text);
  const out = imported.data!.importNetBoxPrefix as { pool: { id: string; poolName: string; networkCidr: string }; run: { kind: string; imported: number; status: string } };
  assert.deepEqual([out.pool.poolName, out.pool.networkCidr, out.run.kind, out.run.imported, out.run.status], ['gql-pool', '10.70.0.0/29', 'import', 2, 'succeeded']);

  fake.addIp({ address: '10.70.0.5/29', status: 'reserved', description: 'other' });
  const from = fake.requests.length;
  const synced = await gql(t.app, SYNC, { id: out.pool.id }, t.as.editor);
  assert.equal(synced.errors, undefined, synced.text);
  assert.deepEqual(synced.data!.syncPoolToNetBox.conflicts, 1);
  assert.deepEqual(fake.writes(from), []);
  assert.equal(codeOf(await gql(t.app, SYNC, { id: out.pool.id }, t.as.viewer)), 'forbidden');
  assert.equal(codeOf(await gql(t.app, SYNC, { id: '999999' }, t.as.editor)), 'not_found');
});
