import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nextFreeKeys, nextFreeSlot } from '../../src/db/queries/key-space.js';
import { bigIntToKey, keyToAddress, keyToBigInt, tryParseAddress } from '../../src/domain/ip/address.js';
import { tryParseCidr } from '../../src/domain/ip/cidr.js';
import type { KeyInterval } from '../../src/domain/ip/key-space.js';
import { prng } from '../../bench/dataset.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

const key = (ip: string): bigint => keyToBigInt(tryParseAddress(ip)!.key);
const NOW = '2026-12-01 00:00:00';

/**
 * The block descent (nextFreeKeys, nextFreeSlot: what allocation uses) against a brute force,
 * over used keys that are IP assets and live reservations, dense runs crossing 256- and
 * 65,536-key blocks, released reservations (reclaimed: free; in quarantine: held), and keys to skip.
 */
describe(`key-space block descent (${DIALECT})`, () => {
  let t: TestDb;
  const used = new Set<bigint>();
  const base = key('10.80.0.0');
  before(async () => {
    t = await createTestDb();
    const s = servicesFor(t.db);
    // A range to hang reservations on (the pool they belong to does not matter to the key space).
    const pool = await s.pools.create({ pool_name: 'ks', pool_type: 'IPV4_PRIVATE', network_cidr: '10.80.0.0/14' });
    const rand = prng(7);
    const offsets = new Set<number>();
    for (let i = 0; i < 70_000; i++) offsets.add(i); // 10.80.0.0 … past the first 65,536 block
    for (let i = 0; i < 300; i++) offsets.add(131_072 + i); // a run at the start of the third block
    for (let i = 0; i < 200; i++) offsets.add(200_000 + i); // a 256-block three quarters used
    for (let i = 0; i < 2000; i++) offsets.add(Math.floor(rand() * 2 ** 18));
    const assets: Record<string, unknown>[] = [];
    const held: Record<string, unknown>[] = [];
    let i = 0;
    for (const off of offsets) {
      const k = base + BigInt(off);
      const kk = bigIntToKey(k);
      const ip = keyToAddress(kk, 4);
      used.add(k);
      if (i++ % 3 === 0) assets.push({ ip_address: ip, ip_version: 4, ip_key: kk, type: 'VM', archived: false, created_at: NOW, updated_at: NOW });
      else held.push({ pool_id: pool.id, subscriber_id: 's', ip_address: ip, ip_version: 4, ip_key: kk, ip_last_key: kk, ip_type: 'ipv4', status: i % 2 ? 'RESERVED' : 'ASSIGNED', reserved_at: NOW, created_at: NOW, updated_at: NOW });
    }
    // Released and reclaimed ones hold nothing; released ones still in quarantine (not reclaimed) hold their address.
    const k2 = base + 70_000n;
    held.push({ pool_id: pool.id, subscriber_id: 's', ip_address: keyToAddress(bigIntToKey(k2), 4), ip_version: 4, ip_key: bigIntToKey(k2), ip_last_key: bigIntToKey(k2), ip_type: 'ipv4', status: 'RELEASED', reserved_at: NOW, released_at: NOW, reclaimed_at: NOW, created_at: NOW, updated_at: NOW });
    const k3 = base + 70_002n;
    if (!used.has(k3)) {
      used.add(k3);
      held.push({ pool_id: pool.id, subscriber_id: 's', ip_address: keyToAddress(bigIntToKey(k3), 4), ip_version: 4, ip_key: bigIntToKey(k3), ip_last_key: bigIntToKey(k3), ip_type: 'ipv4', status: 'RELEASED', reserved_at: NOW, released_at: NOW, created_at: NOW, updated_at: NOW });
    }
    // One transaction per batch, not one for all: on PostgreSQL the counter triggers update the same
    // block rows once per inserted row, and inside one transaction each update walks the versions
    // the earlier ones left (tens of thousands), which made this setup take minutes.
    for (let j = 0; j < assets.length; j += 400) await t.db('ip_assets').insert(assets.slice(j, j + 400));
    for (let j = 0; j < held.length; j += 400) await t.db('ip_reservations').insert(held.slice(j, j + 400));
  });
  after(() => t.cleanup());

  function brute(iv: KeyInterval, want: number, skip: bigint[], order: 'asc' | 'desc'): bigint[] {
    const out: bigint[] = [];
    const stop = new Set([...skip]);
    if (order === 'asc') for (let k = iv.lo; k <= iv.hi && out.length < want; k++) if (!used.has(k) && !stop.has(k)) out.push(k);
    if (order === 'desc') for (let k = iv.hi; k >= iv.lo && out.length < want; k--) if (!used.has(k) && !stop.has(k)) out.push(k);
    return out;
  }

  it('first free keys, lowest and highest first, any span, with skipped keys', async () => {
    const rand = prng(11);
    const spans: [number, number][] = [
      [0, 2 ** 18 - 1],
      [1, 69_999],
      [65_000, 140_000],
      [131_000, 131_500],
      [0, 69_999],
      [69_990, 70_010],
      [199_900, 200_400],
      [190_000, 2 ** 18 - 1],
    ];
    for (let i = 0; i < 20; i++) {
      const a = Math.floor(rand() * 2 ** 18);
      spans.push([a, a + Math.floor(rand() * 5000)]);
    }
    for (const [a, b] of spans) {
      const iv: KeyInterval = { version: 4, lo: base + BigInt(a), hi: base + BigInt(b) };
      const skip = [base + 70_000n, base + 70_001n, base + BigInt(a)];
      for (const order of ['asc', 'desc'] as const) {
        for (const want of [1, 7, 600]) {
          assert.deepEqual(await nextFreeKeys(t.db, iv, want, skip, order), brute(iv, want, skip, order), `${a}..${b} ${order} ${want}`);
        }
      }
    }
    // A span with nothing free.
    assert.deepEqual(await nextFreeKeys(t.db, { version: 4, lo: base, hi: base + 69_999n }, 1), []);
  });

  it('first free delegation slot of a /48, lowest and highest first, past delegations and held addresses', async () => {
    const s = servicesFor(t.db);
    const pd = await s.pools.create({ pool_name: 'ks-pd', pool_type: 'IPV6_PREFIX_DELEGATION', network_cidr: '2001:db8:80::/48', delegation_prefix_length: 64 });
    const c = tryParseCidr('2001:db8:80::/48')!;
    const lo = keyToBigInt(c.firstKey);
    const iv: KeyInterval = { version: 6, lo, hi: keyToBigInt(c.lastKey) };
    const slot = (i: number): bigint => lo + (BigInt(i) << 64n);
    const taken = new Set<number>();
    for (let i = 0; i < 700; i++) taken.add(i); // crosses two /56 blocks
    for (const i of [65_535, 65_534, 65_000]) taken.add(i);
    const rows = [...taken].map((i) => ({ pool_id: pd.id, subscriber_id: 'c', ip_address: `x${i}`, ip_version: 6, ip_key: bigIntToKey(slot(i)), ip_last_key: bigIntToKey(slot(i) + (1n << 64n) - 1n), ip_type: 'ipv6_prefix', prefix_length: 64, status: 'ASSIGNED', reserved_at: NOW, created_at: NOW, updated_at: NOW }));
    await t.db.transaction(async (trx) => {
      for (let j = 0; j < rows.length; j += 400) await trx('ip_reservations').insert(rows.slice(j, j + 400));
    });
    assert.equal(await nextFreeSlot(t.db, iv, 64n, 'asc'), slot(700));
    assert.equal(await nextFreeSlot(t.db, iv, 64n, 'desc'), slot(65_533));
    assert.equal(await nextFreeSlot(t.db, { ...iv, lo: slot(65_000) }, 64n, 'asc'), slot(65_001));
    // As /56 slots: the first three /56s hold delegations.
    assert.equal(await nextFreeSlot(t.db, iv, 72n, 'asc'), lo + (3n << 72n));
    assert.equal(await nextFreeSlot(t.db, iv, 72n, 'desc'), lo + (254n << 72n));
    // And through the service: the next /64 skips a slot holding a single address.
    await s.assets.create({ ip_address: keyToAddress(bigIntToKey(slot(700) + 5n), 6), type: 'VM' });
    assert.equal((await s.reservations.reserve({ pool_id: pd.id, subscriber_id: 'n' })).ip_address, `${keyToAddress(bigIntToKey(slot(701)), 6)}/64`);
  });
});
