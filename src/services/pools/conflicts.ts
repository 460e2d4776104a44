import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { bigIntToKey, keyToBigInt, parseAddress } from '../../domain/ip/address.js';
import { tryParseCidr, type ParsedCidr } from '../../domain/ip/cidr.js';
import { conflict, sortConflicts, type Conflict } from '../../domain/pools/conflicts.js';
import { formatTimestamp } from '../../domain/time.js';
import { toBool, type ServiceContext } from '../context.js';
import { assetHolding, reservationHolding } from './holders.js';
import { selectPoolRows, type PoolRow } from './pools.js';

/** Days a discovery sighting (last_seen_at from Nmap, Prometheus, a connector) counts as live evidence. */
export const DEFAULT_EVIDENCE_DAYS = 7;
/** The conflict list answers at most this many rows per kind (a broken import could make millions). */
const LIST_CAP = 1000;
const LIVE = `('RESERVED', 'ASSIGNED')`;

export interface ConflictOptions {
  poolId?: number | undefined;
  /** The clock (tests control it). */
  now?: Date;
  evidenceDays?: number;
}

/**
 * What stands in the way of holding an address, and the list of conflicts that exist now. Global
 * (conflicts are not per project). Reads only: a forced assignment reads the verdict here and the
 * reservations service writes.
 */
