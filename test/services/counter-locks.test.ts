/**
 * Creates of the same kind (same project and type, same /16, same tag) bump the same counter
 * rows. On PostgreSQL those bumps wait for the commit (migration 150), so one writer's open
 * transaction does not hold the counter rows and a parallel create goes through at once instead
 * of queueing behind it; the counters stay exact either way. SQLite has one writer: there the
 * same writes run one after the other and only the counts are checked.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Knex } from 'knex';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

let t: TestDb;
let db: Knex;
before(async () => {
  t = await createTestDb();
  db = t.db;
});
after(async () => t.cleanup());

const within = <T>(ms: number, p: Promise<T>, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} waited more than ${ms} ms`)), ms))]);

test(`a create does not wait for another writer's open transaction on the shared counter rows (${DIALECT})`, async () => {
  const s = servicesFor(db);
  const project = await s.projects.create({ name: 'counted' });
  await s.assets.create({ ip_address: '10.61.0.1', type: 'VM', project_id: project.id, tags: ['hot'] });
  if (DIALECT === 'pg') {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let opened!: () => void;
    const isOpen = new Promise<void>((r) => (opened = r));
    const writer = db.transaction(async (trx) => {
      await servicesFor(trx as unknown as Knex).assets.create({ ip_address: '10.61.0.2', type: 'VM', project_id: project.id, tags: ['hot'] });
      await servicesFor(trx as unknown as Knex).assets.archive('10.61.0.1');
      opened();
      await held;
    });
    try {
      await isOpen;
      await within(3000, s.assets.create({ ip_address: '10.61.0.3', type: 'VM', project_id: project.id, tags: ['hot'] }), 'the create');
      await within(3000, s.assets.update('10.61.0.3', { tags: [] }), 'the retag');
    } finally {
      release();
      await writer;
    }
  } else {
    await s.assets.create({ ip_address: '10.61.0.2', type: 'VM', project_id: project.id, tags: ['hot'] });
    await s.assets.archive('10.61.0.1');
    await s.assets.create({ ip_address: '10.61.0.3', type: 'VM', project_id: project.id, tags: ['hot'] });
    await s.assets.update('10.61.0.3', { tags: [] });
  }
  // What the list and the tag filter read from the counters after both commits.
  assert.equal((await s.assets.list({ limit: 1, project_id: project.id })).total, 2);
  assert.equal((await s.assets.list({ limit: 1, project_id: project.id, archived: 'archived' })).total, 1);
  const hot = await s.assets.list({ limit: 10, tags: ['hot'], archived: 'all' });
  assert.deepEqual(hot.items.map((a) => a.ip_address).sort(), ['10.61.0.1', '10.61.0.2']);
  const blocks = (await db('ip_key_blocks').where({ level: 2 }).sum({ n: 'n' }).first()) as { n: number | string };
  assert.equal(Number(blocks.n), 2, 'active addresses counted in the /16 blocks');
  const tagCount = (await db('ip_asset_tag_counts as c').join('tags as t', 't.id', 'c.tag_id').where('t.name', 'hot').first('c.n')) as { n: number };
  assert.equal(Number(tagCount.n), 2);
});
