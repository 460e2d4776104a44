/**
 * One heartbeat for long work: while a scheduled connector run collects, the same beat renews its
 * run row (what the reaper of dead runs reads) and its configuration's lease (what keeps another
 * instance from starting it again).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Knex } from 'knex';
import { ConnectorScheduler } from '../../src/jobs/connector-runs.js';
import { createTestDb, DIALECT } from '../helpers/db.js';
import { servicesFor, TEST_SERVICES_CONFIG } from '../helpers/services.js';
import { startFakePrometheus, vectorOf, type FakePrometheus } from '../fakes/prometheus.js';

let db: Knex;
let cleanup: () => Promise<void>;
let prom: FakePrometheus;
before(async () => {
  ({ db, cleanup } = await createTestDb());
  prom = await startFakePrometheus(vectorOf(['192.0.2.70:9100']));
});
after(async () => {
  await prom.close();
  await cleanup();
});

test(`a long connector run renews its run row and its configuration's lease on one beat (${DIALECT})`, async () => {
  const config = await servicesFor(db).connectorConfigs.create({ name: 'slow-scrape', plugin: 'prometheus', options: { url: prom.url }, cron: '0 * * * *', enabled: true });
  // A 3 s lease beats every second; Prometheus takes 3.5 s to answer.
  prom.answer(vectorOf(['192.0.2.70:9100']), 3500);
  const scheduler = new ConnectorScheduler({ db, secretKey: TEST_SERVICES_CONFIG.secretKey, leaseMs: 3000, log: () => undefined });
  const run = scheduler.runNow(config.id, true, { userId: null, username: 'tester', role: 'editor' });
  const seen: { lease: number; beat: string | null }[] = [];
  for (let i = 0; i < 30 && seen.length < 3; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const lease = (await db('connector_configs').where({ id: config.id }).first('locked_until')) as { locked_until: number | string | null };
    const beat = (await db('import_runs').where({ config_id: config.id, status: 'running' }).first('heartbeat_at')) as { heartbeat_at: string | null } | undefined;
    if (beat) seen.push({ lease: Number(lease.locked_until), beat: beat.heartbeat_at });
  }
  const out = await run;
  assert.equal(out.status, 'succeeded');
  assert.ok(seen.length >= 2, 'the run was seen in progress');
  assert.ok(seen.at(-1)!.lease > seen[0]!.lease, `the lease moved on: ${seen.map((s) => s.lease).join(', ')}`);
  assert.notEqual(seen.at(-1)!.beat, seen[0]!.beat, `the run row's heartbeat moved on: ${seen.map((s) => s.beat).join(', ')}`);
  assert.equal((await servicesFor(db).connectorConfigs.get(config.id)).running, false, 'released at the end');
});
