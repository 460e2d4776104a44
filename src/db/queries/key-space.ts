import type { Knex } from 'knex';
import { bigIntToKey, keyToBigInt } from '../../domain/ip/address.js';
import { countWithin, familyPieces, sortedWithin, V4_KEYS, type KeyInterval } from '../../domain/ip/key-space.js';
import type { Db } from '../connection.js';
import { liveSql } from './live-assets.js';
import { livePrefixSql, liveReservationSql } from './live-reservations.js';

/**
 * Used and free keys of the address key space, from the ordered (archived, ip_version, ip_key)
 * index and the trigger-kept ip_key_blocks counters (migration 060): counting the used keys of
 * any span sums a few block rows plus at most 2 × 256 index entries at its edges, so a /8 with a
 * million used addresses, an IPv6 /64 and a /24 cost about the same. Nothing here enumerates a
 * span. "Used" is a live asset (live-assets.ts) or a live single-address reservation
 * (live-reservations.ts). Range utilization, the dashboard, /metrics, the
 * drill-down and pool allocation all count and search through this module.
 */
export type { KeyInterval };

/** Block sizes of the ip_key_blocks levels, largest first (level 2 = 65,536 keys, level 1 = 256). */
const LEVELS = [
  { level: 2, bits: 16n, digits: 28 },
  { level: 1, bits: 8n, digits: 30 },
] as const;

/** Windows counted per statement (each adds a handful of bindings). */
const PER_STATEMENT = 100;

type Sql = { sql: string; bindings: (string | number | boolean)[] };

/**
 * What holds a key: live IP assets (counted per block by ip_key_blocks, migration 060) and live
 * single-address reservations (ip_reservation_blocks, migration 180). The services keep the two
 * disjoint (an asset is refused over a held address and a reservation over an asset's), so a
 * used count is the sum of both sources.
 */
interface UsedSource {
  rows: 'ip_assets' | 'ip_reservations';
  blocks: 'ip_key_blocks' | 'ip_reservation_blocks';
  live(alias: string): { sql: string; bindings: (string | number | boolean)[] };
  /** Block levels, largest first; the last one's blocks are 256 keys when `fine`. */
  levels: readonly Level[];
  fine: boolean;
}

interface Level {
  level: number;
  bits: bigint;
  digits: number;
}

const SOURCES: readonly UsedSource[] = [
  { rows: 'ip_assets', blocks: 'ip_key_blocks', live: liveSql, levels: LEVELS, fine: true },
  { rows: 'ip_reservations', blocks: 'ip_reservation_blocks', live: liveReservationSql, levels: LEVELS, fine: true },
];

/**
 * Start keys of live delegated prefixes, counted per /48 (level 3) and /56 (level 4) by the
 * ip_reservation_blocks triggers: a prefix-delegation pool's free /56 or /64 slots are its slots
 * minus the delegations starting in them (a pool delegates one length, aligned).
 */
const PREFIX_STARTS: UsedSource = {
  rows: 'ip_reservations',
  blocks: 'ip_reservation_blocks',
  live: livePrefixSql,
  levels: [
    { level: 3, bits: 80n, digits: 12 },
    { level: 4, bits: 72n, digits: 14 },
  ],
  fine: false,
};

