import type { Knex } from 'knex';
import { JobRunner, type JobTickResult } from '../../src/jobs/runner.js';
import { builtinJobs } from '../../src/jobs/builtin.js';
import type { NetBoxSync } from '../../src/services/netbox/sync.js';
import { netboxSyncFor } from '../../src/plugins/netbox-sync.js';
import { NetBoxOptions } from '../../plugins/netbox/options.js';
import { FakeNetBox, type FakeNetBoxOptions } from '../fakes/netbox.js';
import { createTestDb } from '../helpers/db.js';
import { EDITOR, servicesFor, TEST_SERVICES_CONFIG } from '../helpers/services.js';

export const TOKEN = 'nb-secret-token';

export interface NetBoxWorld {
  db: Knex;
  fake: FakeNetBox;
  url: string;
  services: ReturnType<typeof servicesFor>;
  /** A sync acting as the editor over the saved connection's settings. */
  sync(overrides?: Record<string, unknown>): NetBoxSync;
  /** Runs the job runner's tick at `at` and returns the named job's outcome. */
  tick(at: Date, name?: string): Promise<JobTickResult | undefined>;
  close(): Promise<void>;
}

/** A fresh database, a fake NetBox on loopback and a saved `netbox` connection to it. */
export async function netboxWorld(options: Record<string, unknown> = {}, fakeOptions: FakeNetBoxOptions = { token: TOKEN }): Promise<NetBoxWorld> {
  const { db, cleanup } = await createTestDb();
  const fake = new FakeNetBox(fakeOptions);
  const server = await fake.listen();
  const services = servicesFor(db);
  const saved = { url: server.url, token: TOKEN, timeout: 2, retries: 0, ...options };
  await services.connectorConfigs.create({ name: 'netbox', plugin: 'netbox', options: saved });
  const runner = new JobRunner({ db, registry: builtinJobs(), config: TEST_SERVICES_CONFIG, instanceId: 'test', log: () => undefined });
  return {
    db,
    fake,
    url: server.url,
    services,
    sync: (overrides = {}) => netboxSyncFor(db, EDITOR, NetBoxOptions.parse({ ...saved, ...overrides })),
    async tick(at, name = 'netbox') {
      return (await runner.tick(at)).find((r) => r.name === name);
    },
    async close() {
      await server.close();
      await cleanup();
    },
  };
}
