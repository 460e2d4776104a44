import type { Knex } from 'knex';
import { z } from 'zod';
import { ASSET_TYPES, type AssetType } from '../domain/asset-types.js';
import { bigIntToKey, keyToAddress, keyToBigInt, type IpVersion } from '../domain/ip/address.js';
import { singleWindow } from '../domain/ip/search.js';
import { applyAddressSearch, parseAddressSearch, type AddressSearch } from './assets/address-search.js';
import { tagsByAsset } from './assets/records.js';
import type { ServiceContext } from './context.js';
import { bigCount, RangesService, type BigCount } from './ranges.js';
import { parseInput } from './validate.js';

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));

/** Query of the drill-down; `offset` is a decimal string too, since an IPv6 /64 has 2^64 rows. */
export const RangeAddressQuerySchema = z.object({
  status: z.enum(['all', 'used', 'free']).default('all'),
  q: z.string().trim().max(200).optional(),
  /** A project id, or "unassigned". */
  project_id: z.union([z.literal('unassigned'), z.coerce.number().int().positive()]).optional(),
  type: csv.pipe(z.array(z.string().toUpperCase().pipe(z.enum(ASSET_TYPES)))).optional(),
  tags: csv.pipe(z.array(z.string().trim().toLowerCase())).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z
    .union([z.number().int().min(0), z.string().trim().regex(/^\d{1,40}$/, 'must be a non-negative integer')])
    .transform((v) => BigInt(v))
    .default(0n),
});
export type RangeAddressQuery = z.input<typeof RangeAddressQuerySchema>;

export interface RangeAddressAsset {
  id: number;
  type: AssetType;
  project_id: number | null;
  host_id: number | null;
  host_name: string | null;
  notes: string | null;
  tags: string[];
}

export interface RangeAddressRow {
  ip_address: string;
  status: 'used' | 'free';
  asset: RangeAddressAsset | null;
}

export interface RangeAddressPage {
  range: { id: number; name: string; cidr: string; ip_version: number };
  status: 'all' | 'used' | 'free';
  /** True when project/type/tag or a text search apply: only used addresses can match then. */
  used_only: boolean;
  total: BigCount;
  limit: number;
  offset: BigCount;
  items: RangeAddressRow[];
}

/** Block sizes of the trigger-kept ip_key_blocks levels (migration 060), largest first. */
const LEVELS = [
  { level: 2, bits: 16n, digits: 28 },
  { level: 1, bits: 8n, digits: 30 },
] as const;

/**
 * Every address of a range as used or free, as a window over the sorted used keys: the k-th
 * address is first + k; the k-th used or free address is found by binary search over the key
 * space with counts from ip_key_blocks (a few block rows + ≤ 512 index entries per count). A
 * page costs O(log(range size)) small queries, the same for a /24, a /8 with a million used
 * and an IPv6 /64. The range is never enumerated.
 *
 * Filters on project, type, tags or a text search describe assets, so only used addresses
 * can match them: with any of those, "all" lists the matching used addresses and "free" is
 * empty; that list pages with OFFSET over the filtered index scan (cost grows with the offset).
 * A `q` read (by the IP list's reader) as one key window (an address, a CIDR, "10.1.2.") narrows
 * the window instead and works for every status; several windows ("10.1.2") or text filter.
 */
