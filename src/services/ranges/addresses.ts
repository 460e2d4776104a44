import type { Knex } from 'knex';
import { z } from 'zod';
import { countUsed, freeKeys, kthUsedKey, type KeyInterval } from '../../db/queries/key-space.js';
import { whereLive } from '../../db/queries/live-assets.js';
import { liveReservationSql } from '../../db/queries/live-reservations.js';
import { ASSET_TYPES, type AssetType } from '../../domain/asset-types.js';
import { bigIntToKey, keyToAddress, keyToBigInt, type IpVersion } from '../../domain/ip/address.js';
import { jsonCount } from '../../domain/ip/key-space.js';
import { singleWindow } from '../../domain/ip/search.js';
import { applyAddressSearch, parseAddressSearch, type AddressSearch } from '../assets/address-search.js';
import { tagsByAsset } from '../assets/records.js';
import type { ServiceContext } from '../context.js';
import { parseInput } from '../validate.js';
import { RangesService } from './service.js';
import { usableInterval, utilizationOfRow, type BigCount, type Utilization } from './utilization.js';

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

/** A live pool reservation holding the address (issue 19: reserved and assigned addresses are used). */
export interface RangeAddressReservation {
  id: number;
  pool_id: number;
  subscriber_id: string;
  status: 'RESERVED' | 'ASSIGNED';
}

export interface RangeAddressRow {
  ip_address: string;
  status: 'used' | 'free';
  asset: RangeAddressAsset | null;
  /** Set when a live reservation (not an IP asset) holds the address. */
  reservation: RangeAddressReservation | null;
}

export interface RangeAddressPage {
  /** The range, with the same utilization as the range list, the dashboard and /metrics. */
  range: { id: number; name: string; cidr: string; ip_version: number; utilization: Utilization };
  status: 'all' | 'used' | 'free';
  /** True when project/type/tag or a text search apply: only used addresses can match then. */
  used_only: boolean;
  total: BigCount;
  limit: number;
  offset: BigCount;
  items: RangeAddressRow[];
}