/** The SQL expression counting the used keys of a family with keys in [a, b] (a, b inside one family piece). */
function pieceExpr(src: UsedSource, version: number, a: bigint, b: bigint, parts: string[], bindings: Sql['bindings']): void {
  const live = src.live('a');
  const indexCount = (x: bigint, y: bigint, sign: '' | '- '): void => {
    parts.push(`${sign}(SELECT COUNT(*) FROM ${src.rows} a WHERE ${live.sql} AND a.ip_version = ? AND a.ip_key >= ? AND a.ip_key <= ?)`);
    bindings.push(...live.bindings, version, bigIntToKey(x), bigIntToKey(y));
  };
  const split = (x: bigint, y: bigint, i: number): void => {
    if (y < x) return;
    const lvl = src.levels[i];
    if (!lvl) {
      const block = x >> 8n;
      if (src.fine && block === y >> 8n && y - x + 1n > 128n) {
        // Most of one 256-block (a /24's .1–.254): its row minus the few keys outside.
        parts.push(`(SELECT COALESCE(SUM(n), 0) FROM ${src.blocks} WHERE level = 1 AND block = ?)`);
        bindings.push(bigIntToKey(x).slice(0, 30));
        for (const [p, q] of [[block << 8n, x - 1n], [y + 1n, (block << 8n) + 255n]] as const) if (p <= q) indexCount(p, q, '- ');
        return;
      }
      indexCount(x, y, '');
      return;
    }
    const size = 1n << lvl.bits;
    const first = ((x + size - 1n) / size) * size;
    const last = ((y + 1n) / size) * size - 1n;
    if (last < first) return split(x, y, i + 1);
    parts.push(`(SELECT COALESCE(SUM(n), 0) FROM ${src.blocks} WHERE level = ? AND block >= ? AND block <= ?)`);
    bindings.push(lvl.level, bigIntToKey(first).slice(0, lvl.digits), bigIntToKey(last).slice(0, lvl.digits));
    split(x, first - 1n, i + 1);
    split(last + 1n, y, i + 1);
  };
  split(a, b, 0);
}

function countExpr(iv: KeyInterval): Sql {
  const parts: string[] = [];
  const bindings: Sql['bindings'] = [];
  // Block rows do not know the family; IPv4 keys are cut out of IPv6 spans (familyPieces).
  for (const [a, b] of familyPieces(iv)) for (const src of SOURCES) pieceExpr(src, iv.version, a, b, parts, bindings);
  return { sql: parts.length ? `(${parts.join(' + ').replace(/\+ -/g, '-')})` : '0', bindings };
}

/**
 * Live assets in each interval, for many intervals at once (every range of the dashboard, a
 * page of the range list): one statement per 100 intervals, each a few block-row sums; the cost
 * does not grow with how many addresses are used.
 */
export async function countUsedKeys(db: Db, intervals: readonly KeyInterval[]): Promise<bigint[]> {
  const out: bigint[] = [];
  for (let i = 0; i < intervals.length; i += PER_STATEMENT) {
    const chunk = intervals.slice(i, i + PER_STATEMENT).map(countExpr);
    const sql = `SELECT ${chunk.map((c, j) => `${c.sql} AS n${j}`).join(', ')}`;
    const result = (await db.raw(sql, chunk.flatMap((c) => c.bindings))) as unknown;
    const row = (Array.isArray(result) ? result[0] : (result as { rows: unknown[] }).rows[0]) as Record<string, number | string>;
    chunk.forEach((_c, j) => out.push(BigInt(String(row[`n${j}`]))));
  }
  return out;
}

/**
 * The used count of each stored range (rows of `ranges AS <alias>`) as one SQL expression the
 * database evaluates per row, so every range of the list, the dashboard or /metrics is counted in
 * one statement. Ranges are CIDRs, aligned to their size: a range of 65,536 keys or more sums
 * its level-2 block rows, one of 256 or more its level-1 rows, each minus the (at most two) live
 * assets outside its usable bounds (network, broadcast); a smaller one counts its ≤ 256 index
 * entries. An IPv6 range holding ::ffff:0:0/96 leaves out the IPv4 keys there. The same
 * numbers as countUsedKeys over the usable bounds (the key-space tests compare them).
 */
export function rangeUsedSql(db: Db, alias = 'r'): Knex.Raw {
  const bindings: (string | number | boolean)[] = [];
  const sql = SOURCES.map((src) => rangeUsedPart(src, alias, bindings)).join(' + ');
  return db.raw(`(${sql})`, bindings);
}