export class RangeAddressesService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(rangeId: number, query: RangeAddressQuery = {}): Promise<RangeAddressPage> {
    const f = parseInput(RangeAddressQuerySchema, query, 'query');
    const range = await new RangesService(this.ctx).getBounds(rangeId);
    const version = Number(range.ip_version) as IpVersion;
    const head = { range: { id: Number(range.id), name: range.name, cidr: range.cidr, ip_version: version }, status: f.status, limit: f.limit, offset: bigCount(f.offset) };
    let lo = keyToBigInt(range.usable_first_key);
    let hi = keyToBigInt(range.usable_last_key);
    let search: AddressSearch | undefined;
    if (f.q) {
      const parsed = parseAddressSearch(f.q);
      const window = singleWindow(parsed, version);
      if (window === 'none') [lo, hi] = [1n, 0n];
      else if (window === null) search = parsed;
      else {
        const [a, b] = [keyToBigInt(window.firstKey), keyToBigInt(window.lastKey)];
        [lo, hi] = [lo > a ? lo : a, hi < b ? hi : b];
      }
    }
    const usedOnly = search !== undefined || f.project_id !== undefined || (f.type?.length ?? 0) > 0 || (f.tags?.length ?? 0) > 0;
    const counter = new KeyCounter(this.ctx.db, version);
    if (usedOnly) {
      if (f.status === 'free' || hi < lo) return { ...head, used_only: true, total: 0, items: [] };
      return { ...head, used_only: true, ...(await this.filteredUsed(version, lo, hi, { ...f, search })) };
    }
    if (hi < lo) return { ...head, used_only: false, total: 0, items: [] };
    const size = hi - lo + 1n;
    const limit = BigInt(f.limit);
    if (f.status === 'all') {
      const from = lo + f.offset;
      const to = from + limit - 1n < hi ? from + limit - 1n : hi;
      const items = from > hi ? [] : await this.windowRows(version, from, to);
      return { ...head, used_only: false, total: bigCount(size), items };
    }
    const used = await counter.count(lo, hi);
    if (f.status === 'used') {
      if (f.offset >= used) return { ...head, used_only: false, total: bigCount(used), items: [] };
      // The search only spans the used keys' own extent (fewer steps in a sparse IPv6 /64).
      const [minKey, maxKey] = await Promise.all([counter.usedKeys(lo, hi, 1), counter.usedKeys(lo, hi, 1, 'desc')]);
      const start = f.offset === 0n ? lo : await counter.kth(keyToBigInt(minKey[0]!), keyToBigInt(maxKey[0]!), f.offset, 'used');
      const rows = await this.usedRows(version, start, hi, f.limit);
      return { ...head, used_only: false, total: bigCount(used), items: await this.toRows(version, rows) };
    }
    const free = size - used;
    if (f.offset >= free) return { ...head, used_only: false, total: bigCount(free), items: [] };
    const want = free - f.offset < limit ? Number(free - f.offset) : f.limit;
    const keys = await this.freeKeys(counter, lo, hi, f.offset, want);
    return { ...head, used_only: false, total: bigCount(free), items: keys.map((k) => ({ ip_address: keyToAddress(bigIntToKey(k), version), status: 'free' as const, asset: null })) };
  }

  /** Addresses from..to (inclusive, ≤ one page), used ones with their asset. */
  private async windowRows(version: IpVersion, from: bigint, to: bigint): Promise<RangeAddressRow[]> {
    const used = await this.usedRows(version, from, to, Number(to - from + 1n));
    const byKey = new Map((await this.toRows(version, used)).map((r, i) => [keyToBigInt(used[i]!.ip_key), r]));
    const rows: RangeAddressRow[] = [];
    for (let k = from; k <= to; k++) rows.push(byKey.get(k) ?? { ip_address: keyToAddress(bigIntToKey(k), version), status: 'free', asset: null });
    return rows;
  }

  private base(version: IpVersion, from: bigint, to: bigint): Knex.QueryBuilder {
    return this.ctx.db('ip_assets as a')
      .leftJoin('hosts as h', 'h.id', 'a.host_id')
      .select('a.id', 'a.ip_address', 'a.ip_key', 'a.type', 'a.project_id', 'a.host_id', 'h.name as host_name', 'a.notes')
      .where('a.archived', false)
      .where('a.ip_version', version)
      .whereBetween('a.ip_key', [bigIntToKey(from), bigIntToKey(to)]);
  }

  private async usedRows(version: IpVersion, from: bigint, to: bigint, limit: number): Promise<UsedRow[]> {
    return (await this.base(version, from, to).orderBy('a.ip_key').limit(limit)) as UsedRow[];
  }

  private async toRows(version: IpVersion, rows: UsedRow[]): Promise<RangeAddressRow[]> {
    const tags = await tagsByAsset(this.ctx.db, rows.map((r) => Number(r.id)));
    return rows.map((r) => ({
      ip_address: keyToAddress(r.ip_key, version),
      status: 'used' as const,
      asset: {
        id: Number(r.id),
        type: r.type,
        project_id: r.project_id === null ? null : Number(r.project_id),
        host_id: r.host_id === null ? null : Number(r.host_id),
        host_name: r.host_name,
        notes: r.notes,
        tags: tags.get(Number(r.id)) ?? [],
      },
    }));
  }

  /** `want` free keys from the offset-th free one: binary search to it, then walk the gaps between used keys. */
  private async freeKeys(counter: KeyCounter, lo: bigint, hi: bigint, offset: bigint, want: number): Promise<bigint[]> {
    const out: bigint[] = [];
    let p = await counter.kth(lo, hi, offset, 'free');
    let batches = 0;
    while (out.length < want && p <= hi) {
      const used = (await counter.usedKeys(p, hi, 512)).map(keyToBigInt);
      for (const u of used) {
        while (p < u && out.length < want) out.push(p++);
        if (out.length >= want) break;
        p = u + 1n;
      }
      if (used.length < 512) while (out.length < want && p <= hi) out.push(p++);
      // A long run of used addresses: jump to the next free one instead of walking it.
      if (++batches >= 4 && out.length < want) {
        p = await counter.kth(lo, hi, offset + BigInt(out.length), 'free');
        batches = 0;
      }
    }
    return out;
  }

  private async filteredUsed(version: IpVersion, lo: bigint, hi: bigint, f: z.output<typeof RangeAddressQuerySchema> & { search?: AddressSearch }): Promise<{ total: number; items: RangeAddressRow[] }> {
    const { db } = this.ctx;
    const filtered = (q: Knex.QueryBuilder): Knex.QueryBuilder => {
      if (f.project_id === 'unassigned') q.whereNull('a.project_id');
      else if (f.project_id !== undefined) q.where('a.project_id', f.project_id);
      if (f.type && f.type.length > 0) q.whereIn('a.type', f.type);
      if (f.search) applyAddressSearch(db, q, f.search);
      if (f.tags && f.tags.length > 0) {
        q.whereExists(db('ip_asset_tags as at').join('tags as g', 'g.id', 'at.tag_id').select(db.raw('1')).whereRaw('at.ip_asset_id = a.id').whereIn('g.name', f.tags));
      }
      return q;
    };
    const rows = (await filtered(this.base(version, lo, hi)).orderBy('a.ip_key').limit(f.limit).offset(Number(f.offset))) as UsedRow[];
    const counted = (await filtered(db('ip_assets as a').where('a.archived', false).where('a.ip_version', version).whereBetween('a.ip_key', [bigIntToKey(lo), bigIntToKey(hi)])).count({ n: '*' }).first()) as { n: number | string };
    return { total: Number(counted.n), items: await this.toRows(version, rows) };
  }
}

