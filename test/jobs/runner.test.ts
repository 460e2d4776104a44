/**
 * The job runner on real databases: two instances (two connections to one SQLite file, or to one
 * PostgreSQL database) run each due slot once; a failure is recorded and the next slot runs again;
 * a crashed holder's lease runs out; the clock is the test's, so nothing sleeps for a schedule.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobRegistry } from '../../src/jobs/registry.js';
import { JobRunner, type JobTickResult } from '../../src/jobs/runner.js';
import { JobsService } from '../../src/services/jobs.js';
import { createTestDb, DIALECT, twoConnections } from '../helpers/db.js';
import { TEST_SERVICES_CONFIG } from '../helpers/services.js';

const T0 = Date.parse('2026-11-21T13:00:00Z');
const quiet = (): void => undefined;

const where = DIALECT === 'pg' ? 'PostgreSQL' : 'a SQLite file';

test(`two runners on ${where} run each slot of a job once (interval and cron)`, async () => {
  const { a, b, cleanup } = await twoConnections();
  try {
    const ran: string[] = [];
    const registry = new JobRegistry();
    registry.register({ name: 'every-10s', schedule: { everyMs: 10_000 }, run: async ({ instanceId, now }) => void ran.push(`10s ${instanceId} ${now.toISOString()}`) });
    registry.register({ name: 'cron-2s', schedule: { cron: '*/2 * * * * *' }, run: async ({ instanceId, now }) => void ran.push(`cron ${instanceId} ${now.toISOString()}`) });
    let clock = T0;
    const one = new JobRunner({ db: a, registry, config: TEST_SERVICES_CONFIG, instanceId: 'app-1', now: () => new Date(clock), log: quiet });
    const two = new JobRunner({ db: b, registry, config: TEST_SERVICES_CONFIG, instanceId: 'app-2', now: () => new Date(clock), log: quiet });
    const results: JobTickResult[] = [];
    // 20 seconds, one tick a second on both instances at once.
    for (let s = 0; s < 20; s++) {
      clock = T0 + s * 1000;
      results.push(...(await Promise.all([one.tick(), two.tick()])).flat());
    }
    const byJob = (name: string) => results.filter((r) => r.name === name && r.ran);
    assert.equal(byJob('every-10s').length, 2, 'slots 13:00:00 and 13:00:10, once each');
    assert.deepEqual(new Set(byJob('every-10s').map((r) => r.slot)).size, 2);
    assert.equal(byJob('cron-2s').length, 10, 'even seconds 0..18, once each');
    assert.equal(new Set(byJob('cron-2s').map((r) => r.slot)).size, 10);
    assert.equal(ran.length, 12);
    const records = await new JobsService(a).list(clock);
    assert.deepEqual(
      records.map((r) => [r.name, r.runs, r.failures, r.last_status, r.running]),
      [
        ['cron-2s', 10, 0, 'succeeded', false],
        ['every-10s', 2, 0, 'succeeded', false],
      ],
    );
  } finally {
    await cleanup();
  }
});

test(`a job that throws records the failure, and the next slot runs again (${DIALECT})`, async () => {
  const { db, cleanup } = await createTestDb();
  try {
    let fail = true;
    const registry = new JobRegistry();
    registry.register({
      name: 'flaky',
      schedule: { everyMs: 60_000 },
      async run() {
        if (fail) throw new Error('the upstream answered 503');
        return 'pushed 3 records';
      },
    });
    let clock = T0 + 5_000;
    const runner = new JobRunner({ db, registry, config: TEST_SERVICES_CONFIG, instanceId: 'app-1', now: () => new Date(clock), log: quiet });
    const [first] = await runner.tick();
    assert.equal(first!.ran, true);
    assert.equal(first!.status, 'failed');
    let rec = (await new JobsService(db).get('flaky', clock))!;
    assert.equal(rec.last_status, 'failed');
    assert.equal(rec.last_error, 'the upstream answered 503');
    assert.equal(rec.failures, 1);
    assert.equal(rec.running, false, 'a failure releases the lease');
    // The same slot is not retried…
    clock = T0 + 30_000;
    assert.equal((await runner.tick())[0]!.ran, false);
    // …the next one runs.
    fail = false;
    clock = T0 + 60_000;
    const [next] = await runner.tick();
    assert.equal(next!.status, 'succeeded');
    rec = (await new JobsService(db).get('flaky', clock))!;
    assert.equal(rec.last_status, 'succeeded');
    assert.equal(rec.last_error, null);
    assert.equal(rec.last_result, 'pushed 3 records');
    assert.deepEqual([rec.runs, rec.failures], [2, 1]);
    assert.equal(rec.last_finished_at, '2026-11-21 13:01:00');
  } finally {
    await cleanup();
  }
});

