/**
 * The reconciliation report at scale (issue 15: "over 1M IPs and 100k devices answers a page in
 * < 200 ms"): 100k devices (bench/devices-dataset.ts, vCenter facts) of which every 5th is also
 * reported by a second source (LibreNMS or Nutanix) that disagrees on a field for 1 in 20 of
 * them (its disagreements recorded as a sync records them), and 1M IP assets on those devices:
 * last seen (and last sighted, migration 410: set directly, the sightings rows themselves are not
 * generated) spread over 90 days (1 in 10 never), 3% archived (unknown when seen lately), 1% in a
 * project other than its device's.
 *
 * Times the first page of each kind, the kinds filtered to a /16 and a /24 range, a deep page,
 * the counts (overall and per range) and a cold /metrics scrape (a fresh registry, so the
 * reconciliation gauge computes instead of answering from its cache).
 *
 * Usage: npm run bench -- reconciliation (IPOCKET_BENCH_DATABASE_URL=postgres://… for
 * PostgreSQL, IPOCKET_BENCH_KEEP=1 keeps and reuses that database; the SQLite file is cached in
 * IPOCKET_BENCH_DIR). IPOCKET_BENCH_DEVICES scales the dataset (10 IPs per device);
 * IPOCKET_BENCH_RUNS sets the timed runs per case (20); IPOCKET_BENCH_CASES=word,… runs only those cases.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { openDatabase } from '../src/db/connection.js';
import { bulkInsert } from '../src/db/helpers/bulk-write.js';
import { isPostgres } from '../src/db/helpers/dialect.js';
import { migrateLatest } from '../src/db/migrate.js';
import { bigIntToKey } from '../src/domain/ip/address.js';
import { tryParseCidr } from '../src/domain/ip/cidr.js';
import { formatTimestamp } from '../src/domain/time.js';
import { createMetrics } from '../src/metrics.js';
import { SYSTEM_ACTOR } from '../src/services/context.js';
import { refreshDisagreements } from '../src/services/devices/disagreements.js';
import { RECONCILIATION_KINDS, ReconciliationService } from '../src/services/reconciliation/report.js';
import { BENCH_DIR, prng } from './dataset.js';
import { deviceShapeFor, generateDevices, ipOf, serialOf } from './devices-dataset.js';
import { pgBenchDataset, type BenchDatabase } from './pg-dataset.js';
import { fmt, measure } from './stats.js';

const PG_URL = process.env.IPOCKET_BENCH_DATABASE_URL ?? '';
const DEVICES = Number(process.env.IPOCKET_BENCH_DEVICES ?? 100_000);
const PER_DEVICE = 10;
const PROJECTS = 20;
/** The dataset's "now": the service is given this clock, so the windows select the same rows on every run. */
const NOW = new Date('2026-01-01T00:00:00Z');
const CHUNK = 10_000;
/** Timed runs per case (IPOCKET_BENCH_RUNS): the count-everything baseline takes seconds a call. */
const RUNS = Number(process.env.IPOCKET_BENCH_RUNS ?? 20);

