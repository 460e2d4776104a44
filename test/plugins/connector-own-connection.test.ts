/**
 * A registered connector on a SQLite file (or PostgreSQL) runs its collect and reconcile in a worker on its own
 * connection (collect-on-own-connection.ts): the run must look the same from outside as one run on
 * the server's thread (run row, log, written devices, an unchanged re-sync writing nothing), a
 * remote failure must still fail the run and a cancel still interrupt it with nothing written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { nutanixPlugin } from '../../plugins/nutanix/index.js';
import { collectsOnOwnConnection } from '../../src/plugins/collect-on-own-connection.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { ImportRunsService } from '../../src/services/import-runs.js';
import { generateNutanix, startFakeNutanix, type FakeNutanix } from '../fakes/nutanix.js';
import { DIALECT, twoConnections } from '../helpers/db.js';
import { EDITOR } from '../helpers/services.js';

const CREDS = { username: 'admin', password: 'Nutanix/4u' };

for (const dialect of DIALECT === 'pg' ? (['sqlite', 'pg'] as const) : (['sqlite'] as const))
describe(`a connector run in a worker on its own ${dialect} connection`, () => {
  let db: Knex;
  let cleanup: () => Promise<void>;
  let fake: FakeNutanix;
  before(async () => {
    ({ a: db, cleanup } = await twoConnections(dialect));
    fake = await startFakeNutanix({ ...generateNutanix(40, 2), ...CREDS });
  });
  after(async () => {
    await fake.close();
    await cleanup();
  });
  const run = (opts: { dryRun?: boolean; password?: string; signal?: AbortSignal } = {}) =>
    runPlugin(db, EDITOR, { plugin: nutanixPlugin, input: { files: [] }, options: { url: fake.url, username: CREDS.username, password: opts.password ?? CREDS.password }, dryRun: opts.dryRun ?? false, signal: opts.signal });
  const hosts = async (): Promise<number> => Number(((await db('hosts').count({ n: '*' }))[0] as { n: number }).n);

  test('takes the worker road', () => {
    assert.notEqual(collectsOnOwnConnection(db, nutanixPlugin, { files: [] }), null);
  });

  test('a cancelled run is interrupted and writes nothing', async () => {
    const abort = new AbortController();
    abort.abort(new Error('stop'));
    const out = await run({ signal: abort.signal });
    assert.equal(out.status, 'interrupted');
    assert.equal(await hosts(), 0);
  });
  test('a dry-run shows what the apply then writes; the log and run row say so', async () => {
    const dry = await run({ dryRun: true });
    assert.equal(dry.status, 'succeeded');
    assert.equal(await hosts(), 0);
    const out = await run();
    assert.equal(out.status, 'succeeded');
    assert.equal(out.applied, true);
    assert.deepEqual(out.plan!.counts.devices, dry.plan!.counts.devices);
    assert.ok(out.plan!.counts.devices.create > 0);
    assert.equal(await hosts(), out.plan!.counts.devices.create);
    const runs = new ImportRunsService({ db, actor: EDITOR });
    const row = await runs.get(out.runId);
    assert.equal(row.status, 'succeeded');
    const messages = row.log.map((l: { message: string }) => l.message);
    assert.ok(messages.some((m: string) => m.startsWith('Read ')), messages.join('\n'));
    assert.ok(messages.includes('Applied in one transaction.'), messages.join('\n'));
  });

  test('an unchanged re-sync writes nothing', async () => {
    const before = await db('hosts').max({ u: 'updated_at' }).first();
    const out = await run();
    assert.equal(out.status, 'succeeded');
    assert.equal(out.plan!.totals.create + out.plan!.totals.update, 0);
    assert.deepEqual(await db('hosts').max({ u: 'updated_at' }).first(), before);
  });

  test('refused credentials fail the run with the remote message', async () => {
    const out = await run({ password: 'wrong' });
    assert.equal(out.status, 'failed');
    assert.match(out.error?.message ?? '', /401/);
  });

});
