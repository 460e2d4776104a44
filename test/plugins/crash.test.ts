/** kill -9 in the middle of an apply leaves the database exactly as it was before the run. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { openDatabase } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { reapStaleRuns } from '../../src/services/run-liveness.js';
import { DIALECT } from '../helpers/db.js';
import { killMidApply } from '../helpers/kill-mid-apply.js';
import { servicesFor } from '../helpers/services.js';
import { inventoryCounts } from './helpers/app.js';
import { sharedTestDatabase } from './helpers/shared-db.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers/apply-child.ts');

test(`a killed apply leaves the database as it was (${DIALECT})`, async () => {
  const { database, cleanup } = await sharedTestDatabase('crash');
  let db = openDatabase(database);
  try {
    await migrateLatest(db);
    const s = servicesFor(db);
    const p = await s.projects.create({ name: 'before' });
    await s.assets.create({ ip_address: '10.99.0.1', type: 'OS', project_id: p.id, tags: ['pre'] });
    await s.assets.create({ ip_address: '10.99.0.2', type: 'VM' });
    const before = await inventoryCounts(db);
    await db.destroy();

    const { out, exit } = await killMidApply(CHILD, { CHILD_DATABASE: JSON.stringify(database), CHILD_COUNT: '30000' });
    assert.ok(!out.includes('FINISHED'));
    assert.equal(exit, 'SIGKILL');

    db = openDatabase(database);
    assert.deepEqual(await inventoryCounts(db), before);
    assert.equal(await db('projects').where({ name: 'crash-project' }).first(), undefined);
    // The run itself was recorded when it started, and shows it never finished.
    const run = (await db('import_runs').orderBy('id', 'desc').first()) as { id: number; status: string; mode: string };
    assert.deepEqual([run.mode, run.status], ['apply', 'running']);
    // Until a start-up (or another instance's periodic check) sees that its process is gone.
    assert.deepEqual(await reapStaleRuns(db), [Number(run.id)]);
    assert.equal(((await db('import_runs').where({ id: run.id }).first('status')) as { status: string }).status, 'interrupted');
    // The database is still usable: a normal write works.
    await servicesFor(db).assets.create({ ip_address: '10.99.0.3', type: 'VM' });
  } finally {
    await db.destroy().catch(() => undefined);
    await cleanup();
  }
});
