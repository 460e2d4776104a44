/** The route builder's flags, on a real HTTP server: uploads, streams and the order of the checks. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import express, { type Express } from 'express';
import request from 'supertest';
import { apiErrorHandler } from '../../src/api/errors.js';
import { buildRouter, type RouteSpec } from '../../src/api/route-table.js';
import { loadConfig } from '../../src/config.js';
import { ForbiddenError } from '../../src/domain/errors.js';
import { createMetrics } from '../../src/metrics.js';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { SessionsService } from '../../src/services/sessions.js';
import { UsersService } from '../../src/services/users.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const CAP = 64 * 1024;
let seenBodies = 0;

const ROUTES: RouteSpec[] = [
  {
    method: 'post',
    path: '/up',
    access: 'login',
    tag: 't',
    summary: 'An upload that says what it got.',
    upload: { types: ['text/csv'], maxFiles: 2 },
    authorize(req) {
      if (req.actor?.role !== 'editor') throw new ForbiddenError('editors only');
    },
    handler(req, res) {
      seenBodies++;
      const files = (req.files as Express.Multer.File[] | undefined) ?? [];
      res.json({ raw: Buffer.isBuffer(req.body) ? req.body.toString('utf8') : null, files: files.map((f) => f.originalname) });
    },
  },
  {
    method: 'get',
    path: '/stream',
    access: 'public',
    tag: 't',
    summary: 'Writes, then fails.',
    stream: true,
    async handler(_req, res) {
      res.status(200).type('text/plain');
      res.write('first bytes\n');
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('the database went away mid-stream');
    },
  },
];

describe('route builder: upload, authorize, stream', () => {
  let tdb: TestDb;
  let app: Express;
  const as: Record<'viewer' | 'editor', { Authorization: string }> = {} as never;
  before(async () => {
    tdb = await createTestDb();
    const config = loadConfig({ IPOCKET_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'ipocket-rt-')), IPOCKET_MAX_UPLOAD_MB: '1' });
    config.maxUploadBytes = CAP;
    const deps = { config, db: tdb.db };
    app = express();
    app.use(buildRouter(ROUTES, deps, createMetrics(tdb.db)), apiErrorHandler);
    const users = new UsersService({ db: tdb.db, actor: SYSTEM_ACTOR });
    const sessions = new SessionsService(tdb.db, { idleSeconds: 3600, maxSeconds: 7200 });
    for (const role of ['viewer', 'editor'] as const) {
      const u = await users.create({ username: `rt-${role}`, password: 'correct-horse-battery', role });
      as[role] = { Authorization: `Bearer ${(await sessions.issue(u.id)).token}` };
    }
  });
  after(() => tdb.cleanup());

  test('an upload takes a raw body of its types or multipart files, with no JSON parser in front', async () => {
    const raw = await request(app).post('/up').set(as.editor).set('Content-Type', 'text/csv').send('a,b\n1,2\n');
    assert.deepEqual([raw.status, raw.body], [200, { raw: 'a,b\n1,2\n', files: [] }]);
    const multi = await request(app).post('/up').set(as.editor).attach('file', Buffer.from('x'), 'one.csv').attach('other', Buffer.from('y'), 'two.csv');
    assert.deepEqual([multi.status, multi.body.files], [200, ['one.csv', 'two.csv']]);
    const json = await request(app).post('/up').set(as.editor).set('Content-Type', 'text/plain').send('{"a":1}');
    assert.equal(json.status, 415);
  });

  test('over the cap is 413 with the size; too many files is 413', async () => {
    const big = await request(app).post('/up').set(as.editor).set('Content-Type', 'text/csv').send('x'.repeat(CAP + 10));
    assert.deepEqual([big.status, big.body], [413, { detail: `Uploaded file exceeds maximum size of ${CAP} bytes.` }]);
    const many = await request(app).post('/up').set(as.editor).attach('a', Buffer.from('1'), 'a.csv').attach('b', Buffer.from('2'), 'b.csv').attach('c', Buffer.from('3'), 'c.csv');
    assert.equal(many.status, 413);
  });

  test('authorize runs after the access level and before the upload is read', async () => {
    const before = seenBodies;
    assert.equal((await request(app).post('/up').set('Content-Type', 'text/csv').send('a')).status, 401);
    // A refused caller gets its 403 even for a body over the cap: the body is never read.
    const refused = await request(app).post('/up').set(as.viewer).set('Content-Type', 'text/csv').send('x'.repeat(CAP + 10));
    assert.deepEqual([refused.status, refused.body], [403, { detail: 'editors only' }]);
    assert.equal(seenBodies, before);
  });

  test('a stream that fails after its first bytes is cut, not left open', async () => {
    const started = Date.now();
    const outcome = await new Promise<string>((resolve) => {
      request(app)
        .get('/stream')
        .timeout(3000)
        .end((err, res) => resolve(err ? String((err as { code?: string }).code ?? err.message) : `complete ${res.status}`));
    });
    assert.notEqual(outcome, 'complete 200', 'a failed stream must not look like a whole answer');
    assert.doesNotMatch(outcome, /ECONNABORTED|timeout/i, `the response was left open: ${outcome}`);
    assert.ok(Date.now() - started < 2500);
  });
});
