import type { Db } from '../../db/connection.js';
import { liveHoldSql, livePrefixSql } from '../../db/queries/live-reservations.js';
import { ConflictError } from '../../domain/errors.js';
import { bigIntToKey, type ParsedAddress } from '../../domain/ip/address.js';
import { DEFAULT_RECLAIM_DAYS } from '../../domain/pools/lifecycle.js';
import { formatTimestamp, parseTimestamp } from '../../domain/time.js';

/**
 * Who holds an address: a live reservation (of that address, or a delegated prefix covering
 * it), a released one still in quarantine (not reclaimed yet), or a live IP asset. The two are kept apart both ways: an IP asset is refused over a held
 * address (409 naming the subscriber), a reservation over an asset's (409 naming the asset), which
 * keeps the key space's two sources of "used" disjoint (src/db/queries/key-space.ts).
 */
export interface HoldingReservation {
  id: number;
  pool_id: number;
  pool_name: string;
  subscriber_id: string;
  ip_address: string;
  status: string;
  /** Set when the holder is a released reservation still in quarantine (status RELEASED). */
  released_at: string | null;
  /** Its pool's quarantine setting (null: the reclaim job's default). */
  quarantine_days: number | null;
}

const HOLD_COLUMNS = ['v.id', 'v.pool_id', 'r.name as pool_name', 'v.subscriber_id', 'v.ip_address', 'v.status', 'v.released_at', 'p.quarantine_days'];

/**
 * The live reservation holding any key of [lo, hi] (one key, or a prefix's span), or null. One
 * statement on the hot path (every IP asset create asks): the first hold starting inside the span,
 * and the nearest delegated prefix starting before it, which covers the span if any does (a pool's
 * delegations are aligned and disjoint). Only when that nearest one stops short — nested pools
 * delegating different lengths — does a second, filtered search look further back.
 */
export async function reservationHolding(db: Db, version: number, lo: bigint, hi: bigint = lo): Promise<HoldingReservation | null> {
  const base = (live: string) => db('ip_reservations as v').join('ranges as r', 'r.id', 'v.pool_id').join('ip_pools as p', 'p.range_id', 'v.pool_id').select([...HOLD_COLUMNS, 'v.ip_last_key']).whereRaw(live).where('v.ip_version', version);
  const [loKey, hiKey] = [bigIntToKey(lo), bigIntToKey(hi)];
  const inside = base(liveHoldSql('v')).select(db.raw("'inside' as hold")).whereBetween('v.ip_key', [loKey, hiKey]).orderBy('v.ip_key').limit(1);
  const before = base(livePrefixSql('v').sql).select(db.raw("'before' as hold")).where('v.ip_key', '<', loKey).orderBy('v.ip_key', 'desc').limit(1);
  const rows = (await db.select('*').from(inside.as('i')).unionAll(db.select('*').from(before.as('b')))) as (HoldingReservation & { hold: string; ip_last_key: string })[];
  const hit = rows.find((r) => r.hold === 'inside') ?? rows.find((r) => r.ip_last_key >= loKey);
  if (hit) return norm(hit);
  if (!rows.some((r) => r.hold === 'before')) return null;
  const covering = (await base(livePrefixSql('v').sql).where('v.ip_key', '<', loKey).where('v.ip_last_key', '>=', loKey).orderBy('v.ip_key', 'desc').first()) as
    | HoldingReservation
    | undefined;
  return covering ? norm(covering) : null;
}

export interface HoldingAsset {
  id: number;
  ip_address: string;
  type: string;
  host_name: string | null;
}

/** The first live IP asset with a key in [lo, hi], or null. */
export async function assetHolding(db: Db, version: number, lo: bigint, hi: bigint = lo): Promise<HoldingAsset | null> {
  const row = (await db('ip_assets as a')
    .leftJoin('hosts as h', 'h.id', 'a.host_id')
    .select('a.id', 'a.ip_address', 'a.type', 'h.name as host_name')
    .where('a.archived', false)
    .where('a.ip_version', version)
    .whereBetween('a.ip_key', [bigIntToKey(lo), bigIntToKey(hi)])
    .orderBy('a.ip_key')
    .first()) as HoldingAsset | undefined;
  return row ? { ...row, id: Number(row.id) } : null;
}

export function heldByReservationError(address: string, holder: HoldingReservation, field = 'ip_address'): ConflictError {
  const extra = { reservation_id: holder.id, subscriber_id: holder.subscriber_id, pool_id: holder.pool_id, pool_name: holder.pool_name, status: holder.status };
  if (holder.status === 'RELEASED') {
    return new ConflictError(`IP address ${address} is in quarantine: ${quarantineText(holder)}.`, field, {
      holder: { ...extra, quarantine: true, released_at: holder.released_at, reclaimed_after: reclaimedAfter(holder) },
    });
  }
  return new ConflictError(`IP address ${address} is held by subscriber ${holder.subscriber_id} (reservation ${holder.id}, ${holder.status} in pool ${holder.pool_name}).`, field, { holder: extra });
}