interface UsedRow {
  id: number;
  ip_address: string;
  ip_key: string;
  type: AssetType;
  project_id: number | null;
  host_id: number | null;
  host_name: string | null;
  notes: string | null;
}

/** Counts of active assets between keys from ip_key_blocks, and k-th used/free searches over them. */
export class KeyCounter {
  constructor(
    private readonly db: ServiceContext['db'],
    private readonly version: IpVersion,
  ) {}

  /** Active assets with keys in [a, b]: one statement summing block rows and edge index counts. */
  async count(a: bigint, b: bigint): Promise<bigint> {
    return (await countKeysMany(this.db, [{ version: this.version, from: a, to: b }]))[0]!;
  }

  /** The key of the k-th (0-based) used or free address in [lo, hi]; the caller ensures it exists. */
  async kth(lo: bigint, hi: bigint, k: bigint, what: 'used' | 'free'): Promise<bigint> {
    // Smallest c with matches([lo, c]) ≥ k + 1; lo moves up with the matches below it counted.
    let below = 0n;
    let a = lo;
    let b = hi;
    while (a < b) {
      const mid = a + (b - a) / 2n;
      const used = await this.count(a, mid);
      const matches = what === 'used' ? used : mid - a + 1n - used;
      if (below + matches >= k + 1n) b = mid;
      else {
        below += matches;
        a = mid + 1n;
      }
    }
    return a;
  }

