/** The jobs every instance runs, ticked by a runner on the test's clock. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Knex } from 'knex';
import { formatTimestamp } from '../../src/domain/time.js';
import { builtinJobs } from '../../src/jobs/builtin.js';
import { JobRunner } from '../../src/jobs/runner.js';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { createTestDb, DIALECT } from '../helpers/db.js';
import { servicesFor, TEST_SERVICES_CONFIG } from '../helpers/services.js';

let db: Knex;
let cleanup: () => Promise<void>;
before(async () => ({ db, cleanup } = await createTestDb()));
after(() => cleanup());

const runnerAt = (now: Date): JobRunner => new JobRunner({ db, registry: builtinJobs(), config: TEST_SERVICES_CONFIG, instanceId: 'app-1', now: () => now, log: () => undefined });

test(`purge-expired-tokens deletes tokens past their idle or absolute expiry and keeps live ones (${DIALECT})`, async () => {
  const { users, sessions } = servicesFor(db, SYSTEM_ACTOR);
  const user = await users.create({ username: 'tokens', password: 'password1', role: 'viewer' });
  const t0 = new Date('2026-11-21T08:00:00Z');
  const idle = await sessions.issue(user.id, t0);
  // Tokens idle out after an hour, and live two at most. Used at 08:50: its idle expiry moved to 09:50, its absolute one stays 10:00.
  const used = await sessions.issue(user.id, t0);
  assert.ok(await sessions.resolve(used.token, new Date('2026-11-21T08:50:00Z')));
  const fresh = await sessions.issue(user.id, new Date('2026-11-21T09:30:00Z'));
  const hashes = async (): Promise<number> => Number(((await db('sessions').where({ user_id: user.id }).count({ n: '*' })) as { n: number }[])[0]!.n);
  assert.equal(await hashes(), 3);

  // 09:15: the first token's idle hour is over; the others live.
  const [purge] = (await runnerAt(new Date('2026-11-21T09:15:00Z')).tick()).filter((r) => r.name === 'purge-expired-tokens');
  assert.equal(purge!.ran, true);
  assert.equal(purge!.result, 'purged 1 expired token(s)');
  assert.equal(await hashes(), 2);
  const at = new Date('2026-11-21T09:15:00Z');
  assert.equal(await sessions.resolve(idle.token, at), null);
  assert.ok(await sessions.resolve(used.token, at), 'an unexpired token still logs in');
  assert.ok(await sessions.resolve(fresh.token, at));

  // 10:00:30: the used token reached its absolute cap; the fresh one (idle to 10:30) stays.
  await runnerAt(new Date('2026-11-21T10:00:30Z')).tick();
  assert.equal(await hashes(), 1);
  assert.ok(await sessions.resolve(fresh.token, new Date('2026-11-21T10:00:30Z')));
});

test(`reap-stale-runs marks a run whose process died as interrupted (${DIALECT})`, async () => {
  // An instance on another host that stopped renewing its heartbeat ten minutes ago.
  const at = formatTimestamp(new Date(Date.now() - 10 * 60_000));
  const [row] = await db('import_runs').insert({ plugin: 'bundle', source: 'big.json', mode: 'apply', status: 'running', username: 'eddie', options: '{}', started_at: at, heartbeat_at: at, instance_id: 'gone-host.example:4242:0a0b0c0d' }).returning('id');
  const id = Number((row as { id: number }).id);
  const lines: string[] = [];
  const runner = new JobRunner({ db, registry: builtinJobs(), config: TEST_SERVICES_CONFIG, instanceId: 'app-1', log: (_l, m) => lines.push(m) });
  const [reap] = (await runner.tick()).filter((r) => r.name === 'reap-stale-runs');
  assert.equal(reap!.status, 'succeeded');
  assert.deepEqual(lines, [`Marked 1 run(s) interrupted whose process had stopped: #${id}`]);
  const run = (await db('import_runs').where({ id }).first()) as { status: string; error: string };
  assert.equal(run.status, 'interrupted');
  assert.match(run.error, /stopped before the run finished/);
});
