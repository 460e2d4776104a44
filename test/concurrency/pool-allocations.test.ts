/**
 * Issue 19: concurrent allocations from two app instances (two processes, each with its own
 * connection pool) on one database — one SQLite file, or one PostgreSQL database. Every address
 * handed out is distinct, none is lost (what the answers say was reserved is exactly what is
 * stored, and the key-space counters agree), and the only failures are the documented 409s of an
 * exhausted pool.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import type { AppConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { countUsed } from '../../src/db/queries/key-space.js';
import { keyToBigInt } from '../../src/domain/ip/address.js';
import { tryParseCidr } from '../../src/domain/ip/cidr.js';
import { createTestDb, DIALECT } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'allocator-child.ts');

type Outcome = { ok: true; addresses: string[]; pools: number[] } | { ok: false; status: number; message: string };

function runInstance(database: AppConfig['database'], plan: unknown[]): Promise<Outcome[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, CHILD_DATABASE: JSON.stringify(database), CHILD_PLAN: JSON.stringify(plan) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Outcome[]) : reject(new Error(`instance exited ${code}`))));
  });
}

/** Half the plan to each of two instances, started together. */
async function twoInstances(database: AppConfig['database'], plan: unknown[]): Promise<Outcome[]> {
  const half = Math.ceil(plan.length / 2);
  const [a, b] = await Promise.all([runInstance(database, plan.slice(0, half)), runInstance(database, plan.slice(half))]);
  return [...a, ...b];
}

describe(`200 concurrent allocations from two instances on one database (${DIALECT})`, () => {
  let db: Knex;
  let database: AppConfig['database'];
  let cleanup: () => Promise<void>;
  before(async () => {
    if (DIALECT === 'sqlite') {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-pools-'));
      database = { client: 'sqlite', filename: path.join(dir, 'shared.sqlite') };
      db = openDatabase(database);
      await migrateLatest(db);
      cleanup = async () => (await db.destroy(), rmSync(dir, { recursive: true, force: true }));
    } else {
      const t = await createTestDb();
      db = t.db;
      database = t.database;
      cleanup = t.cleanup;
    }
  });
  after(() => cleanup());

  /** Stored live reservations agree with the answers and with the key-space counters. */
  async function checkStored(poolIds: number[], handedOut: string[]): Promise<void> {
    const rows = (await db('ip_reservations').whereIn('pool_id', poolIds).whereIn('status', ['RESERVED', 'ASSIGNED']).select('ip_address')) as { ip_address: string }[];
    assert.deepEqual(rows.map((r) => r.ip_address).sort(), [...handedOut].sort(), 'stored = answered (none lost, none extra)');
    const s = servicesFor(db);
    let used = 0n;
    for (const id of poolIds) {
      const p = await s.pools.get(id);
      const c = tryParseCidr(p.network_cidr)!;
      used += await countUsed(db, { version: c.version, lo: keyToBigInt(c.usableFirstKey), hi: keyToBigInt(c.usableLastKey) });
    }
    assert.equal(used, BigInt(handedOut.length), 'the key-space counters count each once');
  }

  test('one pool: 200 requests for a pool of 253 — all distinct, none lost, no failure', async () => {
    const pool = await servicesFor(db).pools.create({ pool_name: 'one', pool_type: 'IPV4_PUBLIC', network_cidr: '10.60.0.0/24', gateway: '10.60.0.1' });
    const out = await twoInstances(database, Array.from({ length: 200 }, () => ({ pool_id: pool.id })));
    const bad = out.filter((o) => !o.ok);
    assert.deepEqual(bad, []);
    const addresses = out.flatMap((o) => (o.ok ? o.addresses : []));
    assert.equal(new Set(addresses).size, 200);
    assert.ok(!addresses.includes('10.60.0.1') && !addresses.includes('10.60.0.0') && !addresses.includes('10.60.0.255'));
    await checkStored([pool.id], addresses);
  });

  test('ten pools: 200 requests spread over them (and over a group), all distinct', async () => {
    const s = servicesFor(db);
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push((await s.pools.create({ pool_name: `ten-${i}`, pool_type: 'IPV4_PRIVATE', network_cidr: `10.61.${i}.0/27`, group_name: i < 5 ? 'ten-group' : null })).id);
    // 30 usable each: 150 from the first five through the group, 100 from the other five directly.
    const plan = Array.from({ length: 200 }, (_, i) => (i % 4 === 3 ? { pool_id: ids[5 + (i % 5)] } : { group_name: 'ten-group' }));
    const out = await twoInstances(database, plan);
    assert.deepEqual(out.filter((o) => !o.ok), []);
    const addresses = out.flatMap((o) => (o.ok ? o.addresses : []));
    assert.equal(new Set(addresses).size, 200);
    await checkStored(ids, addresses);
  });

  test('an exhausted pool: of 200 requests for 62 addresses, 62 succeed and the rest get the documented 409', async () => {
    const pool = await servicesFor(db).pools.create({ pool_name: 'short', pool_type: 'IPV4_PUBLIC', network_cidr: '10.62.0.0/26' });
    const out = await twoInstances(database, Array.from({ length: 200 }, (_, i) => (i % 20 === 0 ? { pool_id: pool.id, count: 3 } : { pool_id: pool.id })));
    const addresses = out.flatMap((o) => (o.ok ? o.addresses : []));
    assert.equal(addresses.length, 62);
    assert.equal(new Set(addresses).size, 62);
    for (const o of out) if (!o.ok) assert.match(`${o.status} ${o.message}`, /^409 Pool short has (no free address: 62 of 62 used\.|only (1 free address: 61|2 free addresses: 60) of 62 used; 3 addresses were asked for\.)$/);
    await checkStored([pool.id], addresses);
  });
});