export class PoolConflictsService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Every conflict of holding `ip` (in `poolId` when given), worst first. `ip` is an address, or a
   * prefix (`2001:db8:0:100::/56`) for a manual delegation in a prefix-delegation pool. A malformed
   * address is a 400; a malformed prefix, or one the pool does not delegate, a 422 at `ip_address`.
   */
  async check(ip: string, o: ConflictOptions = {}): Promise<Conflict[]> {
    if (ip.includes('/')) return this.checkPrefix(ip, o);
    // A malformed address stays the original's 400 "Invalid IP address." (clients match on it).
    const { address, key, version } = parseAddress(ip);
    const db = this.ctx.db;
    const out: Conflict[] = [];

    const asset = (await db('ip_assets').select('id', 'project_id', 'host_id', 'archived', 'last_seen_at').where({ ip_version: version, ip_key: key }).first()) as
      | { id: number; project_id: number | null; host_id: number | null; archived: unknown; last_seen_at: string | null }
      | undefined;
    const liveAsset = !!asset && !toBool(asset.archived);
    if (asset && liveAsset) {
      out.push(conflict('IP_ASSET_IN_USE', address, `${address} is used by IP asset #${asset.id}.`, { holder: { kind: 'ip_asset', ip_asset_id: asset.id, project_id: asset.project_id, host_id: asset.host_id } }));
    }

    // A single address held by its own key, or inside a live delegated prefix's span.
    const h = await reservationHolding(db, version, keyToBigInt(key));
    if (h) {
      out.push(
        conflict('RESERVATION_EXISTS', address, `${address} is held (${h.status === 'RELEASED' ? `in quarantine since its release on ${h.released_at}` : h.status.toLowerCase()}) by subscriber ${h.subscriber_id}${h.ip_address === address ? '' : ` through ${h.ip_address}`}, reservation #${h.id} in pool ${h.pool_name}.`, {
          holder: { kind: 'reservation', reservation_id: h.id, subscriber_id: h.subscriber_id, status: h.status, pool_id: h.pool_id, ip_address: h.ip_address },
          pool_id: h.pool_id,
        }),
      );
    }

    const containing = (await selectPoolRows(db).where('r.ip_version', version).where('r.first_key', '<=', key).where('r.last_key', '>=', key).orderBy('r.prefix', 'desc')) as PoolRow[];

    if (o.poolId !== undefined) {
      const pool = (await selectPoolRows(db).where('p.range_id', o.poolId).first()) as PoolRow | undefined;
      if (!pool) throw new NotFoundError('Pool', o.poolId);
      if (Number(pool.ip_version) !== version || key < pool.first_key || key > pool.last_key) {
        out.push(conflict('OUTSIDE_POOL', address, `${address} is not inside pool ${pool.name} (${pool.cidr}).`, { pool_id: Number(pool.id) }));
      } else if (pool.gateway_key === key) {
        out.push(conflict('GATEWAY_ADDRESS', address, `${address} is the gateway of pool ${pool.name}.`, { pool_id: Number(pool.id) }));
      } else if (key < pool.usable_first_key || key > pool.usable_last_key) {
        out.push(conflict('RESERVED_ADDRESS', address, `${address} is the network or broadcast address of pool ${pool.name} (${pool.cidr}).`, { pool_id: Number(pool.id) }));
      }
      for (const other of containing) {
        if (Number(other.id) !== Number(pool.id)) out.push(conflict('IN_OTHER_POOL', address, `${address} is also inside pool ${other.name} (${other.cidr}).`, { pool_id: Number(other.id) }));
      }
    } else {
      for (const p of containing) if (p.gateway_key === key) out.push(conflict('GATEWAY_ADDRESS', address, `${address} is the gateway of pool ${p.name}.`, { pool_id: Number(p.id) }));
      if (containing.length > 1) {
        out.push(conflict('POOL_OVERLAP', address, `${address} lies in ${containing.length} pools: ${containing.map((p) => `${p.name} (${p.cidr})`).join(', ')}.`, { holder: { kind: 'pools', pool_ids: containing.map((p) => Number(p.id)) } }));
      }
    }

    if (!h && asset && !liveAsset && this.seenRecently(asset.last_seen_at, o)) {
      out.push(
        conflict('LIVE_EVIDENCE', address, `${address} was seen in use by discovery at ${asset.last_seen_at} although nothing holds it (archived IP asset #${asset.id}).`, {
          holder: { kind: 'sighting', ip_asset_id: asset.id, last_seen_at: asset.last_seen_at },
        }),
      );
    }
    return sortConflicts(out);
  }

  /**
   * The conflicts of delegating a prefix by hand: it must be a prefix of the pool's delegation
   * length (else 422 naming the length, or, in an address pool, asking for an address), and it
   * conflicts with a live or quarantined reservation overlapping it, a live IP asset inside it,
   * the pool's bounds, other pools containing it, and archived assets inside it seen lately.
   */
  private async checkPrefix(text: string, o: ConflictOptions): Promise<Conflict[]> {
    const db = this.ctx.db;
    const c = tryParseCidr(text);
    if (!c) throw ValidationError.field('ip_address', 'Invalid prefix: give a network like 2001:db8:0:100::/56 (or a single address).');
    const pool = o.poolId === undefined ? undefined : ((await selectPoolRows(db).where('p.range_id', o.poolId).first()) as PoolRow | undefined);
    if (o.poolId !== undefined && !pool) throw new NotFoundError('Pool', o.poolId);
    if (pool) prefixFits(pool, c);
    const [lo, hi] = [keyToBigInt(c.firstKey), keyToBigInt(c.lastKey)];
    const out: Conflict[] = [];
    const h = await reservationHolding(db, c.version, lo, hi);
    if (h) {
      out.push(
        conflict('RESERVATION_EXISTS', c.cidr, `${c.cidr} overlaps ${h.ip_address}, held (${h.status === 'RELEASED' ? `in quarantine since its release on ${h.released_at}` : h.status.toLowerCase()}) by subscriber ${h.subscriber_id}, reservation #${h.id} in pool ${h.pool_name}.`, {
          holder: { kind: 'reservation', reservation_id: h.id, subscriber_id: h.subscriber_id, status: h.status, pool_id: h.pool_id, ip_address: h.ip_address },
          pool_id: h.pool_id,
        }),
      );
    }
    const asset = await assetHolding(db, c.version, lo, hi);
    if (asset) out.push(conflict('IP_ASSET_IN_USE', c.cidr, `${c.cidr} contains ${asset.ip_address}, used by IP asset #${asset.id}.`, { holder: { kind: 'ip_asset', ip_asset_id: asset.id } }));
    // Pools sharing any key with the prefix (one nested inside a /56 counts too, not only those around it).
    const containing = (await selectPoolRows(db).where('r.ip_version', c.version).where('r.first_key', '<=', c.lastKey).where('r.last_key', '>=', c.firstKey).orderBy('r.prefix', 'desc')) as PoolRow[];
    if (pool) {
      if (c.firstKey < pool.first_key || c.lastKey > pool.last_key) out.push(conflict('OUTSIDE_POOL', c.cidr, `${c.cidr} is not inside pool ${pool.name} (${pool.cidr}).`, { pool_id: Number(pool.id) }));
      for (const other of containing) {
        if (Number(other.id) !== Number(pool.id)) out.push(conflict('IN_OTHER_POOL', c.cidr, `${c.cidr} also overlaps pool ${other.name} (${other.cidr}).`, { pool_id: Number(other.id) }));
      }
    } else if (containing.length > 1) {
      out.push(conflict('POOL_OVERLAP', c.cidr, `${c.cidr} lies in ${containing.length} pools: ${containing.map((p) => `${p.name} (${p.cidr})`).join(', ')}.`, { holder: { kind: 'pools', pool_ids: containing.map((p) => Number(p.id)) } }));
    }
    if (!h && !asset) {
      const seen = (await db('ip_assets')
        .select('id', 'ip_address', 'last_seen_at')
        .where({ ip_version: c.version, archived: true })
        .whereBetween('ip_key', [bigIntToKey(lo), bigIntToKey(hi)])
        .where('last_seen_at', '>=', this.evidenceCutoff(o))
        .orderBy('ip_key')
        .first()) as { id: number; ip_address: string; last_seen_at: string } | undefined;
      if (seen) {
        out.push(
          conflict('LIVE_EVIDENCE', c.cidr, `${seen.ip_address} in ${c.cidr} was seen in use by discovery at ${seen.last_seen_at} although nothing holds it (archived IP asset #${seen.id}).`, {
            holder: { kind: 'sighting', ip_asset_id: Number(seen.id), last_seen_at: seen.last_seen_at },
          }),
        );
      }
    }
    return sortConflicts(out);
  }

  private seenRecently(lastSeen: string | null, o: ConflictOptions): boolean {
    return !!lastSeen && lastSeen >= this.evidenceCutoff(o);
  }

  private evidenceCutoff(o: ConflictOptions): string {
    const now = o.now ?? new Date();
    return formatTimestamp(new Date(now.getTime() - (o.evidenceDays ?? DEFAULT_EVIDENCE_DAYS) * 86_400_000));
  }

  /**
   * The conflicts that exist now, worst first: overlapping pools, live reservations that sit on a
   * live IP asset, on their pool's gateway or outside their pool (its CIDR changed after), and
   * recent discovery sightings inside a pool of addresses nothing holds. Each kind is one query.
   */
  async list(o: Omit<ConflictOptions, 'poolId'> = {}): Promise<Conflict[]> {
    const db = this.ctx.db;
    const out: Conflict[] = [];

    const overlaps = (await db('ip_pools as pa')
      .join('ranges as a', 'a.id', 'pa.range_id')
      .join('ranges as b', (j) => j.on('b.ip_version', 'a.ip_version').andOn('b.first_key', '<=', 'a.last_key').andOn('a.first_key', '<=', 'b.last_key').andOn('b.id', '>', 'a.id'))
      .join('ip_pools as pb', 'pb.range_id', 'b.id')
      .select('a.id as a_id', 'a.name as a_name', 'a.cidr as a_cidr', 'b.id as b_id', 'b.name as b_name', 'b.cidr as b_cidr')
      .orderBy(['a.id', 'b.id'])
      .limit(LIST_CAP)) as { a_id: number; a_name: string; a_cidr: string; b_id: number; b_name: string; b_cidr: string }[];
    for (const r of overlaps) {
      out.push(conflict('POOL_OVERLAP', r.a_cidr, `Pools ${r.a_name} (${r.a_cidr}) and ${r.b_name} (${r.b_cidr}) overlap.`, { pool_id: r.a_id, holder: { kind: 'pools', pool_ids: [r.a_id, r.b_id] } }));
    }

    const reservation = ['v.id', 'v.pool_id', 'v.subscriber_id', 'v.status', 'v.ip_address'];
    type Held = { id: number; pool_id: number; subscriber_id: string; status: string; ip_address: string };
    const holder = (v: Held, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ kind: 'reservation', reservation_id: v.id, subscriber_id: v.subscriber_id, status: v.status, pool_id: v.pool_id, ...extra });

    const onAssets = (await db('ip_reservations as v')
      .join('ip_assets as a', (j) => j.on('a.ip_version', 'v.ip_version').andOn('a.ip_key', 'v.ip_key'))
      .whereRaw(`v.status IN ${LIVE}`)
      .where('a.archived', false)
      .select([...reservation, 'a.id as asset_id'])
      .orderBy('v.id')
      .limit(LIST_CAP)) as (Held & { asset_id: number })[];
    for (const v of onAssets) {
      out.push(conflict('IP_ASSET_IN_USE', v.ip_address, `${v.ip_address} is held by subscriber ${v.subscriber_id} (reservation #${v.id}) and used by IP asset #${v.asset_id}.`, { pool_id: v.pool_id, holder: holder(v, { ip_asset_id: v.asset_id }) }));
    }

    const misplaced = (await db('ip_reservations as v')
      .join('ip_pools as p', 'p.range_id', 'v.pool_id')
      .join('ranges as r', 'r.id', 'p.range_id')
      .whereRaw(`v.status IN ${LIVE}`)
      .where((q) => q.whereRaw('v.ip_key = p.gateway_key').orWhereRaw('v.ip_key < r.first_key').orWhereRaw('v.ip_last_key > r.last_key').orWhereRaw('v.ip_version <> r.ip_version'))
      .select([...reservation, 'r.name as pool_name', 'r.cidr', 'p.gateway_key', 'v.ip_key'])
      .orderBy('v.id')
      .limit(LIST_CAP)) as (Held & { pool_name: string; cidr: string; gateway_key: string | null; ip_key: string })[];
    for (const v of misplaced) {
      if (v.gateway_key === v.ip_key) out.push(conflict('GATEWAY_ADDRESS', v.ip_address, `${v.ip_address} is the gateway of pool ${v.pool_name} but held by subscriber ${v.subscriber_id}.`, { pool_id: v.pool_id, holder: holder(v) }));
      else out.push(conflict('OUTSIDE_POOL', v.ip_address, `${v.ip_address} is held in pool ${v.pool_name} but lies outside its network ${v.cidr}.`, { pool_id: v.pool_id, holder: holder(v) }));
    }

    const sightings = (await db('ip_assets as a')
      .join('ranges as r', (j) => j.on('r.ip_version', 'a.ip_version').andOn('r.first_key', '<=', 'a.ip_key').andOn('r.last_key', '>=', 'a.ip_key'))
      .join('ip_pools as p', 'p.range_id', 'r.id')
      .where('a.archived', true)
      .where('a.last_seen_at', '>=', this.evidenceCutoff(o))
      .whereNotExists((q) =>
        q
          .select(db.raw('1'))
          .from('ip_reservations as v')
          .whereRaw(`v.status IN ${LIVE}`)
          .whereRaw('v.ip_version = a.ip_version')
          .whereRaw('v.ip_key <= a.ip_key')
          .whereRaw('v.ip_last_key >= a.ip_key'),
      )
      .select('a.id', 'a.ip_address', 'a.last_seen_at', 'r.id as pool_id', 'r.name as pool_name')
      .orderBy('a.id')
      .limit(LIST_CAP)) as { id: number; ip_address: string; last_seen_at: string; pool_id: number; pool_name: string }[];
    for (const s of sightings) {
      out.push(
        conflict('LIVE_EVIDENCE', s.ip_address, `${s.ip_address} in pool ${s.pool_name} was seen in use by discovery at ${s.last_seen_at} although nothing holds it.`, {
          pool_id: s.pool_id,
          holder: { kind: 'sighting', ip_asset_id: s.id, last_seen_at: s.last_seen_at },
        }),
      );
    }
    return sortConflicts(out);
  }
}

/** A manual prefix must be what the pool delegates: a 422 at ip_address naming what to give instead. */
function prefixFits(pool: PoolRow, c: ParsedCidr): void {
  if (pool.pool_type !== 'IPV6_PREFIX_DELEGATION') {
    throw ValidationError.field('ip_address', `Pool ${pool.name} hands out single addresses, not prefixes: give one address of ${pool.cidr} (like ${pool.cidr.split('/')[0]}), or delegate ${c.cidr} from a prefix-delegation pool.`);
  }
  const length = Number(pool.delegation_prefix_length);
  if (c.prefix !== length) throw ValidationError.field('ip_address', `Pool ${pool.name} delegates /${length} prefixes, not /${c.prefix}: give a /${length} of ${pool.cidr}.`);
}