/** rangeUsedSql for one source of used keys. */
function rangeUsedPart(src: UsedSource, r: string, bindings: (string | number | boolean)[]): string {
  const live = src.live('a');
  const blocks = (level: number, digits: number): string =>
    `(SELECT COALESCE(SUM(b.n), 0) FROM ${src.blocks} b WHERE b.level = ${level} AND b.block >= substr(${r}.first_key, 1, ${digits}) AND b.block <= substr(${r}.last_key, 1, ${digits}))`;
  const assets = (cond: string): string => {
    bindings.push(...live.bindings);
    return `(SELECT COUNT(*) FROM ${src.rows} a WHERE ${live.sql} AND a.ip_version = ${r}.ip_version AND ${cond})`;
  };
  const [v4lo, v4hi] = [bigIntToKey(V4_KEYS.lo), bigIntToKey(V4_KEYS.hi)];
  // Constants of the key layout (hex digits only), written into the SQL.
  const v4blocks = `(CASE WHEN ${r}.ip_version = 6 AND ${r}.first_key <= '${v4lo}' AND ${r}.last_key >= '${v4hi}' THEN (SELECT COALESCE(SUM(b.n), 0) FROM ${src.blocks} b WHERE b.level = 2 AND b.block >= '${v4lo.slice(0, 28)}' AND b.block <= '${v4hi.slice(0, 28)}') ELSE 0 END)`;
  const level2 = `${blocks(2, 28)} - ${v4blocks} - ${assets(`a.ip_key >= ${r}.first_key AND a.ip_key < ${r}.usable_first_key`)} - ${assets(`a.ip_key > ${r}.usable_last_key AND a.ip_key <= ${r}.last_key`)}`;
  const level1 = `${blocks(1, 30)} - ${assets(`a.ip_key >= ${r}.first_key AND a.ip_key < ${r}.usable_first_key`)} - ${assets(`a.ip_key > ${r}.usable_last_key AND a.ip_key <= ${r}.last_key`)}`;
  const small = assets(`a.ip_key >= ${r}.usable_first_key AND a.ip_key <= ${r}.usable_last_key`);
  return `(CASE
    WHEN ${r}.prefix <= (CASE WHEN ${r}.ip_version = 4 THEN 16 ELSE 112 END) THEN ${level2}
    WHEN ${r}.prefix <= (CASE WHEN ${r}.ip_version = 4 THEN 24 ELSE 120 END) THEN ${level1}
    ELSE ${small} END)`;
}

/**
 * 1 when a live asset or live single-address reservation holds the key in column `keyColumn` (of
 * family `versionColumn`), else 0 (also when the key is null): a pool's gateway, checked per row
 * of the statement that reads the pool, so a page of pools needs no statement for its gateways.
 */
export function keyHeldSql(db: Db, versionColumn: string, keyColumn: string): Knex.Raw {
  const bindings: (string | number | boolean)[] = [];
  const held = SOURCES.map((src) => {
    const live = src.live('a');
    bindings.push(...live.bindings);
    return `EXISTS (SELECT 1 FROM ${src.rows} a WHERE ${live.sql} AND a.ip_version = ${versionColumn} AND a.ip_key = ${keyColumn})`;
  });
  return db.raw(`(CASE WHEN ${keyColumn} IS NOT NULL AND (${held.join(' OR ')}) THEN 1 ELSE 0 END)`, bindings);
}

/** Live assets in one interval. */
export async function countUsed(db: Db, iv: KeyInterval): Promise<bigint> {
  return (await countUsedKeys(db, [iv]))[0]!;
}

/** Up to `limit` used keys of the interval in key order (an index range scan per source, merged). */
async function usedKeys(db: Db, iv: KeyInterval, limit: number, order: 'asc' | 'desc' = 'asc'): Promise<bigint[]> {
  if (iv.hi < iv.lo) return [];
  const lists = await Promise.all(
    SOURCES.map(async (src) => {
      const live = src.live('a');
      const rows = (await db(`${src.rows} as a`)
        .select('a.ip_key')
        .whereRaw(live.sql, live.bindings)
        .where('a.ip_version', iv.version)
        .whereBetween('a.ip_key', [bigIntToKey(iv.lo), bigIntToKey(iv.hi)])
        .orderBy('a.ip_key', order)
        .limit(limit)) as { ip_key: string }[];
      return rows.map((r) => keyToBigInt(r.ip_key));
    }),
  );
  const merged = lists.flat().sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  if (order === 'desc') merged.reverse();
  return merged.slice(0, limit);
}

/** Windows counted per step of searchKth (one statement counts them all). */
const FAN_OUT = 8;

/**
 * [a, b] cut at the multiples of the smallest power of two that leaves at most FAN_OUT pieces:
 * aligned windows are whole ip_key_blocks rows, so each costs a block sum, not an index scan.
 */
