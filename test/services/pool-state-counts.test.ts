import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bigIntToKey, keyToAddress, keyToBigInt, tryParseAddress } from '../../src/domain/ip/address.js';
import { tryParseCidr } from '../../src/domain/ip/cidr.js';
import type { PoolType } from '../../src/domain/pools/types.js';
import { ReservationsService } from '../../src/services/pools/reservations.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { EDITOR, servicesFor } from '../helpers/services.js';

/**
 * Utilization by state (PoolsService.stateCounts, what the pools API's utilization answers)
 * against a brute force on small pools: each address of the pool classified one by one from the
 * lists of what was reserved, assigned, released, expired and created as an asset. A released
 * address is still in quarantine (not reclaimed): held, so counted in in_use and quarantined. The /64 is
 * counted by the complement (its 2^64 addresses cannot be walked): total minus what holds one.
 */
describe(`pool utilization by state equals a brute-force count (${DIALECT})`, () => {
  let t: TestDb;
  const HOUR = 3600_000;
  before(async () => {
    t = await createTestDb();
  });
  after(() => t.cleanup());

  interface Case {
    cidr: string;
    type: PoolType;
    gateway?: string;
    /** Offsets from the network address: reserved, assigned, released, expired, assets (inside or outside usable). */
    reserve: number[];
    assign: number[];
    release: number[];
    expire: number[];
    assets: number[];
  }

  const CASES: Case[] = [
    { cidr: '10.70.0.0/30', type: 'IPV4_PRIVATE', reserve: [1], assign: [], release: [2], expire: [], assets: [0, 3] },
    { cidr: '10.70.1.0/31', type: 'IPV4_PRIVATE', reserve: [], assign: [1], release: [], expire: [0], assets: [] },
    { cidr: '10.70.2.7/32', type: 'IPV4_PUBLIC', reserve: [], assign: [0], release: [], expire: [], assets: [] },
    { cidr: '10.70.3.0/24', type: 'IPV4_PUBLIC', gateway: '10.70.3.1', reserve: [2, 3, 100, 254], assign: [4, 5, 6, 200], release: [7, 8], expire: [9, 10], assets: [0, 11, 12, 255, 128] },
    { cidr: '2001:db8:70::/126', type: 'IPV6_GLOBAL', reserve: [1], assign: [3], release: [2], expire: [], assets: [0] },
    { cidr: '2001:db8:71::/64', type: 'IPV6_ULA', gateway: '2001:db8:71::1', reserve: [2, 0xffff, 2 ** 40], assign: [5, 7], release: [9], expire: [11], assets: [0, 12, 2 ** 50] },
    // The gateway held by an asset: counted once (neither total nor available), not twice.
    { cidr: '10.70.4.0/24', type: 'IPV4_PUBLIC', gateway: '10.70.4.1', reserve: [2], assign: [3], release: [4], expire: [], assets: [1, 50] },
    { cidr: '2001:db8:72::/64', type: 'IPV6_ULA', gateway: '2001:db8:72::1', reserve: [2], assign: [], release: [], expire: [], assets: [1, 2 ** 20] },
  ];

  for (const c of CASES) {
    it(`${c.cidr}`, async () => {
      const now = Date.parse('2026-12-01T12:00:00Z');
      let clock = now;
      const s = servicesFor(t.db);
      const r = new ReservationsService({ db: t.db, actor: EDITOR }, { now: () => new Date(clock) });
      const net = tryParseCidr(c.cidr)!;
      const at = (off: number): string => keyToAddress(bigIntToKey(keyToBigInt(net.firstKey) + BigInt(off)), net.version);
      const pool = await s.pools.create({ pool_name: `state ${c.cidr}`, pool_type: c.type, network_cidr: c.cidr, gateway: c.gateway ?? null });
      const reserve = (off: number, extra: object = {}) => r.reserve({ pool_id: pool.id, subscriber_id: `s-${off}`, ip_address: at(off), ...extra });
      for (const off of c.reserve) await reserve(off);
      for (const off of c.assign) await r.assign((await reserve(off)).id);
      for (const off of c.release) await r.release((await reserve(off)).id);
      const expiring = [];
      for (const off of c.expire) expiring.push(await reserve(off, { expires_at: new Date(now + HOUR).toISOString() }));
      clock = now + 2 * HOUR;
      for (const e of expiring) assert.equal((await r.expire(e.id)).status, 'EXPIRED');
      // Assets go in last (a reservation over an asset is refused); expired addresses are free again, released ones in quarantine.
      const assetsMade = [];
      for (const off of c.assets) {
        const ip = at(off);
        if ([...c.reserve, ...c.assign].includes(off)) continue;
        await s.assets.create({ ip_address: ip, type: 'VM' });
        assetsMade.push(off);
      }

      // The brute force.
      const usableLo = keyToBigInt(net.usableFirstKey) - keyToBigInt(net.firstKey);
      const usableHi = keyToBigInt(net.usableLastKey) - keyToBigInt(net.firstKey);
      const gw = c.gateway ? keyToBigInt(tryParseAddress(c.gateway)!.key) - keyToBigInt(net.firstKey) : null;
      const inUsable = (off: number): boolean => BigInt(off) >= usableLo && BigInt(off) <= usableHi && BigInt(off) !== gw;
      let want: { total: bigint; reserved: number; assigned: number; in_use: number; quarantined: number; available: bigint };
      if (net.size <= 256n) {
        want = { total: 0n, reserved: 0, assigned: 0, in_use: 0, quarantined: 0, available: 0n };
        for (let off = 0; off < Number(net.size); off++) {
          if (!inUsable(off)) continue;
          want.total++;
          if (c.reserve.includes(off)) want.reserved++;
          else if (c.assign.includes(off)) want.assigned++;
          else if (assetsMade.includes(off)) want.in_use++;
          else if (c.release.includes(off)) {
            want.in_use++;
            want.quarantined++;
          }
          else want.available++;
        }
      } else {
        const total = usableHi - usableLo + 1n - (gw !== null ? 1n : 0n);
        const reserved = c.reserve.filter(inUsable).length;
        const assigned = c.assign.filter(inUsable).length;
        const quarantined = c.release.filter(inUsable).length;
        const inUse = assetsMade.filter(inUsable).length + quarantined;
        want = { total, reserved, assigned, in_use: inUse, quarantined, available: total - BigInt(reserved + assigned + inUse) };
      }
      const got = await s.pools.stateCounts(pool.id);
      assert.deepEqual(
        { total: BigInt(got.total), reserved: got.reserved, assigned: got.assigned, in_use: Number(got.in_use), quarantined: Number(got.quarantined), available: BigInt(got.available) },
        want,
      );
      assert.equal(got.unit, 'address');
    });
  }
});
