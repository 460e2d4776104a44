/** kill -9 in the middle of applying a push of 10k devices leaves the database exactly as it was. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { openDatabase } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { DIALECT } from '../helpers/db.js';
import { killMidApply } from '../helpers/kill-mid-apply.js';
import { servicesFor } from '../helpers/services.js';
import { sharedTestDatabase } from '../plugins/helpers/shared-db.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sync-push-crash-child.ts');
const TABLES = ['hosts', 'device_facts', 'device_macs', 'device_nics', 'device_ips', 'device_changes', 'ip_assets', 'audit_log'];

async function counts(db: ReturnType<typeof openDatabase>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number(((await db(t).count({ n: '*' }))[0] as { n: number }).n);
  return out;
}

test(`a push killed mid-apply leaves the database as it was (${DIALECT})`, async () => {
  const { database, cleanup } = await sharedTestDatabase('push-crash');
  let db = openDatabase(database);
  try {
    await migrateLatest(db);
    await servicesFor(db).devices.create({ name: 'stays', serial: 'S-1' });
    const before = await counts(db);
    await db.destroy();

    const { out, exit } = await killMidApply(CHILD, { CHILD_DATABASE: JSON.stringify(database), CHILD_COUNT: '10000' });
    assert.match(out, /APPLYING 2000\/10000/);
    assert.equal(exit, 'SIGKILL');

    db = openDatabase(database);
    assert.deepEqual(await counts(db), before);
    assert.equal(await db('hosts').where({ name: 'crash-vm0' }).first(), undefined);
  } finally {
    await db.destroy().catch(() => undefined);
    await cleanup();
  }
});
