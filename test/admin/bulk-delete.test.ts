import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

let tdb: TestDb;
let app: Express;
const PASSWORD = 'bulk-pass-1';

async function agentFor(username: string) {
  const agent = request.agent(app);
  assert.equal((await agent.post('/ui/login').type('form').send({ username, password: PASSWORD })).status, 302);
  return agent;
}

describe('panel bulk delete', () => {
  before(async () => {
    tdb = await createTestDb();
    const s = servicesFor(tdb.db, { userId: null, username: 'system', role: 'superuser' });
    await s.users.create({ username: 'root', password: PASSWORD, role: 'superuser' });
    await s.users.create({ username: 'eddie', password: PASSWORD, role: 'editor' });
    const config = loadConfig({ IPOCKET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ipocket-bulk-')), SESSION_SECRET: 'y'.repeat(40) });
    app = await buildApp({ config, db: tdb.db });
  });
  after(() => tdb.cleanup());

  test('deletes all selected records or none, and says why it refused', async () => {
    const s = servicesFor(tdb.db, { userId: null, username: 'system', role: 'superuser' });
    const a = await s.users.create({ username: 'temp-a', password: PASSWORD, role: 'viewer' });
    const b = await s.users.create({ username: 'temp-b', password: PASSWORD, role: 'viewer' });
    const root = (await s.users.list()).find((u) => u.username === 'root')!;
    const agent = await agentFor('root');

    // Oneself among the selection: the service refuses, and the two others stay.
    const refused = await agent.post(`/ui/api/resources/users/bulk/bulkDelete?recordIds=${a.id},${b.id},${root.id}`);
    assert.equal(refused.status, 200);
    assert.equal(refused.body.notice.type, 'error');
    assert.match(refused.body.notice.message, /Nothing was deleted: You cannot delete your own account/);
    const names = (await s.users.list()).map((u) => u.username);
    assert.ok(names.includes('temp-a') && names.includes('temp-b'), `nobody was deleted: ${names.join(', ')}`);

    const done = await agent.post(`/ui/api/resources/users/bulk/bulkDelete?recordIds=${a.id},${b.id}`);
    assert.equal(done.body.notice.type, 'success');
    assert.equal(done.body.notice.options.count, 2);
    const left = (await s.users.list()).map((u) => u.username);
    assert.ok(!left.includes('temp-a') && !left.includes('temp-b'), `both were deleted: ${left.join(', ')}`);
    const audit = await s.audit.list({ target_type: 'USER' });
    assert.equal(audit.items.filter((e) => e.action === 'DELETE' && e.username === 'root').length, 2, 'one audit entry per deleted user');
  });

  test('an editor bulk-deletes inventory in one go; a viewer-level refusal leaves it untouched', async () => {
    const s = servicesFor(tdb.db, { userId: null, username: 'system', role: 'editor' });
    const one = await s.assets.create({ ip_address: '10.7.0.1', type: 'VM' });
    const two = await s.assets.create({ ip_address: '10.7.0.2', type: 'VM' });
    const root = await agentFor('root');
    const forbidden = await root.post(`/ui/api/resources/ip_assets/bulk/bulkDelete?recordIds=${one.id},${two.id}`);
    assert.equal(forbidden.body.notice.type, 'error');
    assert.ok(await s.assets.findByAddress('10.7.0.1'), 'a superuser does not delete inventory');
    const eddie = await agentFor('eddie');
    const done = await eddie.post(`/ui/api/resources/ip_assets/bulk/bulkDelete?recordIds=${one.id},${two.id}`);
    assert.equal(done.body.notice.type, 'success');
    assert.equal(await s.assets.findByAddress('10.7.0.1'), null);
    assert.equal(await s.assets.findByAddress('10.7.0.2'), null);
  });
});
