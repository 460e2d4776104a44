/**
 * reconciliation_seen (IP assets per archived × key block × day last sighted, migration 310/410)
 * feeds the reconciliation report's unknown/reclaimable counts. Runs write it per statement on
 * PostgreSQL (migration 422: summed from each statement's rows, folded in at COMMIT), single
 * writes per row: either way it must equal a recount of the assets after creates, sightings that
 * move the day, archives, restores and deletes, by a run and by hand, and nothing may be left
 * pending once a transaction has committed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { emptyBatch, type BatchAsset } from '../../src/plugins/batch.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { EDITOR, servicesFor } from '../helpers/services.js';

describe(`reconciliation_seen equals a recount after runs and single writes (${DIALECT})`, () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(() => t.cleanup());

  const rows = async (sql: string): Promise<string[]> => {
    const r = (await t.db.raw(sql)) as unknown;
    const list = (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
    return list.map((x) => Object.values(x).map((v) => (typeof v === 'boolean' ? Number(v) : String(v))).join('|')).sort();
  };
  async function assertExact(step: string): Promise<void> {
    assert.deepEqual(
      await rows('SELECT archived, block, day, n FROM reconciliation_seen WHERE n <> 0'),
      await rows(`SELECT archived, substr(ip_key, 1, 28) AS b, COALESCE(substr(last_sighted_at, 1, 10), '') AS d, COUNT(*) AS n FROM ip_assets GROUP BY archived, substr(ip_key, 1, 28), COALESCE(substr(last_sighted_at, 1, 10), '')`),
      `reconciliation_seen after ${step}`,
    );
    if (DIALECT === 'pg') assert.deepEqual(await rows('SELECT COUNT(*) AS n FROM counter_pending'), ['0'], `nothing pending after ${step}`);
  }

  /** A run of a scanner that reports these addresses (each with the time it saw it). */
  async function scan(assets: BatchAsset[]): Promise<void> {
    const plugin = definePlugin({ name: 'nmap', title: 'Nmap', kind: 'importer', options: z.object({}), collect: async () => ({ ...emptyBatch('scan.xml'), ip_assets: assets }) });
    const out = await runPlugin(t.db, EDITOR, { plugin, input: { files: [] }, options: {}, dryRun: false, chunkSize: 3 });
    assert.equal(out.status, 'succeeded', out.error?.message ?? JSON.stringify(out.plan?.errors.slice(0, 3)));
  }
  // Two /112 blocks of IPv4 and one of IPv6, so the sums have several keys per statement.
  const addresses = ['10.1.0.1', '10.1.0.2', '10.1.0.3', '10.2.0.1', '10.2.0.2', '2001:db8::1', '2001:db8::2'];

  it('creates, day-moving sightings, archives in a run, single writes and deletes keep the counters exact', async () => {
    await assertExact('nothing');
    await scan(addresses.map((ip, i) => ({ loc: `host ${i}`, ip_address: ip, type: 'OS', last_seen_at: `2026-0${1 + (i % 3)}-0${1 + i} 10:00:00` })));
    await assertExact('a first scan (three days)');
    // Later days for some (the sighting moves last_sighted_at, and the day with it), none for others.
    await scan(addresses.slice(0, 4).map((ip, i) => ({ loc: `host ${i}`, ip_address: ip, type: 'OS', last_seen_at: `2026-06-1${i} 10:00:00` })));
    await assertExact('a scan on later days');
    await scan([
      { loc: 'a', ip_address: '10.1.0.1', type: 'OS', archived: true },
      { loc: 'b', ip_address: '10.9.0.1', type: 'OS', archived: true },
      { loc: 'c', ip_address: '10.9.0.2', type: 'VM' },
    ]);
    await assertExact('a run that archives, creates archived and creates today');
    const s = servicesFor(t.db);
    await s.assets.create({ ip_address: '10.3.0.1', type: 'VM' });
    await s.assets.archive('10.2.0.1');
    await s.assets.restore('10.1.0.1');
    await assertExact('single creates, archives and restores');
    await s.assets.delete('10.2.0.2');
    await s.assets.delete('2001:db8::1');
    await assertExact('deletes');
  });
});