/**
 * Every address of a range as used or free (used: a live asset or a live pool reservation), as a
 * window over the sorted used keys: the k-th
 * address is first + k; the k-th used or free address comes from the key-space module (binary
 * search with counts from ip_key_blocks: a few block rows + ≤ 512 index entries per count). A
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
    const { db } = this.ctx;
    const range = await new RangesService(this.ctx).getBounds(rangeId);
    const version = Number(range.ip_version) as IpVersion;
    const usable = usableInterval(range);
    const usedInRange = BigInt(String(range.used));
    const header = { id: Number(range.id), name: range.name, cidr: range.cidr, ip_version: version, utilization: utilizationOfRow(range) };
    const head = { range: header, status: f.status, limit: f.limit, offset: jsonCount(f.offset) };
    let { lo, hi } = usable;
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
    if (usedOnly) {
      if (f.status === 'free' || hi < lo) return { ...head, used_only: true, total: 0, items: [] };
      return { ...head, used_only: true, ...(await this.filteredUsed(version, lo, hi, { ...f, search })) };
    }
    if (hi < lo) return { ...head, used_only: false, total: 0, items: [] };
    const iv: KeyInterval = { version, lo, hi };
    const size = hi - lo + 1n;
    const limit = BigInt(f.limit);
    if (f.status === 'all') {
      const from = lo + f.offset;
      const to = from + limit - 1n < hi ? from + limit - 1n : hi;
      const items = from > hi ? [] : await this.windowRows(version, from, to);
      return { ...head, used_only: false, total: jsonCount(size), items };
    }
    const used = lo === usable.lo && hi === usable.hi ? usedInRange : await countUsed(db, iv);
    if (f.status === 'used') {
      const start = f.offset >= used ? null : await kthUsedKey(db, iv, f.offset);
      if (start === null) return { ...head, used_only: false, total: jsonCount(used), items: [] };
      const rows = await this.usedRows(version, start, hi, f.limit);
      return { ...head, used_only: false, total: jsonCount(used), items: await this.toRows(version, rows) };
    }
    const free = size - used;
    if (f.offset >= free) return { ...head, used_only: false, total: jsonCount(free), items: [] };
    const want = free - f.offset < limit ? Number(free - f.offset) : f.limit;
    const keys = await freeKeys(db, iv, f.offset, want);
    return { ...head, used_only: false, total: jsonCount(free), items: keys.map((k) => ({ ip_address: keyToAddress(bigIntToKey(k), version), status: 'free' as const, asset: null, reservation: null })) };
  }

  /** Addresses from..to (inclusive, ≤ one page), used ones with their asset. */
  private async windowRows(version: IpVersion, from: bigint, to: bigint): Promise<RangeAddressRow[]> {
    const used = await this.usedRows(version, from, to, Number(to - from + 1n));
    const byKey = new Map((await this.toRows(version, used)).map((r, i) => [keyToBigInt(used[i]!.ip_key), r]));
    const rows: RangeAddressRow[] = [];
    for (let k = from; k <= to; k++) rows.push(byKey.get(k) ?? { ip_address: keyToAddress(bigIntToKey(k), version), status: 'free', asset: null, reservation: null });
    return rows;
  }

  private base(version: IpVersion, from: bigint, to: bigint): Knex.QueryBuilder {
    return whereLive(this.ctx.db('ip_assets as a').leftJoin('hosts as h', 'h.id', 'a.host_id').select('a.id', 'a.ip_address', 'a.ip_key', 'a.type', 'a.project_id', 'a.host_id', 'h.name as host_name', 'a.notes'))
      .where('a.ip_version', version)
      .whereBetween('a.ip_key', [bigIntToKey(from), bigIntToKey(to)]);
  }

  /** Used keys from..to in key order: live assets and live single-address reservations, merged (the key space's two sources). */
  private async usedRows(version: IpVersion, from: bigint, to: bigint, limit: number): Promise<UsedRow[]> {
    const assets = (await this.base(version, from, to).orderBy('a.ip_key').limit(limit)) as UsedRow[];
    const live = liveReservationSql('v');
    const held = (await this.ctx.db('ip_reservations as v')
      .select('v.id', 'v.pool_id', 'v.subscriber_id', 'v.status', 'v.ip_key')
      .whereRaw(live.sql)
      .where('v.ip_version', version)
      .whereBetween('v.ip_key', [bigIntToKey(from), bigIntToKey(to)])
      .orderBy('v.ip_key')
      .limit(limit)) as (RangeAddressReservation & { ip_key: string })[];
    const rows: UsedRow[] = [...assets, ...held.map((h) => ({ ip_key: h.ip_key, reservation: { id: Number(h.id), pool_id: Number(h.pool_id), subscriber_id: h.subscriber_id, status: h.status } }))];
    return rows.sort((x, y) => (x.ip_key < y.ip_key ? -1 : x.ip_key > y.ip_key ? 1 : 0)).slice(0, limit);
  }

  private async toRows(version: IpVersion, rows: UsedRow[]): Promise<RangeAddressRow[]> {
    const tags = await tagsByAsset(this.ctx.db, rows.filter(isAssetRow).map((r) => Number(r.id)));
    return rows.map((r) => ({
      ip_address: keyToAddress(r.ip_key, version),
      status: 'used' as const,
      asset: isAssetRow(r)
        ? {
            id: Number(r.id),
            type: r.type,
            project_id: r.project_id === null ? null : Number(r.project_id),
            host_id: r.host_id === null ? null : Number(r.host_id),
            host_name: r.host_name,
            notes: r.notes,
            tags: tags.get(Number(r.id)) ?? [],
          }
        : null,
      reservation: isAssetRow(r) ? null : r.reservation,
    }));
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
    const rows = (await filtered(this.base(version, lo, hi)).orderBy('a.ip_key').limit(f.limit).offset(Number(f.offset))) as AssetUsedRow[];
    const counted = (await filtered(whereLive(db('ip_assets as a')).where('a.ip_version', version).whereBetween('a.ip_key', [bigIntToKey(lo), bigIntToKey(hi)])).count({ n: '*' }).first()) as { n: number | string };
    return { total: Number(counted.n), items: await this.toRows(version, rows) };
  }
}

type UsedRow = AssetUsedRow | { ip_key: string; reservation: RangeAddressReservation };

function isAssetRow(r: UsedRow): r is AssetUsedRow {
  return !('reservation' in r);
}

interface AssetUsedRow {
  id: number;
  ip_address: string;
  ip_key: string;
  type: AssetType;
  project_id: number | null;
  host_id: number | null;
  host_name: string | null;
  notes: string | null;
}