function alignedWindows(a: bigint, b: bigint): [bigint, bigint][] {
  let size = 1n;
  while ((b - a + 1n + size - 1n) / size > BigInt(FAN_OUT) - 1n) size <<= 1n;
  const out: [bigint, bigint][] = [];
  for (let x = a; x <= b; ) {
    const end = (x / size + 1n) * size - 1n;
    const y = end < b ? end : b;
    out.push([x, y]);
    x = y + 1n;
  }
  return out;
}

/**
 * Smallest c in [lo, hi] with matches([lo, c]) ≥ k + 1, or null when the span holds k or fewer
 * matches: a FAN_OUT-way search, each step one statement counting FAN_OUT windows, so a /64 takes
 * 16 steps and a /16 four (a binary search took 64 and 16).
 */
async function searchKth(iv: KeyInterval, k: bigint, matches: (windows: [bigint, bigint][]) => Promise<bigint[]>): Promise<bigint | null> {
  if (iv.hi < iv.lo || k < 0n) return null;
  let below = 0n;
  let [a, b] = [iv.lo, iv.hi];
  for (;;) {
    const windows = alignedWindows(a, b);
    const counts = await matches(windows);
    let i = 0;
    while (i < windows.length && below + counts[i]! < k + 1n) below += counts[i++]!;
    if (i === windows.length) return null;
    [a, b] = windows[i]!;
    if (a === b) return a;
  }
}

/** Used keys in each window, one statement. */
function usedMatcher(db: Db, version: KeyInterval['version']): (windows: [bigint, bigint][]) => Promise<bigint[]> {
  return (windows) => countUsedKeys(db, windows.map(([lo, hi]) => ({ version, lo, hi })));
}

/** The key of the k-th (0-based) used address of the interval, or null when fewer are used. */
export async function kthUsedKey(db: Db, iv: KeyInterval, k: bigint): Promise<bigint | null> {
  const [first] = await usedKeys(db, iv, 1);
  if (first === undefined) return null;
  if (k === 0n) return first;
  // The search spans only the used keys' own extent (fewer steps in a sparse IPv6 /64).
  const [last] = await usedKeys(db, iv, 1, 'desc');
  const span = { version: iv.version, lo: first, hi: last! };
  return searchKth(span, k, usedMatcher(db, iv.version));
}

/**
 * Keys the caller wants skipped besides the used ones (a pool's gateway, say), reduced to those
 * in the interval that are not used already, so they are never counted twice.
 */
async function unusedExcluded(db: Db, iv: KeyInterval, exclude: Iterable<bigint>): Promise<bigint[]> {
  const inside = sortedWithin(exclude, iv.lo, iv.hi);
  if (inside.length === 0) return [];
  const used = await usedAmong(db, iv.version, inside);
  return inside.filter((k) => !used.has(k));
}

/** Which of the keys are used (500 per statement and source). */
async function usedAmong(db: Db, version: KeyInterval['version'], keys: readonly bigint[]): Promise<Set<bigint>> {
  const used = new Set<bigint>();
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500).map(bigIntToKey);
    for (const src of SOURCES) {
      const live = src.live('a');
      const rows = (await db(`${src.rows} as a`).select('a.ip_key').whereRaw(live.sql, live.bindings).where('a.ip_version', version).whereIn('a.ip_key', chunk)) as { ip_key: string }[];
      for (const r of rows) used.add(keyToBigInt(r.ip_key));
    }
  }
  return used;
}

/** Keys of [a, b] that are used or skipped (a skipped key is never used: see unusedExcluded). */
function blockedCounter(db: Db, version: KeyInterval['version'], skip: readonly bigint[]): (a: bigint, b: bigint) => Promise<bigint> {
  return async (a, b) => (await countUsed(db, { version, lo: a, hi: b })) + countWithin(skip, a, b);
}

/** Fixed-point steps tried before the binary search (each one statement). */
const FIXED_POINT_STEPS = 4;