/** The second source's facts, the IP assets, the projects and the ranges, on top of the device dataset. */
async function generate(db: Knex): Promise<void> {
  const log = (s: string) => void process.stderr.write(`\r  ${s}            `);
  await generateDevices(db, deviceShapeFor(DEVICES, PER_DEVICE), (n) => log(`${n.toLocaleString('en')} devices`));
  const rnd = prng(DEVICES + 15);
  const now = formatTimestamp(NOW);
  await db.transaction(async (trx) => {
    await bulkInsert(trx, 'projects', Array.from({ length: PROJECTS }, (_, p) => ({ name: `project-${p + 1}`, description: null, color: '#336699', created_at: now, updated_at: now })));
    const ranges = ['10.0.0.0/8', '10.1.0.0/16', '10.2.0.0/16', '10.3.7.0/24', '10.9.200.0/24'];
    await bulkInsert(trx, 'ranges', ranges.map((text) => {
      const c = tryParseCidr(text)!;
      return { name: `range ${text}`, cidr: c.cidr, ip_version: c.version, prefix: c.prefix, first_key: c.firstKey, last_key: c.lastKey, usable_first_key: c.usableFirstKey, usable_last_key: c.usableLastKey, notes: null, created_at: now, updated_at: now };
    }));
  });
  // Devices take a project in turn; the second source (LibreNMS for every 10th, Nutanix for the other 5th) disagrees on 1 in 20.
  for (let from = 0; from < DEVICES; from += CHUNK) {
    await db.transaction(async (trx) => {
      const to = Math.min(DEVICES, from + CHUNK);
      const facts: Record<string, unknown>[] = [];
      for (let i = from; i < to; i++) {
        if (i % 5 !== 0) continue;
        const id = i + 1;
        const off = i % 100 === 0;
        const source = i % 10 === 0 ? 'librenms' : 'nutanix';
        const fields = source === 'librenms' ? { hostname: `dev-${id}.lab.example`, serial: off ? `X${serialOf(i)}` : serialOf(i) } : { hostname: `dev-${id}.lab.example`, vcpus: 1 + (i % 32), memory_mb: 1024 * (1 + (i % 64)) * (off ? 2 : 1) };
        facts.push({ device_id: id, source, external_id: `${source}-${id}`, fields: JSON.stringify(fields), raw: null, run_id: null, first_seen_at: now, last_seen_at: now });
      }
      await bulkInsert(trx, 'device_facts', facts);
      // What a sync's write does for the devices whose facts it wrote: the report's mismatch case reads these rows.
      await refreshDisagreements(trx, facts.map((f) => f.device_id as number), now);
      await trx.raw(`UPDATE hosts SET project_id = 1 + (id % ${PROJECTS}) WHERE id > ? AND id <= ?`, [from, to]);
    });
    log(`second source ${Math.min(DEVICES, from + CHUNK).toLocaleString('en')}`);
  }
  // The IP assets: device i's k-th address (the same 10.0.0.0/8 numbering as its device_ips).
  for (let from = 0; from < DEVICES; from += CHUNK / PER_DEVICE) {
    await db.transaction(async (trx) => {
      const rows: Record<string, unknown>[] = [];
      for (let i = from; i < Math.min(DEVICES, from + CHUNK / PER_DEVICE); i++) {
        const id = i + 1;
        for (let k = 0; k < PER_DEVICE; k++) {
          const ip = ipOf(i, k, PER_DEVICE);
          const v4 = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
          const r = rnd();
          const seen = r < 0.1 ? null : formatTimestamp(new Date(NOW.getTime() - Math.floor(rnd() * 90 * 86_400) * 1000));
          const hostProject = 1 + (id % PROJECTS);
          rows.push({
            ip_address: ip, ip_version: 4, ip_key: bigIntToKey(0xffff00000000n + BigInt(v4)), type: k === 0 ? 'VM' : 'OS',
            project_id: rnd() < 0.01 ? 1 + ((hostProject + 3) % PROJECTS) : hostProject, host_id: id, notes: null,
            archived: rnd() < 0.03, last_seen_at: seen, last_sighted_at: seen, created_at: now, updated_at: now,
          });
        }
      }
      await bulkInsert(trx, 'ip_assets', rows);
    });
    log(`${(Math.min(DEVICES, from + CHUNK / PER_DEVICE) * PER_DEVICE).toLocaleString('en')} IP assets`);
  }
  await db.raw(isPostgres(db) ? 'VACUUM ANALYZE' : 'ANALYZE');
  process.stderr.write('\n');
}