test(`a job never overlaps itself, and a dead holder's lease runs out (${DIALECT})`, async () => {
  const { db, cleanup } = await createTestDb();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  try {
    const registry = new JobRegistry();
    // Held until released (or 3 s: a runner that wrongly runs it too must not hang the test).
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    registry.register({
      name: 'slow',
      schedule: { everyMs: 1000 },
      leaseMs: 30_000,
      run: () => {
        started();
        return Promise.race([gate, new Promise<void>((r) => setTimeout(r, 3000))]);
      },
    });
    let clock = T0;
    const runner = new JobRunner({ db, registry, config: TEST_SERVICES_CONFIG, instanceId: 'app-1', now: () => new Date(clock), log: quiet });
    const other = new JobRunner({ db, registry, config: TEST_SERVICES_CONFIG, instanceId: 'app-2', now: () => new Date(clock), log: quiet });
    const first = runner.tick();
    // Wait for the job itself to start, not for its claim to show in the database: on PostgreSQL's
    // pool another connection can see the claim before this runner has marked the job as its own.
    await running;
    clock = T0 + 1000;
    assert.deepEqual((await runner.tick()).map((r) => [r.ran, r.reason]), [[false, 'still running']]);
    clock = T0 + 2000;
    assert.deepEqual((await other.tick()).map((r) => [r.ran, r.reason]), [[false, 'claimed elsewhere or still running']]);
    release();
    assert.equal((await first)[0]!.status, 'succeeded');

    // A holder that died mid-run (it claimed, then never renewed nor finished).
    const jobs = new JobsService(db);
    clock = T0 + 10_000;
    assert.equal(await jobs.claim('slow', clock, 'crashed-instance', clock, 30_000), true);
    clock = T0 + 20_000;
    assert.equal((await other.tick())[0]!.ran, false, 'its lease still holds');
    clock = T0 + 41_000;
    const [taken] = await other.tick();
    assert.equal(taken!.ran, true, 'taken over once the lease ran out');
    assert.equal(taken!.status, 'succeeded');
  } finally {
    // A failed assertion must not leave a job waiting on the gate.
    release();
    await cleanup();
  }
});

test(`the heartbeat renews the lease of a job while it runs (${DIALECT})`, async () => {
  const { db, cleanup } = await createTestDb();
  try {
    const jobs = new JobsService(db);
    const seen: number[] = [];
    const registry = new JobRegistry();
    // A 3 s lease is renewed every second; the job outlives its first lease's third.
    registry.register({
      name: 'long',
      schedule: { everyMs: 60_000 },
      leaseMs: 3000,
      async run({ db: d }) {
        for (let i = 0; i < 3; i++) {
          await new Promise((r) => setTimeout(r, 600));
          const row = (await d('jobs').where({ name: 'long' }).first('locked_until')) as { locked_until: number | string };
          seen.push(Number(row.locked_until));
        }
      },
    });
    const runner = new JobRunner({ db, registry, config: TEST_SERVICES_CONFIG, instanceId: 'app-1', log: quiet });
    const [r] = await runner.tick();
    assert.equal(r!.status, 'succeeded');
    assert.ok(seen.at(-1)! > seen[0]!, `the lease moved on while the job ran: ${seen.join(', ')}`);
    assert.equal((await jobs.get('long'))!.running, false);
  } finally {
    await cleanup();
  }
});

test(`a late tick still runs the cron second it skipped (${DIALECT})`, async () => {
  const { db, cleanup } = await createTestDb();
  try {
    const registry = new JobRegistry();
    registry.register({ name: 'on-the-minute', schedule: { cron: '0 * * * * *' }, run: async () => 'ran' });
    let clock = T0 - 1000;
    const runner = new JobRunner({ db, registry, config: TEST_SERVICES_CONFIG, instanceId: 'app-1', now: () => new Date(clock), log: quiet });
    assert.deepEqual(await runner.tick(), [], '12:59:59 is not due');
    // The event loop was busy: the next tick comes 2.5 s later, past 13:00:00.
    clock = T0 + 1500;
    const [late] = await runner.tick();
    assert.equal(late!.ran, true);
    assert.equal(late!.slot, T0);
    clock = T0 + 2500;
    assert.deepEqual(await runner.tick(), [], 'and only once');
  } finally {
    await cleanup();
  }
});

test('registering checks the name and the schedule', () => {
  const registry = new JobRegistry();
  registry.register({ name: 'a', schedule: { everyMs: 1000 }, run: async () => undefined });
  assert.throws(() => registry.register({ name: 'a', schedule: { everyMs: 1000 }, run: async () => undefined }), /Two jobs are named "a"/);
  assert.throws(() => registry.register({ name: 'b', schedule: { cron: '61 * * * *' }, run: async () => undefined }), /not a cron expression/);
  assert.throws(() => registry.register({ name: 'c', schedule: { everyMs: 10 }, run: async () => undefined }), /at least 1000/);
});
