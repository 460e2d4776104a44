/**
 * The outbox's "is a NetBox connection saved?" is cached: pool and reservation writes do not ask
 * the database each time, and saving or removing a connection here is seen by the next write.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Knex } from 'knex';
import { createTestDb, DIALECT } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

let db: Knex;
let cleanup: () => Promise<void>;
before(async () => ({ db, cleanup } = await createTestDb()));
after(() => cleanup());

const queued = async (): Promise<string[]> => ((await db('netbox_outbox').orderBy('id')) as { entity: string; entity_id: number }[]).map((r) => `${r.entity} ${r.entity_id}`);

test(`a saved connection starts the queue at the next write; later writes do not ask for it; a removed one stops it (${DIALECT})`, async () => {
  const s = servicesFor(db);
  const pool = await s.pools.create({ pool_name: 'cache', pool_type: 'IPV4_PRIVATE', network_cidr: '10.88.0.0/28' });
  assert.deepEqual(await queued(), [], 'no connection: nothing queued');

  const config = await s.connectorConfigs.create({ name: 'netbox', plugin: 'netbox', options: { url: 'http://127.0.0.1:9/', token: 't' } });
  const asked: string[] = [];
  const record = (q: { sql: string }): void => void (q.sql.includes('connector_configs') && asked.push(q.sql));
  db.on('query', record);
  let first;
  try {
    first = await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'c-1' });
    const before = asked.length;
    await s.reservations.reserve({ pool_id: pool.id, subscriber_id: 'c-2' });
    await s.reservations.assign(first.id);
    assert.equal(asked.length - before, 0, `writes after the first asked again: ${asked.slice(before).join('; ')}`);
  } finally {
    db.off('query', record);
  }
  assert.equal((await queued()).length, 2, 'both reservations queued (the assign bumps the first)');

  await s.connectorConfigs.remove(config.id);
  await db('netbox_outbox').delete();
  await s.reservations.release(first.id);
  assert.deepEqual(await queued(), [], 'removed here: the next write knows at once');
});