async function sqliteDataset(): Promise<{ db: Knex; label: string; drop(): Promise<void> }> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const file = path.join(BENCH_DIR, `reconciliation-v2-${DEVICES}.sqlite`);
  if (!existsSync(file)) {
    const tmp = `${file}.tmp`;
    rmSync(tmp, { force: true });
    const db = openDatabase({ client: 'sqlite', filename: tmp });
    await migrateLatest(db);
    const started = Date.now();
    await generate(db);
    await db.destroy();
    renameSync(tmp, file);
    for (const ext of ['-wal', '-shm']) rmSync(tmp + ext, { force: true });
    console.error(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s → ${file}`);
  }
  const db = openDatabase({ client: 'sqlite', filename: file });
  await migrateLatest(db);
  return { db, label: 'SQLite', drop: () => db.destroy() };
}

function pgDataset(): Promise<BenchDatabase> {
  return pgBenchDataset(PG_URL, 'ipocket_bench_reconciliation2', DEVICES, async (db) => {
    const started = Date.now();
    await generate(db);
    console.error(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s (PostgreSQL)`);
  });
}

export async function run(): Promise<void> {
  const data = PG_URL ? await pgDataset() : await sqliteDataset();
  try {
    const db = data.db;
    const s = new ReconciliationService({ db, actor: SYSTEM_ACTOR }, () => NOW);
    const rangeId = async (cidr: string) => Number(((await db('ranges').where({ cidr }).first('id')) as { id: number }).id);
    const [r16, r24] = [await rangeId('10.1.0.0/16'), await rangeId('10.3.7.0/24')];
    const [{ n: assets }] = (await db('ip_assets').count({ n: '*' })) as [{ n: number | string }];
    console.log(`\nReconciliation report on ${data.label}: ${DEVICES.toLocaleString('en')} devices, ${Number(assets).toLocaleString('en')} IP assets (ms, median / p95 of ${RUNS})`);
    const kinds = RECONCILIATION_KINDS as readonly string[];
    type Kind = (typeof RECONCILIATION_KINDS)[number];
    const cases: [string, () => Promise<unknown>][] = [];
    for (const kind of kinds as Kind[]) {
      cases.push([`page 1 of ${kind} (+ counts, as GET /reconciliation)`, async () => [await s.page({ kind }), await s.counts({})]]);
      cases.push([`page 1 of ${kind}, /16 range (+ counts)`, async () => [await s.page({ kind, range: r16 }), await s.counts({ range: r16 })]]);
      cases.push([`page 1 of ${kind}, /24 range (+ counts)`, async () => [await s.page({ kind, range: r24 }), await s.counts({ range: r24 })]]);
      cases.push([`page 200 of ${kind}`, () => s.page({ kind, page: 200 })]);
    }
    cases.push(['counts, overall', () => s.counts({})]);
    cases.push(['counts, days=7', () => s.counts({ days: 7 })]);
    cases.push(['/metrics scrape, cold (fresh registry)', async () => createMetrics(db, { processMetrics: false }).registry.metrics()]);
    const only = (process.env.IPOCKET_BENCH_CASES ?? '').split(',').map((w) => w.trim()).filter(Boolean);
    const rows: Record<string, string>[] = [];
    for (const [name, fn] of cases.filter(([n]) => only.length === 0 || only.some((w) => n.includes(w)))) {
      const st = await measure(fn, RUNS, 1);
      rows.push({ case: name, median: fmt(st.median), p95: fmt(st.p95), target: '< 200', ok: st.p95 < 200 ? 'yes' : 'NO' });
    }
    console.table(rows);
    // The pages must hold what they claim (a fast empty answer proves nothing).
    const check: string[] = [];
    for (const kind of kinds as Kind[]) check.push(`${kind} ${(await s.page({ kind, limit: 1 })).total}`);
    console.log(`check: ${check.join(', ')}; counts ${JSON.stringify(await s.counts({}))}; /24 ${JSON.stringify(await s.counts({ range: r24 }))}`);
  } finally {
    await data.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
