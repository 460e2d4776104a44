/**
 * Devices at scale (issue 14): a page of 50, search by MAC and by serial, and a device page with
 * its history, on N devices with 10 IPs each (default 100k devices, 1M IPs). Targets: < 50 ms each.
 *
 * Usage: npm run bench -- devices   (IPOCKET_BENCH_DEVICES=5000 for a small run; on PostgreSQL set
 * IPOCKET_BENCH_DATABASE_URL=postgres://…: a database is created there and dropped after). The
 * SQLite dataset is cached in IPOCKET_BENCH_DIR (/tmp/ipocket-bench) per size; IPOCKET_BENCH_KEEP=1 keeps and
 * reuses the PostgreSQL one; IPOCKET_BENCH_CASES=tag,offset runs only the cases naming those words.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { openDatabase } from '../src/db/connection.js';
import { migrateLatest } from '../src/db/migrate.js';
import { SYSTEM_ACTOR } from '../src/services/context.js';
import { DevicesService } from '../src/services/devices/index.js';
import { BENCH_DIR } from './dataset.js';
import { DATASET_BASE, deviceShapeFor, generateDevices, macOf, serialOf } from './devices-dataset.js';
import { pgBenchDataset, type BenchDatabase } from './pg-dataset.js';
import { fmt, measure } from './stats.js';

const PG_URL = process.env.IPOCKET_BENCH_DATABASE_URL ?? '';
const DEVICES = Number(process.env.IPOCKET_BENCH_DEVICES ?? 100_000);
const progress = (done: number): void => void process.stderr.write(`\r  ${done.toLocaleString('en')} / ${DEVICES.toLocaleString('en')} devices`);

/** A migrated SQLite file holding the dataset (generated on first use, then reused). */
async function sqliteDataset(): Promise<{ db: Knex; label: string; drop(): Promise<void> }> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const file = path.join(BENCH_DIR, `devices-${DEVICES}.sqlite`);
  if (!existsSync(file)) {
    const tmp = `${file}.tmp`;
    rmSync(tmp, { force: true });
    const db = openDatabase({ client: 'sqlite', filename: tmp });
    await migrateLatest(db);
    const s = await generateDevices(db, deviceShapeFor(DEVICES), progress);
    await db.destroy();
    renameSync(tmp, file);
    for (const ext of ['-wal', '-shm']) rmSync(tmp + ext, { force: true });
    console.error(`\ngenerated ${DEVICES.toLocaleString('en')} devices in ${s.toFixed(1)} s → ${file}`);
  }
  const db = openDatabase({ client: 'sqlite', filename: file });
  await migrateLatest(db);
  return { db, label: 'SQLite', drop: () => db.destroy() };
}

/** The dataset on PostgreSQL (IPOCKET_BENCH_KEEP=1 keeps it for the next run: building 100k devices takes minutes). */
function pgDataset(): Promise<BenchDatabase> {
  return pgBenchDataset(PG_URL, 'ipocket_bench_devices', DEVICES, async (db) => {
    const s = await generateDevices(db, deviceShapeFor(DEVICES), progress);
    console.error(`\ngenerated ${DEVICES.toLocaleString('en')} devices in ${s.toFixed(1)} s (PostgreSQL)`);
  });
}

export async function run(): Promise<void> {
  const data = PG_URL ? await pgDataset() : await sqliteDataset();
  try {
    const devices = new DevicesService({ db: data.db, actor: SYSTEM_ACTOR });
    const counts = await data.db('device_ips').count({ n: '*' });
    console.log(`\nDevicesService on ${data.label}: ${DEVICES.toLocaleString('en')} devices, ${Number(counts[0]!.n).toLocaleString('en')} device IPs (ms, median / p95 of 20)`);
    // Each call asks about another device, so no run answers from a row the previous one just read.
    let k = 0;
    const next = (): number => (k = (k * 7919 + 104_729) % DEVICES);
    const notSeenHalf = Math.floor((Date.now() - DATASET_BASE.getTime()) / 86_400_000) + 30;
    const cases: [string, () => Promise<unknown>][] = [
      ['page of 50 (by name)', () => devices.list({ limit: 50 })],
      ['page of 50, offset n/2', () => devices.list({ limit: 50, offset: Math.floor(DEVICES / 2) })],
      ['page of 50, -memory_mb, offset n/2', () => devices.list({ sort: '-memory_mb', limit: 50, offset: Math.floor(DEVICES / 2) })],
      ['page of 50, kind=vm, last_seen_at, offset n/5', () => devices.list({ kind: ['vm'], sort: 'last_seen_at', limit: 50, offset: Math.floor(DEVICES / 5) })],
      ['page of 50, kind=vm, -memory_mb', () => devices.list({ kind: ['vm'], sort: '-memory_mb', limit: 50 })],
      ['page of 50, platform=vmware', () => devices.list({ platform: ['vmware'], limit: 50 })],
      ['page of 50, tag=prod', () => devices.list({ tag: 'prod', limit: 50 })],
      // Last seen dates spread over the 60 days before the dataset's "now": 30 more days than today is from it selects about half.
      ['page of 50, not seen for N days (~half)', () => devices.list({ not_seen_days: notSeenHalf, limit: 50 })],
      ['page of 50, tag=prod, kind=vm, -memory_mb', () => devices.list({ tag: 'prod', kind: ['vm'], sort: '-memory_mb', limit: 50 })],
      ['page of 50, archived=only', () => devices.list({ archived: 'only', limit: 50 })],
      ['search by MAC (q)', () => devices.list({ q: macOf(next()), limit: 50 })],
      ['search by serial (q)', () => devices.list({ q: serialOf(next()), limit: 50 })],
      ['search, common text (q=lab: every device)', () => devices.list({ q: 'lab', limit: 50 })],
      ['search by IP (q)', () => devices.list({ q: `10.0.${next() % 200}.${1 + (k % 250)}`, limit: 50 })],
      ['device page + 50 history rows', async () => {
        const id = next() + 1;
        await devices.get(id);
        await devices.history({ device_id: id, limit: 50 });
      }],
    ];
    const rows: Record<string, string>[] = [];
    // IPOCKET_BENCH_CASES=tag,offset runs only the cases whose name contains one of the words.
    const only = (process.env.IPOCKET_BENCH_CASES ?? '').split(',').map((w) => w.trim()).filter(Boolean);
    for (const [name, fn] of cases.filter(([n]) => only.length === 0 || only.some((w) => n.includes(w)))) {
      const s = await measure(fn);
      rows.push({ case: name, median: fmt(s.median), p95: fmt(s.p95), target: '< 50', ok: s.p95 < 50 ? 'yes' : 'NO' });
    }
    console.table(rows);
    // The searches must find what they look for (a fast miss proves nothing).
    const found = await devices.list({ q: macOf(123), limit: 5 });
    const bySerial = await devices.list({ q: serialOf(123), limit: 5 });
    console.log(`check: MAC of device 124 → ${found.items.map((d) => d.name).join(', ')}; serial → ${bySerial.items.map((d) => d.name).join(', ')}`);
  } finally {
    await data.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
