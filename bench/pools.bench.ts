/**
 * Pool allocation (issue 19), on a SQLite file: the next free address of a /8 pool holding
 * IPOCKET_BENCH_POOL_USED used addresses (default 1,000,000: 90% a dense run from the start, the
 * rest scattered, half IP assets and half reservations), lowest and highest first; a batch of
 * 1,000; the next free /64 of a /48 prefix-delegation pool with half its 65,536 /64s delegated.
 * Each figure is a real reservation (lock, re-check, pick, insert, audit, commit); the
 * "search only" rows time the pick alone.
 * Targets: < 5 ms, < 100 ms, < 5 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { openDatabase } from '../src/db/connection.js';
import { migrateLatest } from '../src/db/migrate.js';
import { bigIntToKey, keyToAddress, keyToBigInt } from '../src/domain/ip/address.js';
import { tryParseCidr } from '../src/domain/ip/cidr.js';
import { SYSTEM_ACTOR } from '../src/services/context.js';
import { pickAddresses, pickPrefixes } from '../src/services/pools/allocation.js';
import { PoolsService } from '../src/services/pools/pools.js';
import { ReservationsService } from '../src/services/pools/reservations.js';
import { prng } from './dataset.js';
import { fmt, measure } from './stats.js';

const NOW = '2026-12-01 00:00:00';

async function insertChunks(db: Knex, table: string, rows: Record<string, unknown>[]): Promise<void> {
  await db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += 400) await trx(table).insert(rows.slice(i, i + 400));
  });
}

/** Used keys of the /8: a dense run from its first usable address plus scattered ones. */
function usedOffsets(n: number): number[] {
  const dense = Math.floor(n * 0.9);
  const set = new Set<number>();
  for (let i = 1; i <= dense; i++) set.add(i);
  const rand = prng(19);
  while (set.size < n) set.add(1 + Math.floor(rand() * (2 ** 24 - 2)));
  return [...set];
}

export async function run(): Promise<void> {
  const n = Number(process.env.IPOCKET_BENCH_POOL_USED ?? 1_000_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-pools-bench-'));
  const db = openDatabase({ client: 'sqlite', filename: path.join(dir, 'pools.sqlite') });
  await migrateLatest(db);
  const ctx = { db, actor: SYSTEM_ACTOR };
  const pools = new PoolsService(ctx);
  const reservations = new ReservationsService(ctx);
  try {
    const big = await pools.create({ pool_name: 'big', pool_type: 'IPV4_PRIVATE', network_cidr: '10.0.0.0/8', gateway: '10.0.0.1' });
    const first = keyToBigInt(tryParseCidr('10.0.0.0/8')!.firstKey);
    const started = Date.now();
    const offsets = usedOffsets(n).filter((o) => o !== 1);
    const assets: Record<string, unknown>[] = [];
    const held: Record<string, unknown>[] = [];
    offsets.forEach((o, i) => {
      const key = bigIntToKey(first + BigInt(o));
      const ip = keyToAddress(key, 4);
      if (i % 2 === 0) assets.push({ ip_address: ip, ip_version: 4, ip_key: key, type: 'VM', archived: false, created_at: NOW, updated_at: NOW });
      else held.push({ pool_id: big.id, subscriber_id: `s${i}`, ip_address: ip, ip_version: 4, ip_key: key, ip_last_key: key, ip_type: 'ipv4', status: i % 4 === 1 ? 'ASSIGNED' : 'RESERVED', reserved_at: NOW, created_at: NOW, updated_at: NOW });
    });
    await insertChunks(db, 'ip_assets', assets);
    await insertChunks(db, 'ip_reservations', held);

    const pd = await pools.create({ pool_name: 'pd', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:100::/48', delegation_prefix_length: 64 });
    const pdFirst = keyToBigInt(tryParseCidr('2001:db8:100::/48')!.firstKey);
    const delegated = Array.from({ length: 32_768 }, (_, i) => {
      const lo = pdFirst + (BigInt(i) << 64n);
      return { pool_id: pd.id, subscriber_id: `cpe${i}`, ip_address: `${keyToAddress(bigIntToKey(lo), 6)}/64`, ip_version: 6, ip_key: bigIntToKey(lo), ip_last_key: bigIntToKey(lo + (1n << 64n) - 1n), ip_type: 'ipv6_prefix', prefix_length: 64, status: 'ASSIGNED', reserved_at: NOW, created_at: NOW, updated_at: NOW };
    });
    await insertChunks(db, 'ip_reservations', delegated);
    // The load's WAL is folded in first, so no timed commit pays for checkpointing it.
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    console.log(`\nPool allocation on SQLite: /8 with ${n.toLocaleString('en')} used (${((Date.now() - started) / 1000).toFixed(1)} s to load), /48 with 32,768 of 65,536 /64s delegated (ms, median / p95)`);

    let i = 0;
    const rows: Record<string, string>[] = [];
    const row = async (what: string, target: string, fn: () => Promise<unknown>, runs = 20): Promise<void> => {
      const s = await measure(fn, runs, 2);
      rows.push({ what, median: fmt(s.median), p95: fmt(s.p95), target });
    };
    let last = '';
    await row('next free address in the /8 (lowest first)', '< 5', async () => (last = (await reservations.reserve({ pool_id: big.id, subscriber_id: `b${i++}` })).ip_address));
    rows.at(-1)!.got = last;
    await row('next free address in the /8 (highest first)', '< 5', async () => (last = (await reservations.reserve({ pool_id: big.id, subscriber_id: `b${i++}`, order: 'highest' })).ip_address));
    rows.at(-1)!.got = last;
    await row('batch of 1,000 in the /8', '< 100', async () => (last = (await reservations.reserveBatch({ pool_id: big.id, subscriber_id: `b${i++}`, count: 1000 })).at(-1)!.ip_address), 5);
    rows.at(-1)!.got = `… ${last}`;
    await row('next free /64 in the /48', '< 5', async () => (last = (await reservations.reserve({ pool_id: pd.id, subscriber_id: `c${i++}` })).ip_address));
    rows.at(-1)!.got = last;
    // The search alone (what the targets are about), without the write and commit around it.
    const bigRow = await pools.getRow(big.id);
    const pdRow = await pools.getRow(pd.id);
    await row('  search only: next free address (/8)', '< 5', async () => (last = String((await pickAddresses(db, bigRow, { count: 1, order: 'lowest' }))[0])));
    await row('  search only: 1,000 free addresses (/8)', '< 100', () => pickAddresses(db, bigRow, { count: 1000, order: 'lowest' }), 5);
    await row('  search only: next free /64 (/48)', '< 5', () => pickPrefixes(db, pdRow, 1, 'lowest'));
    await row('pool utilization by state (/8)', '-', async () => (last = JSON.stringify(await pools.stateCounts(big.id))), 10);
    console.table(rows);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
