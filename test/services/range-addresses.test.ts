import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { bigIntToKey, keyToAddress, keyToBigInt } from '../../src/domain/ip/address.js';
import { tryParseCidr } from '../../src/domain/ip/cidr.js';
import { dashboardData } from '../../src/services/dashboard.js';
import { countUsed } from '../../src/db/queries/key-space.js';
import { RangeAddressesService, type RangeAddressQuery } from '../../src/services/ranges/addresses.js';
import { createTestDb, DIALECT, type TestDb } from '../helpers/db.js';
import { EDITOR, servicesFor } from '../helpers/services.js';

describe(`range drill-down (${DIALECT})`, () => {
  let t: TestDb;
  let s: ReturnType<typeof servicesFor>;
  let drill: RangeAddressesService;
  before(async () => {
    t = await createTestDb();
    s = servicesFor(t.db);
    drill = new RangeAddressesService({ db: t.db, actor: EDITOR });
  });
  after(() => t.cleanup());
  beforeEach(async () => {
    for (const table of ['ip_asset_tags', 'audit_log', 'ip_assets', 'hosts', 'tags', 'projects', 'vendors', 'ranges']) await t.db(table).delete();
  });

  const list = (id: number, q: RangeAddressQuery) => drill.list(id, q);
  const addrs = (page: { items: { ip_address: string }[] }): string[] => page.items.map((i) => i.ip_address);

  /** Every usable address of a small range, classified by brute force. */
  function bruteForce(cidr: string, used: Set<string>): { all: string[]; used: string[]; free: string[] } {
    const c = tryParseCidr(cidr)!;
    const all: string[] = [];
    for (let k = keyToBigInt(c.usableFirstKey); k <= keyToBigInt(c.usableLastKey); k++) all.push(keyToAddress(bigIntToKey(k), c.version));
    return { all, used: all.filter((a) => used.has(a)), free: all.filter((a) => !used.has(a)) };
  }

  it('a /27 pages all, used and free exactly like a brute force, for every offset', async () => {
    const r = await s.ranges.create({ name: 'small', cidr: '192.168.5.0/27' });
    const used = new Set(['192.168.5.1', '192.168.5.2', '192.168.5.3', '192.168.5.9', '192.168.5.17', '192.168.5.18', '192.168.5.30']);
    for (const ip of used) await s.assets.create({ ip_address: ip, type: 'VM' });
    // Outside the usable bounds (network, broadcast, neighbours) and archived: never "used".
    for (const ip of ['192.168.5.0', '192.168.5.31', '192.168.5.32', '192.168.4.255', '192.168.5.20']) await s.assets.create({ ip_address: ip, type: 'VM' });
    await s.assets.archive('192.168.5.20');
    const brute = bruteForce('192.168.5.0/27', used);
    for (const status of ['all', 'used', 'free'] as const) {
      for (const limit of [1, 3, 7, 50]) {
        for (let offset = 0; offset <= brute[status].length + 1; offset++) {
          const page = await list(r.id, { status, limit, offset });
          assert.deepEqual(addrs(page), brute[status].slice(offset, offset + limit), `${status} limit ${limit} offset ${offset}`);
          assert.equal(page.total, brute[status].length);
        }
      }
    }
    const page = await list(r.id, { status: 'all', limit: 3 });
    assert.deepEqual(page.items.map((i) => i.status), ['used', 'used', 'used']);
    assert.equal(page.items[0]!.asset?.type, 'VM');
  });

  it('/24, /31 and /32 have 254, 2 and 1 addresses', async () => {
    const a = await s.ranges.create({ name: 'a', cidr: '10.9.8.0/24' });
    const b = await s.ranges.create({ name: 'b', cidr: '10.9.9.0/31' });
    const c = await s.ranges.create({ name: 'c', cidr: '10.9.9.7/32' });
    await s.assets.create({ ip_address: '10.9.9.1', type: 'OS' });
    assert.equal((await list(a.id, {})).total, 254);
    assert.deepEqual(addrs(await list(a.id, { offset: 252 })), ['10.9.8.253', '10.9.8.254']);
    assert.deepEqual(addrs(await list(b.id, {})), ['10.9.9.0', '10.9.9.1']);
    assert.deepEqual(addrs(await list(b.id, { status: 'free' })), ['10.9.9.0']);
    assert.deepEqual(addrs(await list(b.id, { status: 'used' })), ['10.9.9.1']);
    assert.deepEqual(addrs(await list(c.id, {})), ['10.9.9.7']);
    assert.deepEqual(addrs(await list(c.id, { offset: 1 })), []);
  });

  it('an IPv6 /64 pages to its last address with decimal-string offsets; a /127 has two', async () => {
    const r = await s.ranges.create({ name: 'v6', cidr: '2001:db8:0:1::/64' });
    for (const ip of ['2001:db8:0:1::1', '2001:db8:0:1::2', '2001:db8:0:1::10', '2001:db8:0:1:ffff:ffff:ffff:fffe']) await s.assets.create({ ip_address: ip, type: 'VM' });
    const total = (1n << 64n) - 1n;
    const first = await list(r.id, { limit: 3 });
    assert.equal(first.total, total.toString());
    assert.deepEqual(addrs(first), ['2001:db8:0:1::1', '2001:db8:0:1::2', '2001:db8:0:1::3']);
    const last = await list(r.id, { limit: 3, offset: (total - 3n).toString() });
    assert.deepEqual(addrs(last), ['2001:db8:0:1:ffff:ffff:ffff:fffd', '2001:db8:0:1:ffff:ffff:ffff:fffe', '2001:db8:0:1:ffff:ffff:ffff:ffff']);
    assert.deepEqual(last.items.map((i) => i.status), ['free', 'used', 'free']);
    assert.deepEqual(addrs(await list(r.id, { offset: total.toString() })), []);
    const free = await list(r.id, { status: 'free', limit: 3 });
    assert.equal(free.total, (total - 4n).toString());
    assert.deepEqual(addrs(free), ['2001:db8:0:1::3', '2001:db8:0:1::4', '2001:db8:0:1::5']);
    assert.deepEqual(addrs(await list(r.id, { status: 'free', limit: 2, offset: (total - 6n).toString() })), ['2001:db8:0:1:ffff:ffff:ffff:fffd', '2001:db8:0:1:ffff:ffff:ffff:ffff']);
    const mid = (total - 4n) / 2n;
    const midKey = keyToBigInt(tryParseCidr('2001:db8:0:1::/64')!.firstKey) + mid + 4n;
    assert.deepEqual(addrs(await list(r.id, { status: 'free', limit: 1, offset: mid.toString() })), [keyToAddress(bigIntToKey(midKey), 6)]);
    assert.deepEqual(addrs(await list(r.id, { status: 'used', offset: 3 })), ['2001:db8:0:1:ffff:ffff:ffff:fffe']);
    const p127 = await s.ranges.create({ name: 'p2p', cidr: '2001:db8:0:2::/127' });
    assert.deepEqual(addrs(await list(p127.id, {})), ['2001:db8:0:2::', '2001:db8:0:2::1']);
  });

  it('offsets beyond the end give an empty page with the total', async () => {
    const r = await s.ranges.create({ name: 'r', cidr: '10.1.0.0/24' });
    await s.assets.create({ ip_address: '10.1.0.5', type: 'VM' });
    for (const status of ['all', 'used', 'free'] as const) {
      const page = await list(r.id, { status, offset: 1000 });
      assert.deepEqual(page.items, []);
      assert.equal(page.total, { all: 254, used: 1, free: 253 }[status]);
    }
  });

  it('free rows skip a long run of used addresses', async () => {
    const r = await s.ranges.create({ name: 'dense', cidr: '10.2.0.0/20' });
    const rows = [];
    for (let i = 1; i <= 3000; i++) {
      const k = keyToBigInt(tryParseCidr('10.2.0.0/20')!.firstKey) + BigInt(i);
      rows.push({ ip_address: keyToAddress(bigIntToKey(k), 4), ip_version: 4, ip_key: bigIntToKey(k), type: 'VM', archived: false, created_at: '2026-01-01 00:00:00', updated_at: '2026-01-01 00:00:00' });
    }
    for (let i = 0; i < rows.length; i += 200) await t.db('ip_assets').insert(rows.slice(i, i + 200));
    const page = await list(r.id, { status: 'free', limit: 2 });
    assert.deepEqual(addrs(page), ['10.2.11.185', '10.2.11.186']);
    assert.equal(page.total, 4094 - 3000);
    assert.equal((await list(r.id, { status: 'used' })).total, 3000);
    assert.deepEqual(addrs(await list(r.id, { status: 'used', offset: 2999 })), ['10.2.11.184']);
    await s.assets.archive('10.2.0.100');
    assert.deepEqual(addrs(await list(r.id, { status: 'free', limit: 2 })), ['10.2.0.100', '10.2.11.185']);
  });

  it('project, type and tag filters list matching used addresses only; an IP search narrows the window', async () => {
    const r = await s.ranges.create({ name: 'f', cidr: '10.3.0.0/24' });
    const p = await s.projects.create({ name: 'blue' });
    await s.tags.create({ name: 'edge' });
    await s.assets.create({ ip_address: '10.3.0.10', type: 'VM', project_id: p.id, tags: ['edge'] });
    await s.assets.create({ ip_address: '10.3.0.20', type: 'OS' });
    await s.assets.create({ ip_address: '10.3.0.30', type: 'VM', notes: 'not searched' });
    assert.deepEqual(addrs(await list(r.id, { project_id: p.id })), ['10.3.0.10']);
    assert.deepEqual(addrs(await list(r.id, { project_id: 'unassigned', status: 'used' })), ['10.3.0.20', '10.3.0.30']);
    assert.deepEqual(addrs(await list(r.id, { type: 'vm' })), ['10.3.0.10', '10.3.0.30']);
    assert.deepEqual(addrs(await list(r.id, { tags: 'edge' })), ['10.3.0.10']);
    assert.deepEqual((await list(r.id, { type: 'VM', status: 'free' })).items, []);
    assert.equal((await list(r.id, { type: 'VM' })).used_only, true);
    assert.deepEqual(addrs(await list(r.id, { q: '10.3.0.20' })), ['10.3.0.20']);
    assert.deepEqual(addrs(await list(r.id, { q: '10.3.0.21' })), ['10.3.0.21']);
    assert.deepEqual(addrs(await list(r.id, { q: '10.3.0.16/30', status: 'free' })), ['10.3.0.16', '10.3.0.17', '10.3.0.18', '10.3.0.19']);
    assert.deepEqual(addrs(await list(r.id, { q: '10.3.1' })), []);
    assert.deepEqual(addrs(await list(r.id, { q: '.3.0.3' })), ['10.3.0.30']);
    assert.deepEqual(addrs(await list(r.id, { q: '2001:db8::1' })), []);
  });

  it('block counts follow inserts, archives, restores and deletes', async () => {
    const counter = { count: (lo: bigint, hi: bigint) => countUsed(t.db, { version: 4, lo, hi }) };
    const c = tryParseCidr('10.4.0.0/16')!;
    const [lo, hi] = [keyToBigInt(c.firstKey), keyToBigInt(c.lastKey)];
    for (const ip of ['10.4.0.1', '10.4.1.1', '10.4.255.254']) await s.assets.create({ ip_address: ip, type: 'VM' });
    assert.equal(await counter.count(lo, hi), 3n);
    await s.assets.archive('10.4.1.1');
    assert.equal(await counter.count(lo, hi), 2n);
    await s.assets.create({ ip_address: '10.4.1.1', type: 'VM' });
    assert.equal(await counter.count(lo, hi), 3n);
    await s.assets.delete('10.4.0.1');
    assert.equal(await counter.count(lo, hi), 2n);
    assert.equal(await counter.count(lo + 257n, hi), 2n);
    assert.equal(await counter.count(lo + 258n, hi - 1n), 1n);
    assert.equal(await counter.count(lo + 258n, hi - 2n), 0n);
  });

  it('the dashboard utilization (block sums) equals the index counts of every range', async () => {
    for (const ip of ['10.5.0.0', '10.5.0.1', '10.5.0.255', '10.5.1.0', '10.5.255.255', '10.6.0.0', '10.5.3.7', '10.5.3.8', '2001:db8:5::', '2001:db8:5::1', '2001:db8:5::ff', '2001:db8:5::100']) {
      await s.assets.create({ ip_address: ip, type: 'VM' });
    }
    await s.assets.archive('10.5.3.8');
    for (const cidr of ['10.5.0.0/16', '10.5.0.0/24', '10.5.1.0/24', '10.5.3.0/29', '10.5.3.8/31', '10.5.3.7/32', '10.0.0.0/8', '2001:db8:5::/64', '2001:db8:5::/120', '2001:db8:5::/127']) {
      await s.ranges.create({ name: cidr, cidr });
    }
    await s.audit.list();
    const data = await dashboardData(t.db);
    const expected = await s.ranges.list();
    assert.deepEqual(
      data.ranges.map((r) => [r.cidr, r.used, r.free]),
      expected.map((r) => [r.cidr, r.utilization.used, String(r.utilization.free)]),
    );
    assert.equal(data.totals.ip_assets, 11);
    assert.equal(data.totals.archived, 1);
    assert.equal(data.totals.unassigned, 11);
    assert.ok(data.audit.length > 0);
  });
});
