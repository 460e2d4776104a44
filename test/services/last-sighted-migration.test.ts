/**
 * Migration 410 on a populated database (both dialects): ip_assets.last_sighted_at is backfilled
 * from the latest sighting of any source, an asset with no sighting row keeps its last_seen_at
 * (history from before sightings were kept), and the reconciliation counters are rebuilt on the
 * new column, so the report's counts agree with its pages right after the upgrade.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrateLatest } from '../../src/db/migrate.js';
import { bigIntToKey } from '../../src/domain/ip/address.js';
import { SYSTEM_ACTOR } from '../../src/services/context.js';
import { ReconciliationService, type ReconciliationItem } from '../../src/services/reconciliation/report.js';
import { createTestDb, DIALECT, migrateBefore, type TestDb } from '../helpers/db.js';

const NOW = new Date('2026-06-30T12:00:00Z');
const T = '2026-01-01 00:00:00';

describe(`last_sighted_at: migration 410 (${DIALECT})`, () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb(migrateBefore('410'));
    const asset = async (last: number, lastSeen: string | null, archived = false): Promise<number> => {
      const [row] = (await t.db('ip_assets')
        .insert({ ip_address: `10.0.0.${last}`, ip_version: 4, ip_key: bigIntToKey(0xffff0a000000n + BigInt(last)), type: 'OS', archived, last_seen_at: lastSeen, created_at: T, updated_at: T })
        .returning('id')) as { id: number }[];
      return Number(row!.id);
    };
    const sighting = (id: number, source: string, at: string) => t.db('ip_asset_sightings').insert({ ip_asset_id: id, source, scope: `${source}-lab`, first_seen_at: at, last_seen_at: at });
    // .1: its last run says 2026-03-01, but Nmap saw it on 2026-06-28: not reclaimable.
    const one = await asset(1, '2026-03-01 00:00:00');
    await sighting(one, 'vcenter', '2026-03-01 00:00:00');
    await sighting(one, 'nmap', '2026-06-28 10:00:00');
    // .2: both sources last saw it in April: reclaimable.
    const two = await asset(2, '2026-04-10 00:00:00');
    await sighting(two, 'vcenter', '2026-04-10 00:00:00');
    await sighting(two, 'nmap', '2026-04-02 00:00:00');
    // .3: seen before sightings were kept (no row): its last_seen_at stands, reclaimable.
    await asset(3, '2026-02-01 00:00:00');
    // .4: never seen; .5: archived, Prometheus saw it lately: unknown.
    await asset(4, null);
    const five = await asset(5, '2026-01-05 00:00:00', true);
    await sighting(five, 'prometheus', '2026-06-29 00:00:00');
    await migrateLatest(t.db);
  });
  after(() => t.cleanup());

  it('backfills the latest sighting of any source, else last_seen_at', async () => {
    const rows = (await t.db('ip_assets').orderBy('ip_address').select('ip_address', 'last_sighted_at')) as { ip_address: string; last_sighted_at: string | null }[];
    assert.deepEqual(rows.map((r) => [r.ip_address, r.last_sighted_at]), [
      ['10.0.0.1', '2026-06-28 10:00:00'],
      ['10.0.0.2', '2026-04-10 00:00:00'],
      ['10.0.0.3', '2026-02-01 00:00:00'],
      ['10.0.0.4', null],
      ['10.0.0.5', '2026-06-29 00:00:00'],
    ]);
  });

  it('the report reads it, and its counters agree with the pages', async () => {
    const s = new ReconciliationService({ db: t.db, actor: SYSTEM_ACTOR }, () => NOW);
    const addresses = async (kind: 'reclaimable' | 'unknown') => ((await s.page({ kind })).items as ReconciliationItem[]).map((i) => i.ip_address);
    assert.deepEqual(await addresses('reclaimable'), ['10.0.0.2', '10.0.0.3']);
    assert.deepEqual(await addresses('unknown'), ['10.0.0.5']);
    assert.deepEqual(await s.counts(), { unknown: 1, reclaimable: 2, mismatch: 0, disagree: 0 });
    // The triggers follow the new column: a fresh sighting of .2 moves it out of the count.
    await t.db('ip_assets').where({ ip_address: '10.0.0.2' }).update({ last_sighted_at: '2026-06-30 11:00:00' });
    assert.deepEqual((await s.counts()).reclaimable, 1);
  });
});
