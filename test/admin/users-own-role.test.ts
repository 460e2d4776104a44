/** The panel's user edit keeps "you cannot change your own role" now that the rule lives in UsersService. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

const PASSWORD = 'own-role-pass-1';
const SYSTEM = { userId: null, username: 'system', role: 'superuser' } as const;

describe(`panel: own role (${DIALECT})`, () => {
  let tdb: TestDb;
  let app: Express;
  before(async () => {
    tdb = await createTestDb();
    const s = servicesFor(tdb.db, SYSTEM);
    await s.users.create({ username: 'root', password: PASSWORD, role: 'superuser' });
    await s.users.create({ username: 'root2', password: PASSWORD, role: 'superuser' });
    const config = loadConfig({ IPOCKET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ipocket-own-role-')), SESSION_SECRET: 'z'.repeat(40) });
    app = await buildApp({ config, db: tdb.db });
  });
  after(() => tdb.cleanup());

  test('editing one\'s own role shows the error on the role field and changes nothing', async () => {
    const agent = request.agent(app);
    assert.equal((await agent.post('/ui/login').type('form').send({ username: 'root', password: PASSWORD })).status, 302);
    const s = servicesFor(tdb.db, SYSTEM);
    const root = (await s.users.list()).find((u) => u.username === 'root')!;
    const res = await agent.post(`/ui/api/resources/users/records/${root.id}/edit`).field('username', 'root').field('role', 'viewer');
    assert.equal(res.status, 200, res.text);
    assert.match(res.body.record.errors.role.message, /cannot change your own role/);
    assert.equal((await s.users.get(root.id)).role, 'superuser');
    const root2 = (await s.users.list()).find((u) => u.username === 'root2')!;
    const other = await agent.post(`/ui/api/resources/users/records/${root2.id}/edit`).field('username', 'root2').field('role', 'editor');
    assert.equal(other.status, 200, other.text);
    assert.equal((await s.users.get(root2.id)).role, 'editor');
  });
});