  /** Up to `limit` used keys from `from` on, in order (an index range scan). */
  async usedKeys(from: bigint, to: bigint, limit: number, order: 'asc' | 'desc' = 'asc'): Promise<string[]> {
    const rows = (await this.db('ip_assets')
      .select('ip_key')
      .where('archived', false)
      .where('ip_version', this.version)
      .where('ip_key', '>=', bigIntToKey(from))
      .where('ip_key', '<=', bigIntToKey(to))
      .orderBy('ip_key', order)
      .limit(limit)) as { ip_key: string }[];
    return rows.map((r) => r.ip_key);
  }
}

/** The SQL expression counting active assets with keys in [a, b] (block rows + ≤ 2 × 256 edge index entries). */
function countExpr(version: IpVersion, a: bigint, b: bigint): { sql: string; bindings: (string | number | boolean)[] } {
  const parts: string[] = [];
  const bindings: (string | number | boolean)[] = [];
  const split = (x: bigint, y: bigint, i: number): void => {
    if (y < x) return;
    const lvl = LEVELS[i];
    if (!lvl) {
      const block = x >> 8n;
      if (block === y >> 8n && y - x + 1n > 128n) {
        // Most of one 256-block (a /24's .1–.254): its row minus the few keys outside.
        parts.push('(SELECT COALESCE(SUM(n), 0) FROM ip_key_blocks WHERE level = 1 AND block = ?)');
        bindings.push(bigIntToKey(x).slice(0, 30));
        for (const [p, q] of [[block << 8n, x - 1n], [y + 1n, (block << 8n) + 255n]] as const) {
          if (q < p) continue;
          parts.push('- (SELECT COUNT(*) FROM ip_assets WHERE archived = ? AND ip_version = ? AND ip_key >= ? AND ip_key <= ?)');
          bindings.push(false, version, bigIntToKey(p), bigIntToKey(q));
        }
        return;
      }
      parts.push('(SELECT COUNT(*) FROM ip_assets WHERE archived = ? AND ip_version = ? AND ip_key >= ? AND ip_key <= ?)');
      bindings.push(false, version, bigIntToKey(x), bigIntToKey(y));
      return;
    }
    const size = 1n << lvl.bits;
    const first = ((x + size - 1n) / size) * size;
    const last = ((y + 1n) / size) * size - 1n;
    if (last < first) return split(x, y, i + 1);
    parts.push('(SELECT COALESCE(SUM(n), 0) FROM ip_key_blocks WHERE level = ? AND block >= ? AND block <= ?)');
    bindings.push(lvl.level, bigIntToKey(first).slice(0, lvl.digits), bigIntToKey(last).slice(0, lvl.digits));
    split(x, first - 1n, i + 1);
    split(last + 1n, y, i + 1);
  };
  split(a, b, 0);
  return { sql: parts.length ? `(${parts.join(' + ').replace(/\+ -/g, '-')})` : '0', bindings };
}

/**
 * Active assets between keys for many windows at once (e.g. every range for the dashboard):
 * one statement per 100 windows, each a few block-row sums; cost independent of how many are used.
 */
export async function countKeysMany(db: ServiceContext['db'], windows: { version: IpVersion; from: bigint; to: bigint }[]): Promise<bigint[]> {
  const out: bigint[] = [];
  for (let i = 0; i < windows.length; i += 100) {
    const chunk = windows.slice(i, i + 100).map((w) => (w.to < w.from ? { sql: '0', bindings: [] } : countExpr(w.version, w.from, w.to)));
    const sql = `SELECT ${chunk.map((c, j) => `${c.sql} AS n${j}`).join(', ')}`;
    const result = (await db.raw(sql, chunk.flatMap((c) => c.bindings))) as unknown;
    const row = (Array.isArray(result) ? result[0] : (result as { rows: unknown[] }).rows[0]) as Record<string, number | string>;
    chunk.forEach((_c, j) => out.push(BigInt(String(row[`n${j}`]))));
  }
  return out;
}