/**
 * The k-th (0-based) free key of the interval, or null when fewer are free. The answer F is the
 * smallest key with F = lo + k + blocked(lo, F), so f ← lo + k + blocked(lo, f) from f = lo + k
 * climbs to it from below and stops exactly there: a sparse IPv6 /64 or a /8 whose used
 * addresses sit below the offset takes two or three statements instead of ~log2(span) (64 for a
 * /64). A dense run of used keys climbs slowly, so after a few steps the binary search over
 * counts takes over from where the climb got to.
 */
async function kthFree(db: Db, iv: KeyInterval, k: bigint, skip: readonly bigint[]): Promise<bigint | null> {
  if (iv.hi < iv.lo || k < 0n) return null;
  const blocked = blockedCounter(db, iv.version, skip);
  let f = iv.lo + k;
  for (let step = 0; step < FIXED_POINT_STEPS; step++) {
    if (f > iv.hi) return null;
    const next = iv.lo + k + (await blocked(iv.lo, f));
    if (next === f) return f;
    f = next;
  }
  if (f > iv.hi) return null;
  // F ≥ f: search [f, hi] for the rest, with the free keys below f counted once.
  const freeBelow = f - iv.lo - (f > iv.lo ? await blocked(iv.lo, f - 1n) : 0n);
  const used = usedMatcher(db, iv.version);
  const free = async (windows: [bigint, bigint][]): Promise<bigint[]> => (await used(windows)).map((u, i) => {
    const [a, b] = windows[i]!;
    return b - a + 1n - u - countWithin(skip, a, b);
  });
  return searchKth({ ...iv, lo: f }, k - freeBelow, free);
}

/**
 * The key of the k-th (0-based) free address of the interval — neither used nor in `exclude` —
 * or null when fewer are free. "Next free address of a pool, skipping its gateway" is
 * kthFreeKey(db, usable bounds, 0n, [gateway]); network and broadcast are outside the usable bounds.
 */
export async function kthFreeKey(db: Db, iv: KeyInterval, k: bigint, exclude: Iterable<bigint> = []): Promise<bigint | null> {
  const skip = await unusedExcluded(db, iv, exclude);
  return kthFree(db, iv, k, skip);
}

/** How many keys of the interval are free: neither used nor in `exclude` (a used excluded key counts once). */
export async function countFree(db: Db, iv: KeyInterval, exclude: Iterable<bigint> = []): Promise<bigint> {
  if (iv.hi < iv.lo) return 0n;
  const skip = await unusedExcluded(db, iv, exclude);
  return iv.hi - iv.lo + 1n - (await blockedCounter(db, iv.version, skip)(iv.lo, iv.hi));
}

/**
 * Up to `want` free keys (neither used nor excluded) from the offset-th one on, in order: kthFree
 * to the first, then a walk of the gaps between used keys, jumping ahead by
 * search again after a long run of used ones. Cost follows the page, not the span.
 */
export async function freeKeys(db: Db, iv: KeyInterval, offset: bigint, want: number, exclude: Iterable<bigint> = []): Promise<bigint[]> {
  const skip = await unusedExcluded(db, iv, exclude);
  const out: bigint[] = [];
  // From the start the walk below finds the first free key itself (no ~log2(span) count steps).
  let p = offset === 0n ? (iv.hi < iv.lo ? null : iv.lo) : await kthFree(db, iv, offset, skip);
  let batches = 0;
  while (p !== null && out.length < want && p <= iv.hi) {
    const used = await usedKeys(db, { ...iv, lo: p }, 512);
    const bound = used.length < 512 ? iv.hi : used[used.length - 1]!;
    const blockers = sortedWithin([...used, ...skip], p, bound);
    for (const u of blockers) {
      while (p < u && out.length < want) out.push(p++);
      if (out.length >= want) break;
      p = u + 1n;
    }
    if (used.length < 512) while (out.length < want && p <= iv.hi) out.push(p++);
    // A long run of used addresses: jump to the next free one instead of walking it.
    if (++batches >= 4 && out.length < want && p <= iv.hi) {
      p = await kthFree(db, iv, offset + BigInt(out.length), skip);
      batches = 0;
    }
  }
  return out;
}

