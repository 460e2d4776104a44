import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countFree, countUsed, countUsedKeys, freeKeys, kthFreeKey, kthUsedKey, rangeUsedSql } from '../../src/db/queries/key-space.js';
import { keyToBigInt, tryParseAddress } from '../../src/domain/ip/address.js';
import { tryParseCidr } from '../../src/domain/ip/cidr.js';
import { familyPieces, percentUsed, V4_KEYS, type KeyInterval } from '../../src/domain/ip/key-space.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { servicesFor } from '../helpers/services.js';

const key = (ip: string): bigint => keyToBigInt(tryParseAddress(ip)!.key);
const usable = (cidr: string): KeyInterval => {
  const c = tryParseCidr(cidr)!;
  return { version: c.version, lo: keyToBigInt(c.usableFirstKey), hi: keyToBigInt(c.usableLastKey) };
};

describe('key-space arithmetic', () => {
  it('IPv6 spans skip the IPv4 keys; percent is exact with two decimals', () => {
    assert.deepEqual(familyPieces({ version: 6, lo: 0n, hi: (1n << 64n) - 1n }), [[0n, V4_KEYS.lo - 1n], [V4_KEYS.hi + 1n, (1n << 64n) - 1n]]);
    assert.deepEqual(familyPieces({ version: 4, lo: V4_KEYS.lo, hi: V4_KEYS.hi }), [[V4_KEYS.lo, V4_KEYS.hi]]);
    assert.deepEqual(familyPieces({ version: 6, lo: 5n, hi: 4n }), []);
    assert.equal(percentUsed(5n, 254n), 1.97);
    assert.equal(percentUsed(1n, (1n << 64n) - 1n), 0);
    assert.equal(percentUsed(2n, 2n), 100);
    assert.equal(percentUsed(0n, 0n), 0);
  });
});