/** When the reclaim job frees a quarantined address (its pool's days, else the default), as a timestamp. */
export function reclaimedAfter(holder: Pick<HoldingReservation, 'released_at' | 'quarantine_days'>): string | null {
  const released = holder.released_at ? parseTimestamp(holder.released_at) : null;
  if (!released) return null;
  return formatTimestamp(new Date(released.getTime() + (holder.quarantine_days ?? DEFAULT_RECLAIM_DAYS) * 86_400_000));
}

/** "released by subscriber s-1 on … (reservation 7 in pool p), reclaimed after …". */
export function quarantineText(holder: HoldingReservation): string {
  return `released by subscriber ${holder.subscriber_id} on ${holder.released_at} (reservation ${holder.id} in pool ${holder.pool_name}); it is held back from reuse until the reclaim job frees it after ${reclaimedAfter(holder)}`;
}

export function heldByAssetError(address: string, asset: HoldingAsset, field = 'ip_address'): ConflictError {
  return new ConflictError(
    `IP address ${address} is in use by IP asset ${asset.ip_address} (id ${asset.id}, type ${asset.type}${asset.host_name ? `, host ${asset.host_name}` : ''}).`,
    field,
    { holder: { ip_asset_id: asset.id, ip_address: asset.ip_address, type: asset.type, host_name: asset.host_name } },
  );
}

/** For IP asset creation and restore: 409 naming the subscriber when a live reservation holds the address. */
export async function assertNotReserved(db: Db, parsed: ParsedAddress): Promise<void> {
  const k = BigInt('0x' + parsed.key);
  const holder = await reservationHolding(db, parsed.version, k);
  if (holder) throw heldByReservationError(parsed.address, holder);
}

function norm(r: HoldingReservation): HoldingReservation {
  return {
    id: Number(r.id),
    pool_id: Number(r.pool_id),
    pool_name: r.pool_name,
    subscriber_id: r.subscriber_id,
    ip_address: r.ip_address,
    status: r.status,
    released_at: r.status === 'RELEASED' ? r.released_at : null,
    quarantine_days: r.quarantine_days === null || r.quarantine_days === undefined ? null : Number(r.quarantine_days),
  };
}

/** An address to look up by holdsAt: its family and 32-hex key. */
export interface KeyRef {
  version: number;
  key: string;
}

/** Keys per statement of holdsAt (each one binding). */
const KEYS_PER_STATEMENT = 900;

/**
 * The holding reservation of many addresses at once (an import's chunk), keyed `version:key`: a
 * few set-based statements, never one per address — the holds at the keys themselves, and the
 * delegated prefixes spanning the IPv6 ones (few: a pool's delegations).
 */
export async function holdsAt(db: Db, refs: readonly KeyRef[]): Promise<Map<string, HoldingReservation>> {
  const out = new Map<string, HoldingReservation>();
  if (refs.length === 0) return out;
  const base = () => db('ip_reservations as v').join('ranges as r', 'r.id', 'v.pool_id').join('ip_pools as p', 'p.range_id', 'v.pool_id').select([...HOLD_COLUMNS, 'v.ip_version', 'v.ip_key', 'v.ip_last_key']);
  type Row = HoldingReservation & { ip_version: number; ip_key: string; ip_last_key: string };
  const keys = [...new Set(refs.map((r) => r.key))];
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
    const rows = (await base().whereRaw(liveHoldSql('v')).whereIn('v.ip_key', keys.slice(i, i + KEYS_PER_STATEMENT))) as Row[];
    for (const r of rows) out.set(`${Number(r.ip_version)}:${r.ip_key}`, norm(r));
  }
  const v6 = refs.filter((r) => r.version === 6 && !out.has(`6:${r.key}`)).map((r) => r.key).sort();
  if (v6.length > 0) {
    const prefixes = (await base().whereRaw(livePrefixSql('v').sql).where('v.ip_version', 6).where('v.ip_key', '<=', v6[v6.length - 1]!).where('v.ip_last_key', '>=', v6[0]!).orderBy('v.ip_key')) as Row[];
    // Both lists in key order: one merge walk finds the prefix (if any) spanning each key.
    let j = 0;
    for (const k of v6) {
      while (j + 1 < prefixes.length && prefixes[j + 1]!.ip_key <= k) j++;
      const p = prefixes[j];
      if (p && p.ip_key <= k && p.ip_last_key >= k) out.set(`6:${k}`, norm(p));
    }
  }
  return out;
}

/** Is any address held by a reservation at all? (An import skips the look-ups when none is.) */
export async function anyHold(db: Db): Promise<boolean> {
  return (await db('ip_reservations as v').whereRaw(liveHoldSql('v')).first('v.id')) !== undefined;
}