/** Live delegated prefixes starting in each interval, one statement (block-row sums plus ≤ 2 × 255 index entries per level edge). */
async function countPrefixStartsMany(db: Db, intervals: readonly KeyInterval[]): Promise<bigint[]> {
  const exprs = intervals.map((iv) => {
    const parts: string[] = [];
    const bindings: Sql['bindings'] = [];
    if (iv.hi >= iv.lo) pieceExpr(PREFIX_STARTS, iv.version, iv.lo, iv.hi, parts, bindings);
    return { sql: parts.length ? `(${parts.join(' + ').replace(/\+ -/g, '-')})` : '0', bindings };
  });
  if (exprs.length === 0) return [];
  const result = (await db.raw(`SELECT ${exprs.map((e, j) => `${e.sql} AS n${j}`).join(', ')}`, exprs.flatMap((e) => e.bindings))) as unknown;
  const row = (Array.isArray(result) ? result[0] : (result as { rows: unknown[] }).rows[0]) as Record<string, number | string>;
  return exprs.map((_e, j) => BigInt(String(row[`n${j}`])));
}

/** Live delegated prefixes starting in the interval. */
export async function countPrefixStarts(db: Db, iv: KeyInterval): Promise<bigint> {
  return (await countPrefixStartsMany(db, [iv]))[0]!;
}

/**
 * The k-th (0-based) free slot of 2^slotBits keys in [iv.lo, iv.hi] (iv.lo aligned to the slot
 * size), as its first key, or null when fewer are free: a search over slot indices with
 * "slots minus delegated prefixes starting in them" as the free count. Addresses used inside a
 * slot are not seen here: the caller checks the slot it takes (countUsed).
 */
export async function kthFreeSlot(db: Db, iv: KeyInterval, slotBits: bigint, k: bigint): Promise<bigint | null> {
  const slots = (iv.hi - iv.lo + 1n) >> slotBits;
  if (slots <= 0n) return null;
  const span = (a: bigint, b: bigint): KeyInterval => ({ version: iv.version, lo: iv.lo + (a << slotBits), hi: iv.lo + ((b + 1n) << slotBits) - 1n });
  const free = async (windows: [bigint, bigint][]): Promise<bigint[]> => {
    const starts = await countPrefixStartsMany(db, windows.map(([a, b]) => span(a, b)));
    return windows.map(([a, b], i) => b - a + 1n - starts[i]!);
  };
  const slot = await searchKth({ version: iv.version, lo: 0n, hi: slots - 1n }, k, free);
  return slot === null ? null : iv.lo + (slot << slotBits);
}

/** Free slots of 2^slotBits keys in the interval (see kthFreeSlot). */
export async function countFreeSlots(db: Db, iv: KeyInterval, slotBits: bigint): Promise<bigint> {
  return (await countFreeSlotsMany(db, [{ iv, slotBits }]))[0]!;
}

/** countFreeSlots of many prefix-delegation spans at once: one statement per 100. */
export async function countFreeSlotsMany(db: Db, items: readonly { iv: KeyInterval; slotBits: bigint }[]): Promise<bigint[]> {
  const slots = items.map(({ iv, slotBits }) => (iv.hi - iv.lo + 1n) >> slotBits);
  const spans = items.map(({ iv, slotBits }, i) => ({ version: iv.version, lo: iv.lo, hi: slots[i]! <= 0n ? iv.lo - 1n : iv.lo + (slots[i]! << slotBits) - 1n }));
  const starts: bigint[] = [];
  for (let i = 0; i < spans.length; i += PER_STATEMENT) starts.push(...(await countPrefixStartsMany(db, spans.slice(i, i + PER_STATEMENT))));
  return slots.map((n, i) => (n <= 0n ? 0n : n - starts[i]!));
}

/**
 * Descending the block counters to the first free unit of a span (an address, or a delegation
 * slot of 2^unitBits keys) in a few statements instead of a binary search over counts: at each
 * level, read the block rows from the span's start in key order (a primary-key range scan per
 * counter table), pass over the full blocks, and go down into the first that is not full; at the
 * bottom (≤ 256 units) read what holds them and take the first gap. A /8 with a million used
 * addresses costs four or five short statements, like a /24.
 */
