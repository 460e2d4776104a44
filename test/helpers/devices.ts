import { after, before, beforeEach } from 'node:test';
import { createTestDb, type TestDb } from './db.js';
import { servicesFor } from './services.js';

/** Tables a device test empties before each test, children first. */
export const DEVICE_TABLES = ['device_changes', 'device_custom_values', 'custom_fields', 'device_facts', 'device_overrides', 'device_macs', 'device_disks', 'device_nics', 'device_ips', 'device_tags', 'audit_log', 'ip_asset_tags', 'ip_assets', 'hosts', 'owners', 'vendors', 'projects'];

/** One database for a device test file (SQLite or TEST_DATABASE_URL), emptied of devices before each test. */
export function deviceTestDb(): { t: TestDb; s: ReturnType<typeof servicesFor> } {
  const ctx = {} as { t: TestDb; s: ReturnType<typeof servicesFor> };
  before(async () => {
    ctx.t = await createTestDb();
    ctx.s = servicesFor(ctx.t.db);
  });
  after(() => ctx.t.cleanup());
  beforeEach(async () => {
    for (const table of DEVICE_TABLES) await ctx.t.db(table).delete();
  });
  return ctx;
}
