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
import type { Knex } from 'knex';
import { z } from 'zod';
import { countersPerStatement } from '../../src/db/helpers/bulk-counters.js';
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

describe('a bulk commit takes its counter rows in one order (pg)', { skip: DIALECT !== 'pg' && 'PostgreSQL only: SQLite has one writer and no deferred counters' }, () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(() => t.cleanup());

  // Block A sorts before block B (the key is the address's first 28 hex digits).
  const blockOf = async (ip: string): Promise<string> => ((await t.db('ip_assets').where({ ip_address: ip }).first('ip_key')) as { ip_key: string }).ip_key.slice(0, 28);
  const lockRow = (trx: Knex.Transaction, block: string, nowait = false) => trx.raw(`SELECT n FROM reconciliation_seen WHERE archived = false AND block = ? AND day = '' FOR UPDATE${nowait ? ' NOWAIT' : ''}`, [block]);

  it('statements that queued block B before block A still fold A first, so two large commits cannot lock them crosswise', async () => {
    const s = servicesFor(t.db);
    await s.assets.create({ ip_address: '10.1.0.1', type: 'OS' });
    await s.assets.create({ ip_address: '10.2.0.1', type: 'OS' });
    const [a, b] = [await blockOf('10.1.0.1'), await blockOf('10.2.0.1')];
    assert.ok(a < b);
    // Another transaction holds counter row B.
    const locker = await t.db.transaction();
    await lockRow(locker, b);
    // A bulk writer queues B, then A, and commits: it must take A and then wait for B.
    const bulk = await t.db.transaction();
    const pid = ((await bulk.raw('SELECT pg_backend_pid() AS pid')) as { rows: { pid: number }[] }).rows[0]!.pid;
    await countersPerStatement(bulk);
    await servicesFor(bulk as unknown as Knex).assets.create({ ip_address: '10.2.0.2', type: 'OS' });
    await servicesFor(bulk as unknown as Knex).assets.create({ ip_address: '10.1.0.2', type: 'OS' });
    const committed = bulk.commit();
    let probe: Knex.Transaction | null = null;
    try {
      for (let i = 0; i < 200; i++) {
        const w = (await t.db.raw('SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?', [pid])) as { rows: { wait_event_type: string | null }[] };
        if (w.rows[0]?.wait_event_type === 'Lock') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      probe = await t.db.transaction();
      await assert.rejects(lockRow(probe, a, true), /could not obtain lock/, 'row A is taken before row B is waited for');
    } finally {
      await probe?.rollback().catch(() => undefined);
      await locker.rollback();
      await committed;
    }
    assert.deepEqual(await t.db('counter_pending').count({ n: '*' }).first().then((r) => Number((r as { n: string }).n)), 0);
    const seen = (await t.db('reconciliation_seen').whereIn('block', [a, b]).where({ archived: false, day: '' }).orderBy('block').select('n')) as { n: number }[];
    assert.deepEqual(seen.map((r) => Number(r.n)), [2, 2]);
  });
});
