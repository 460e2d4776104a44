/**
 * Run liveness with several instances on one database: a run is marked interrupted when its
 * process is gone (this host, pid not alive) or its heartbeat is stale (another host), and never
 * while its process is alive and beating.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import os from 'node:os';
import { after, before, test } from 'node:test';
import type { Knex } from 'knex';
import { formatTimestamp } from '../../src/domain/time.js';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { ImportRunsService } from '../../src/services/import-runs.js';
import { INSTANCE_ID, reapStaleRuns, STALE_MS } from '../../src/services/run-liveness.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';

let t: TestDb;
let db: Knex;
before(async () => {
  t = await createTestDb();
  db = t.db;
});
after(async () => t.cleanup());

async function run(instance: string | null, heartbeatAgoMs: number, mode = 'apply'): Promise<number> {
  const at = formatTimestamp(new Date(Date.now() - heartbeatAgoMs));
  const [row] = await db('import_runs').insert({ plugin: 'bundle', source: 'x.json', mode, status: 'running', options: '{}', started_at: at, heartbeat_at: instance === null ? null : at, instance_id: instance }).returning('id');
  return Number((row as { id: number }).id);
}

/** A pid that surely is not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

test(`only runs whose process is gone are marked interrupted (${DIALECT})`, async () => {
  const host = os.hostname();
  const mine = await new ImportRunsService({ db, actor: SYSTEM_ACTOR }).start({ plugin: 'bundle', source: 'mine', mode: 'apply', options: {} });
  const liveHere = await run(`${host}:${process.ppid}:00aa11bb`, 5_000);
  const deadHere = await run(`${host}:${await deadPid()}:00aa11bb`, 1_000);
  const restartedHere = await run(`${host}:${process.pid}:ffffffff`, 1_000);
  const otherHostFresh = await run('elsewhere:1234:0abc', STALE_MS / 4);
  const otherHostStale = await run('elsewhere:1234:0abc', STALE_MS * 2, 'dry_run');
  const legacyOld = await run(null, STALE_MS * 2);

  const reaped = await reapStaleRuns(db);
  assert.deepEqual(reaped.sort((a, b) => a - b), [deadHere, restartedHere, otherHostStale, legacyOld].sort((a, b) => a - b));
  const status = async (id: number) => ((await db('import_runs').where({ id }).first('status', 'error')) as { status: string; error: string | null });
  for (const id of [mine, liveHere, otherHostFresh]) assert.equal((await status(id)).status, 'running', `run ${id} belongs to a live instance`);
  const dead = await status(deadHere);
  assert.equal(dead.status, 'interrupted');
  assert.match(dead.error!, /stopped before the run finished; nothing was written \(an apply is all-or-nothing\)\.$/);
  assert.match((await status(otherHostStale)).error!, /it was a dry-run, which writes nothing/);
  // The run lists (panel history, API) can filter on it.
  const list = await new ImportRunsService({ db, actor: SYSTEM_ACTOR }).list({ status: 'interrupted' });
  assert.equal(list.total, 4);
  // A second pass has nothing left to do.
  assert.deepEqual(await reapStaleRuns(db), []);
  assert.ok(INSTANCE_ID.startsWith(`${host}:${process.pid}:`));
});

test(`an interrupted apply that had committed says so, from its audit entry (${DIALECT})`, async () => {
  const id = await run(`${os.hostname()}:${await deadPid()}:00aa11bb`, 1_000);
  await db('audit_log').insert({ user_id: null, username: 'system', target_type: 'IMPORT_RUN', target_id: id, target_label: 'bundle: x.json', action: 'IMPORT_RUN', changes: 'x', created_at: formatTimestamp() });
  assert.deepEqual(await reapStaleRuns(db), [id]);
  const row = (await db('import_runs').where({ id }).first('error')) as { error: string };
  assert.match(row.error, /its apply had been committed \(see the audit log\)/);
});
