import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { actionErrorHandler, type ActionContext } from 'adminjs';
import type { Express } from 'express';
import request from 'supertest';
import { refusalStatus, toAdminError } from '../../src/admin/adapter/errors.js';
import { loadConfig } from '../../src/config.js';
import { ForbiddenError, NotFoundError } from '../../src/domain/errors.js';
import { buildApp } from '../../src/server.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

let tdb: TestDb;
let app: Express;
const PASSWORD = 'refusal-pass-1';
const system = () => servicesFor(tdb.db, { userId: null, username: 'system', role: 'superuser' });

async function agentFor(username: string) {
  const agent = request.agent(app);
  assert.equal((await agent.post('/ui/login').type('form').send({ username, password: PASSWORD })).status, 302);
  return agent;
}

describe('panel refusals answer as refusals', () => {
  before(async () => {
    tdb = await createTestDb();
    await system().users.create({ username: 'eddie', password: PASSWORD, role: 'editor' });
    await system().users.create({ username: 'vera', password: PASSWORD, role: 'viewer' });
    const config = loadConfig({ IPOCKET_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'ipocket-refusal-')), SESSION_SECRET: 'r'.repeat(40) });
    app = await buildApp({ config, db: tdb.db });
  });
  after(() => tdb.cleanup());

  test('a change to a record that is not there answers 404 with an error notice and changes nothing', async () => {
    const host = await system().hosts.create({ name: 'refusal-host' });
    const eddie = await agentFor('eddie');
    const res = await eddie.post(`/ui/api/resources/hosts/records/${host.id + 1000}/delete`);
    assert.equal(res.status, 404);
    assert.equal(res.body.notice?.type, 'error');
    assert.ok(await system().hosts.get(host.id), 'nothing was deleted');
    // Viewing a missing record keeps AdminJS's answer: its record page shows "not found" from it.
    const vera = await agentFor('vera');
    const view = await vera.get(`/ui/api/resources/hosts/records/${host.id + 1000}/show`);
    assert.equal(view.status, 200);
    assert.equal(view.body.notice?.type, 'error');
  });

  test('a record action AdminJS refuses (no valid record id) answers 403, not 200', async () => {
    const eddie = await agentFor('eddie');
    const res = await eddie.post('/ui/api/resources/hosts/records/%20/delete');
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(res.body.notice?.type, 'error');
  });

  test('a domain ForbiddenError or NotFoundError from a handler becomes the refusal AdminJS knows', () => {
    const context = { action: { name: 'edit' }, currentAdmin: { role: 'editor' } } as unknown as ActionContext;
    const forbidden = actionErrorHandler(toAdminError(new ForbiddenError('Your role cannot change this.'), new Map()) as Error, context) as { notice: { message: string; type: string } };
    assert.deepEqual(forbidden.notice, { message: 'Your role cannot change this.', type: 'error' });
    assert.equal(refusalStatus(forbidden, 'POST'), 403);
    assert.equal(refusalStatus(forbidden, 'GET'), 403);
    const missing = actionErrorHandler(toAdminError(new NotFoundError('Host', 7), new Map()) as Error, context);
    assert.equal(refusalStatus(missing, 'POST'), 404);
    assert.equal(refusalStatus(missing, 'GET'), null);
  });
});