interface Descent {
  version: KeyInterval['version'];
  /** Coarse to fine; capacity of a block = 2^(bits − unitBits) units. */
  levels: readonly Level[];
  tables: readonly UsedSource['blocks'][];
  unitBits: bigint;
  /** The first free unit start in [lo, hi] (inside one finest block) in the direction, or null. */
  leaf(lo: bigint, hi: bigint, dir: 'asc' | 'desc'): Promise<bigint | null>;
}

const PAGE = 1024;

/** Block rows (block number → count) of one level from `from` toward `to`, merged over the tables, and up to which block they are complete. */
async function blockPage(db: Db, d: Descent, lvl: Level, from: bigint, to: bigint, dir: 'asc' | 'desc'): Promise<{ rows: Map<bigint, bigint>; end: bigint }> {
  const [a, b] = dir === 'asc' ? [from, to] : [to, from];
  const text = (blk: bigint): string => blk.toString(16).padStart(lvl.digits, '0');
  const rows = new Map<bigint, bigint>();
  let end = to;
  for (const table of d.tables) {
    const got = (await db(table).select('block', 'n').where('level', lvl.level).whereBetween('block', [text(a), text(b)]).where('n', '>', 0).orderBy('block', dir).limit(PAGE)) as { block: string; n: number | string }[];
    for (const r of got) {
      const blk = BigInt('0x' + r.block);
      rows.set(blk, (rows.get(blk) ?? 0n) + BigInt(String(r.n)));
    }
    // A truncated table is complete only up to its last row.
    if (got.length === PAGE) {
      const last = BigInt('0x' + got[got.length - 1]!.block);
      if (dir === 'asc' ? last < end : last > end) end = last;
    }
  }
  return { rows, end };
}

async function firstFreeUnit(db: Db, d: Descent, lo: bigint, hi: bigint, dir: 'asc' | 'desc'): Promise<bigint | null> {
  const descend = async (x: bigint, y: bigint, i: number): Promise<bigint | null> => {
    const lvl = d.levels[i];
    if (!lvl) return d.leaf(x, y, dir);
    const [firstB, lastB] = [x >> lvl.bits, y >> lvl.bits];
    if (firstB === lastB) return descend(x, y, i + 1);
    const cap = 1n << (lvl.bits - d.unitBits);
    const step = dir === 'asc' ? 1n : -1n;
    const stop = dir === 'asc' ? lastB : firstB;
    const beyond = (blk: bigint, edge: bigint): boolean => (dir === 'asc' ? blk > edge : blk < edge);
    let c = dir === 'asc' ? firstB : lastB;
    let page: { rows: Map<bigint, bigint>; end: bigint } | null = null;
    while (!beyond(c, stop)) {
      if (!page || beyond(c, page.end)) page = await blockPage(db, d, lvl, c, stop, dir);
      const n = page.rows.get(c) ?? 0n;
      if (n < cap) {
        const bLo = c << lvl.bits;
        const bHi = ((c + 1n) << lvl.bits) - 1n;
        const r = await descend(bLo > x ? bLo : x, bHi < y ? bHi : y, i + 1);
        if (r !== null) return r;
      }
      c += step;
    }
    return null;
  };
  return descend(lo, hi, 0);
}

/** Used keys (both sources) plus skipped keys of a ≤ 256-key span: the first key of neither, in the direction. */
function addressDescent(db: Db, version: KeyInterval['version'], skip: readonly bigint[]): Descent {
  return {
    version,
    levels: LEVELS,
    tables: SOURCES.map((s) => s.blocks),
    unitBits: 0n,
    async leaf(lo, hi, dir) {
      const taken = new Set([...(await usedKeys(db, { version, lo, hi }, Number(hi - lo + 1n), dir)), ...sortedWithin(skip, lo, hi)]);
      if (dir === 'asc') {
        for (let k = lo; k <= hi; k++) if (!taken.has(k)) return k;
      } else {
        for (let k = hi; k >= lo; k--) if (!taken.has(k)) return k;
      }
      return null;
    },
  };
}

/**
 * Up to `want` free keys of the interval (neither used nor in `exclude`), from its start
 * (lowest first) or its end (highest first): each run of free keys starts where the block
 * descent finds it and is walked up to the next used key, so a batch costs a few statements
 * per run, not per address. Same answers as freeKeys(iv, 0, want) (reversed from the top for
 * highest first), which it falls back to for an IPv6 span holding the IPv4 keys.
 */