/** The queries against a brute force over small ranges, with and without keys to skip. */
describe(`key-space queries (${DIALECT})`, () => {
  let t: TestDb;
  const USED = ['10.40.0.1', '10.40.0.2', '10.40.0.3', '10.40.0.9', '10.40.0.20', '10.40.0.254', '10.40.1.7'];
  const V6 = ['2001:db8:40::', '2001:db8:40::1', '2001:db8:40::ff', '2001:db8:40::100', '::1', '::5'];
  before(async () => {
    t = await createTestDb();
    const s = servicesFor(t.db);
    for (const ip of [...USED, '10.40.0.30', ...V6]) await s.assets.create({ ip_address: ip, type: 'VM' });
    await s.assets.archive('10.40.0.30');
  });
  after(() => t.cleanup());

  function bruteFree(iv: KeyInterval, exclude: bigint[]): bigint[] {
    const taken = new Set([...USED.map(key), ...exclude]);
    const out: bigint[] = [];
    for (let k = iv.lo; k <= iv.hi; k++) if (!taken.has(k)) out.push(k);
    return out;
  }

  it('k-th free key excluding a set (a gateway, a used key, one outside) matches a brute force for every k', async () => {
    const iv = usable('10.40.0.0/24');
    const exclude = [key('10.40.0.4'), key('10.40.0.2'), key('10.40.0.30'), key('10.41.0.1')];
    const free = bruteFree(iv, exclude);
    assert.equal(await countFree(t.db, iv, exclude), BigInt(free.length));
    for (let k = 0; k < free.length; k += 7) assert.equal(await kthFreeKey(t.db, iv, BigInt(k), exclude), free[k], `k=${k}`);
    assert.equal(await kthFreeKey(t.db, iv, BigInt(free.length - 1), exclude), free.at(-1));
    assert.equal(await kthFreeKey(t.db, iv, BigInt(free.length), exclude), null, 'past the last free key');
    assert.equal(await kthFreeKey(t.db, iv, 0n, [key('10.40.0.4')]), key('10.40.0.5'), 'next free skips .1–.3 used and the gateway .4');
    assert.deepEqual(await freeKeys(t.db, iv, 0n, 10, exclude), free.slice(0, 10));
    assert.deepEqual(await freeKeys(t.db, iv, 240n, 50, exclude), free.slice(240));
  });

  it('k-th used key and counts of many spans in one call', async () => {
    const iv = usable('10.40.0.0/16');
    const used = USED.map(key);
    for (let k = 0; k < used.length; k++) assert.equal(await kthUsedKey(t.db, iv, BigInt(k)), used[k]);
    assert.equal(await kthUsedKey(t.db, iv, BigInt(used.length)), null);
    assert.deepEqual(await countUsedKeys(t.db, [iv, usable('10.40.0.0/24'), usable('10.40.0.0/30'), usable('10.40.1.0/24'), usable('2001:db8::/64')]), [7n, 6n, 2n, 1n, 0n]);
    assert.equal(await countUsed(t.db, usable('::/64')), 2n, 'IPv4 keys lie in ::/64 but are not IPv6 addresses');
  });

  it('the per-range SQL counts what countUsedKeys counts over the usable bounds, for every size and family', async () => {
    const cidrs = ['0.0.0.0/0', '10.0.0.0/8', '10.40.0.0/16', '10.40.0.0/24', '10.40.0.0/25', '10.40.0.0/31', '10.40.0.254/31', '10.40.1.7/32', '10.40.0.0/15', '::/0', '::/64', '::/120', '2001:db8:40::/64', '2001:db8:40::/112', '2001:db8:40::/120', '2001:db8:40::/127', '2001:db8:40::1/128'];
    for (const cidr of cidrs) await servicesFor(t.db).ranges.create({ name: cidr, cidr });
    const rows = (await t.db('ranges as r').select('r.cidr', t.db.raw('? AS used', [rangeUsedSql(t.db, 'r')]))) as { cidr: string; used: number | string }[];
    const bySql = new Map(rows.map((r) => [r.cidr, BigInt(String(r.used))]));
    const byWindows = await countUsedKeys(t.db, cidrs.map(usable));
    const live = [...USED, ...V6].map((ip) => tryParseAddress(ip)!);
    cidrs.forEach((cidr, i) => {
      const c = tryParseCidr(cidr)!;
      const brute = BigInt(live.filter((a) => a.version === c.version && a.key >= c.usableFirstKey && a.key <= c.usableLastKey).length);
      assert.equal(bySql.get(c.cidr), brute, `range SQL for ${cidr}`);
      assert.equal(byWindows[i], brute, `windows for ${cidr}`);
    });
  });
});

/** The climb of kthFree meets a dense run of used keys and hands over to the binary search. */
describe(`key-space free search over a dense run (${DIALECT})`, () => {
  let t: TestDb;
  const run = Array.from({ length: 40 }, (_, i) => `10.42.0.${i + 1}`);
  before(async () => {
    t = await createTestDb();
    const s = servicesFor(t.db);
    for (const ip of [...run, '10.42.0.50', '10.42.0.52']) await s.assets.create({ ip_address: ip, type: 'VM' });
  });
  after(() => t.cleanup());

  it('k-th free key after a long run of used keys (the climb hands over to the binary search) matches a brute force', async () => {
    const iv = usable('10.42.0.0/24');
    const taken = new Set([...run, '10.42.0.50', '10.42.0.52'].map(key));
    const exclude = [key('10.42.0.41')];
    const free: bigint[] = [];
    for (let k = iv.lo; k <= iv.hi; k++) if (!taken.has(k) && k !== exclude[0]) free.push(k);
    for (let k = 0; k < free.length; k++) assert.equal(await kthFreeKey(t.db, iv, BigInt(k), exclude), free[k], `k=${k}`);
    assert.equal(await kthFreeKey(t.db, iv, BigInt(free.length), exclude), null);
    assert.deepEqual(await freeKeys(t.db, iv, 3n, 20, exclude), free.slice(3, 23));
    assert.equal(await kthFreeKey(t.db, iv, 0n), key('10.42.0.41'), 'next free after .1–.40');
  });
});