export async function nextFreeKeys(db: Db, iv: KeyInterval, want: number, exclude: Iterable<bigint> = [], order: 'asc' | 'desc' = 'asc'): Promise<bigint[]> {
  const pieces = familyPieces(iv);
  if (pieces.length !== 1 || pieces[0]![0] !== iv.lo || pieces[0]![1] !== iv.hi) {
    if (order === 'asc') return freeKeys(db, iv, 0n, want, exclude);
    const free = await countFree(db, iv, exclude);
    const n = free < BigInt(want) ? free : BigInt(want);
    return (await freeKeys(db, iv, free - n, Number(n), exclude)).reverse();
  }
  const skip = sortedWithin(exclude, iv.lo, iv.hi);
  const d = addressDescent(db, iv.version, skip);
  const out: bigint[] = [];
  let lo = iv.lo;
  let hi = iv.hi;
  while (out.length < want && lo <= hi) {
    let p = await firstFreeUnit(db, d, lo, hi, order);
    if (p === null) break;
    if (out.length + 1 === want) {
      out.push(p);
      break;
    }
    // Walk the run from p up to the next used key (the next 512 of them, in the direction).
    const next = await usedKeys(db, order === 'asc' ? { version: iv.version, lo: p, hi } : { version: iv.version, lo, hi: p }, 512, order);
    const stops = new Set([...next, ...skip]);
    const bound = next.length === 512 ? next[next.length - 1]! : order === 'asc' ? hi : lo;
    const step = order === 'asc' ? 1n : -1n;
    const inside = (k: bigint): boolean => (order === 'asc' ? k <= bound : k >= bound);
    let misses = 0;
    while (out.length < want && inside(p) && misses < 64) {
      if (stops.has(p)) misses++;
      else {
        out.push(p);
        misses = 0;
      }
      p += step;
    }
    // Past a run of used keys (or this batch): descend again from here.
    if (order === 'asc') lo = p;
    else hi = p;
  }
  return out;
}

/**
 * The first free delegation slot (2^slotBits keys, aligned to the interval's start) of
 * [iv.lo, iv.hi], lowest or highest first, by descending the delegated-prefix counters (levels 3
 * and 4 of ip_reservation_blocks) to the first /48 or /56 that is not full and reading its
 * delegations (≤ 256). Same answer as kthFreeSlot(iv, slotBits, 0) (or the last one).
 */
export async function nextFreeSlot(db: Db, iv: KeyInterval, slotBits: bigint, order: 'asc' | 'desc' = 'asc'): Promise<bigint | null> {
  const slots = (iv.hi - iv.lo + 1n) >> slotBits;
  if (slots <= 0n) return null;
  const hi = iv.lo + (slots << slotBits) - 1n;
  const live = livePrefixSql('v');
  const d: Descent = {
    version: iv.version,
    levels: PREFIX_STARTS.levels.filter((l) => l.bits >= slotBits),
    tables: [PREFIX_STARTS.blocks],
    unitBits: slotBits,
    async leaf(lo, top, dir) {
      const starts = (await db('ip_reservations as v')
        .select('v.ip_key')
        .whereRaw(live.sql)
        .where('v.ip_version', iv.version)
        .whereBetween('v.ip_key', [bigIntToKey(lo), bigIntToKey(top)])
        .orderBy('v.ip_key', dir)
        .limit(4097)) as { ip_key: string }[];
      const taken = new Set(starts.map((s) => keyToBigInt(s.ip_key)));
      const size = 1n << slotBits;
      const first = iv.lo + (((lo - iv.lo + size - 1n) >> slotBits) << slotBits);
      const last = iv.lo + (((top + 1n - iv.lo) >> slotBits) << slotBits) - size;
      if (dir === 'asc') {
        for (let s = first; s <= last; s += size) if (!taken.has(s)) return s;
      } else {
        for (let s = last; s >= first; s -= size) if (!taken.has(s)) return s;
      }
      return null;
    },
  };
  return firstFreeUnit(db, d, iv.lo, hi, order);
}
