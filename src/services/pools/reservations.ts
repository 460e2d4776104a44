import type { Knex } from 'knex';
import { isUniqueViolation } from '../../db/errors.js';
import { forUpdate } from '../../db/transaction.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { bigIntToKey, keyToBigInt, tryParseAddress } from '../../domain/ip/address.js';
import { tryParseCidr } from '../../domain/ip/cidr.js';
import { addressText, prefixLastKey, prefixText } from '../../domain/pools/allocation.js';
import { canMove, poolIpType, type IpType, type ReservationStatus } from '../../domain/pools/types.js';
import { formatTimestamp, parseTimestamp } from '../../domain/time.js';
import { AuditService } from '../audit.js';
import { enqueueNetBoxPush } from '../netbox/outbox.js';
import { inTransaction, toBool, type ServiceContext } from '../context.js';
import { countOf } from '../rows.js';
import {
  AssignSchema,
  ExtendSchema,
  HandOverSchema,
  ReleaseSchema,
  ReservationListSchema,
  ReserveBatchSchema,
  ReserveSchema,
  type AssignInput,
  type ExtendInput,
  type HandOverInput,
  type ReleaseInput,
  type ReservationListQuery,
  type ReserveBatchInput,
  type ReserveInput,
} from '../schemas/pools.js';
import { usableInterval } from '../ranges/utilization.js';
import { parseInput } from '../validate.js';
import { pickAddresses, pickPrefixes, PoolExhaustedError } from './allocation.js';
import { assetHolding, heldByAssetError, heldByReservationError, reservationHolding } from './holders.js';
import { lockPool, selectPoolRows, type PoolRow } from './pools.js';
import type { Reservation } from './wire.js';

export interface ReservationsOptions {
  /** The clock reservations are stamped with and expiry is judged by (tests control it). */
  now?: () => Date;
}

type Fields = Pick<ReserveInput, 'subscriber_id' | 'expires_at' | 'assignment_reason' | 'assigned_by' | 'notes' | 'netbox_ip_id' | 'assign' | 'ip_type' | 'prefix_length'>;

/** A pool may hand out addresses unless set aside (RESERVED) or under MAINTENANCE; DEPLETED is a figure, re-checked here. */
const ALLOCATING_STATUSES = ['ACTIVE', 'DEPLETED'];

/**
 * Reservations of pool addresses: reserve (the next free one, a preferred one with fallback, a
 * given one, a batch all-or-nothing, or from whichever pool of a group has room), assign,
 * release, extend, expire. Each write locks its pool (or reservation), re-checks, writes and
 * audits in one transaction; one live reservation per address is also a unique index.
 */
export class ReservationsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: ReservationsOptions = {},
  ) {}

  private now(): string {
    return formatTimestamp(this.options.now ? this.options.now() : new Date());
  }

  private scoped(trx: Knex.Transaction): ReservationsService {
    return new ReservationsService({ ...this.ctx, db: trx }, this.options);
  }

  /** One reservation; see ReserveSchema for pool_id / group_name / ip_address / preferred_address. */
  async reserve(input: ReserveInput): Promise<Reservation> {
    const data = parseInput(ReserveSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const self = this.scoped(trx);
      if (data.pool_id !== undefined) return (await self.reserveIn(trx, data.pool_id, data, 1))[0]!;
      return self.reserveInGroup(trx, data.group_name!, data);
    });
  }

  /** `count` reservations from one pool, all or nothing (409 naming how many are free when short). */
  async reserveBatch(input: ReserveBatchInput): Promise<Reservation[]> {
    const data = parseInput(ReserveBatchSchema, input);
    return inTransaction(this.ctx.db, async (trx) => this.scoped(trx).reserveIn(trx, data.pool_id, data, data.count));
  }

  /**
   * Group allocation: the group's pools in id order (the order every writer locks them in), the
   * first with room serves; 409 when none has.
   */
  private async reserveInGroup(trx: Knex.Transaction, group: string, data: Fields & { order?: 'lowest' | 'highest'; preferred_address?: string }): Promise<Reservation> {
    const pools = (await trx('ip_pools').select('range_id', 'pool_type').where({ group_name: group }).whereIn('status', ALLOCATING_STATUSES).where('auto_assign_enabled', true).orderBy('range_id')) as {
      range_id: number;
      pool_type: PoolRow['pool_type'];
    }[];
    const fitting = pools.filter((p) => !data.ip_type || poolIpType(p.pool_type) === data.ip_type);
    if (fitting.length === 0) throw new ConflictError(`No active pool of group ${group}${data.ip_type ? ` hands out ${data.ip_type}` : ''}.`, 'group_name');
    const full: string[] = [];
    for (const p of fitting) {
      try {
        return (await this.reserveIn(trx, Number(p.range_id), data, 1))[0]!;
      } catch (err) {
        if (!(err instanceof PoolExhaustedError)) throw err;
        full.push(err.message);
      }
    }
    throw new ConflictError(`No pool of group ${group} has room. ${full.join(' ')}`, 'group_name');
  }

  private async reserveIn(trx: Knex.Transaction, poolId: number, data: Fields & { ip_address?: string; preferred_address?: string; order?: 'lowest' | 'highest' }, count: number): Promise<Reservation[]> {
    const pool = await lockPool(trx, poolId);
    if (!ALLOCATING_STATUSES.includes(pool.status)) throw new ConflictError(`Pool ${pool.name} is ${pool.status}: it hands out no addresses.`, 'pool_id');
    const ipType = poolIpType(pool.pool_type);
    if (data.ip_type && data.ip_type !== ipType) throw ValidationError.field('ip_type', `Pool ${pool.name} (${pool.pool_type}) hands out ${ipType}, not ${data.ip_type}.`);
    const length = ipType === 'ipv6_prefix' ? Number(pool.delegation_prefix_length) : null;
    if (length !== null && data.prefix_length !== undefined && data.prefix_length !== length) {
      throw ValidationError.field('prefix_length', `Pool ${pool.name} delegates /${length} prefixes.`);
    }
    let keys: bigint[];
    if (data.ip_address !== undefined) {
      if (!toBool(pool.allow_manual_reservation)) throw new ConflictError(`Pool ${pool.name} does not allow manual reservations.`, 'ip_address');
      keys = [await this.manualKey(trx, pool, data.ip_address, length)];
    } else {
      if (!toBool(pool.auto_assign_enabled)) throw new ConflictError(`Pool ${pool.name} has automatic assignment turned off.`, 'pool_id');
      const order = data.order ?? pool.allocation_order;
      if (length !== null) keys = await pickPrefixes(trx, pool, count, order);
      else {
        const preferred = data.preferred_address !== undefined ? this.addressIn(pool, data.preferred_address, 'preferred_address') : null;
        keys = await pickAddresses(trx, pool, { count, order, preferred });
      }
    }
    return this.insert(trx, pool, keys, ipType, length, data);
  }

  /** A manually given address (or, in a prefix-delegation pool, prefix): inside the pool, not the gateway, held by nothing. */
  private async manualKey(trx: Knex.Transaction, pool: PoolRow, text: string, length: number | null): Promise<bigint> {
    const version = Number(pool.ip_version);
    if (length !== null) {
      const c = tryParseCidr(text.includes('/') ? text : `${text}/${length}`);
      if (!c || c.version !== 6) throw ValidationError.field('ip_address', 'Invalid IPv6 prefix: use a network like 2001:db8:0:100::/56.');
      if (c.prefix !== length) throw ValidationError.field('ip_address', `Pool ${pool.name} delegates /${length} prefixes, not /${c.prefix}.`);
      const lo = keyToBigInt(c.firstKey);
      if (lo < keyToBigInt(pool.first_key) || keyToBigInt(c.lastKey) > keyToBigInt(pool.last_key)) throw ValidationError.field('ip_address', `${c.cidr} is outside pool ${pool.name} (${pool.cidr}).`);
      const held = await reservationHolding(trx, version, lo, keyToBigInt(c.lastKey));
      if (held) throw heldByReservationError(c.cidr, held);
      const asset = await assetHolding(trx, version, lo, keyToBigInt(c.lastKey));
      if (asset) throw heldByAssetError(c.cidr, asset);
      return lo;
    }
    const key = this.addressIn(pool, text, 'ip_address');
    const shown = addressText(key, version as 4 | 6);
    if (pool.gateway_key && keyToBigInt(pool.gateway_key) === key) throw new ConflictError(`${shown} is the gateway of pool ${pool.name}.`, 'ip_address');
    const held = await reservationHolding(trx, version, key);
    if (held) throw heldByReservationError(shown, held);
    const asset = await assetHolding(trx, version, key);
    if (asset) throw heldByAssetError(shown, asset);
    return key;
  }

  /** An address of the pool's family among its usable ones (not the IPv4 network or broadcast): its key, else 422. */
  private addressIn(pool: PoolRow, text: string, field: string): bigint {
    const a = tryParseAddress(text);
    if (!a) throw ValidationError.field(field, 'Invalid IP address.');
    const iv = usableInterval(pool);
    const k = keyToBigInt(a.key);
    if (a.version !== Number(pool.ip_version) || k < keyToBigInt(pool.first_key) || k > keyToBigInt(pool.last_key)) throw ValidationError.field(field, `${a.address} is outside pool ${pool.name} (${pool.cidr}).`);
    if (k < iv.lo || k > iv.hi) throw ValidationError.field(field, `${a.address} is the ${k < iv.lo ? 'network' : 'broadcast'} address of pool ${pool.name} (${pool.cidr}).`);
    return k;
  }

  private async insert(trx: Knex.Transaction, pool: PoolRow, keys: bigint[], ipType: IpType, length: number | null, data: Fields, origin?: string): Promise<Reservation[]> {
    const now = this.now();
    const version = Number(pool.ip_version) as 4 | 6;
    const assign = data.assign === true;
    const expires = data.expires_at ? formatTimestamp(parseTimestamp(data.expires_at)!) : null;
    if (expires !== null && expires <= now) throw ValidationError.field('expires_at', 'must be in the future');
    const rows = keys.map((k) => ({
      pool_id: Number(pool.id),
      subscriber_id: data.subscriber_id,
      ip_address: length !== null ? prefixText(k, length) : addressText(k, version),
      ip_version: version,
      ip_key: bigIntToKey(k),
      ip_last_key: bigIntToKey(length !== null ? prefixLastKey(k, length) : k),
      ip_type: ipType,
      prefix_length: length,
      status: assign ? 'ASSIGNED' : 'RESERVED',
      assignment_reason: data.assignment_reason ?? null,
      assigned_by: assign ? (data.assigned_by ?? this.ctx.actor.username) : (data.assigned_by ?? null),
      reserved_at: now,
      assigned_at: assign ? now : null,
      released_at: null,
      expires_at: expires,
      notes: data.notes ?? null,
      netbox_ip_id: data.netbox_ip_id ?? null,
      netbox_synced: false,
      created_at: now,
      updated_at: now,
    }));
    const ids: number[] = [];
    try {
      for (let i = 0; i < rows.length; i += 500) {
        const inserted = (await trx('ip_reservations').insert(rows.slice(i, i + 500)).returning('id')) as ({ id: number } | number)[];
        for (const r of inserted) ids.push(typeof r === 'object' ? Number(r.id) : Number(r));
      }
    } catch (err) {
      // The pool lock rules out its own writers; only a pool overlapping this one can get here first.
      if (isUniqueViolation(err)) throw new ConflictError(`An address of pool ${pool.name} was reserved through an overlapping pool at the same moment; try again.`, 'ip_address');
      throw err;
    }
    await enqueueNetBoxPush(trx, 'reservation', ids);
    const out = await this.byIds(trx, ids);
    await new AuditService(this.ctx).record(
      out.map((r) => ({
        targetType: 'IP_RESERVATION',
        targetId: r.id,
        targetLabel: r.ip_address,
        action: 'CREATE' as const,
        changes: `${r.status} ${r.ip_address} for subscriber ${r.subscriber_id} in pool ${pool.name}${r.expires_at ? `; expires_at: ${r.expires_at}` : ''}${r.assignment_reason ? `; reason: ${r.assignment_reason}` : ''}${origin ? `; ${origin}` : ''}`,
      })),
    );
    return out;
  }

  private async byIds(db: Knex | Knex.Transaction, ids: number[]): Promise<Reservation[]> {
    const out: Reservation[] = [];
    for (let i = 0; i < ids.length; i += 500) out.push(...((await db('ip_reservations').whereIn('id', ids.slice(i, i + 500)).orderBy('id')) as ReservationRow[]).map(present));
    return out;
  }

  /** RESERVED → ASSIGNED. */
  async assign(id: number, input: AssignInput = {}): Promise<Reservation> {
    const data = parseInput(AssignSchema, input);
    return this.move(id, 'ASSIGNED', (now) => ({
      assigned_at: now,
      assigned_by: data.assigned_by ?? this.ctx.actor.username,
      ...(data.assignment_reason !== undefined ? { assignment_reason: data.assignment_reason } : {}),
      ...(data.notes !== undefined ? { notes: data.notes } : {}),
    }));
  }

  /**
   * RESERVED or ASSIGNED → RELEASED; the row stays as history. The address goes into quarantine
   * (still held, so allocation skips it) until the reclaim job frees it after the pool's
   * quarantine_days — at once when that is 0. An address passed on to another holder on purpose
   * goes through handOver instead.
   */
  async release(id: number, input: ReleaseInput = {}): Promise<Reservation> {
    const data = parseInput(ReleaseSchema, input);
    return this.move(id, 'RELEASED', async (now, before, trx) => {
      const pool = (await trx('ip_pools').select('quarantine_days').where({ range_id: before.pool_id }).first()) as { quarantine_days: number | null } | undefined;
      const immediate = pool?.quarantine_days !== null && pool?.quarantine_days !== undefined && Number(pool.quarantine_days) === 0;
      return { released_at: now, ...(immediate ? { reclaimed_at: now } : {}) };
    }, data.reason);
  }

  /**
   * A live reservation's address passed straight to another subscriber, in one transaction: the
   * old reservation is released and reclaimed at once (no quarantine: nobody else may take the
   * address in between), and a new one with the same status and no expiry is written for the new holder. Pool
   * settings that govern handing out addresses (status, automatic or manual assignment) do not
   * apply: the address is not handed out, it changes hands. Both audit entries say so.
   */
  async handOver(id: number, input: HandOverInput): Promise<{ released: Reservation; reservation: Reservation }> {
    const data = parseInput(HandOverSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const self = this.scoped(trx);
      // Pool first, then the reservation: the order reserve takes them in.
      const poolId = (await self.get(id)).pool_id;
      const pool = await lockPool(trx, poolId);
      const before = await self.lock(trx, id);
      if (before.status !== 'RESERVED' && before.status !== 'ASSIGNED') throw new ConflictError(`Reservation ${id} (${before.ip_address}) is ${before.status}; only a live reservation can be handed over.`, 'status');
      if (before.subscriber_id === data.subscriber_id) throw ValidationError.field('subscriber_id', `Reservation ${id} is held by ${data.subscriber_id} already.`);
      const now = self.now();
      await trx('ip_reservations').where({ id }).update({ status: 'RELEASED', released_at: now, reclaimed_at: now, updated_at: now });
      const row = (await trx('ip_reservations').where({ id }).first('ip_key')) as { ip_key: string };
      const [reservation] = await self.insert(trx, pool, [keyToBigInt(row.ip_key)], before.ip_type, before.prefix_length, {
        subscriber_id: data.subscriber_id,
        assign: before.status === 'ASSIGNED',
        netbox_ip_id: data.netbox_ip_id ?? null,
        ...(data.reason !== undefined ? { assignment_reason: data.reason } : {}),
      }, `handed over from subscriber ${before.subscriber_id} (reservation ${id})`);
      await self.audit(before, `status: ${before.status} → RELEASED; handed over to subscriber ${data.subscriber_id} (reservation ${reservation!.id})${data.reason ? `; reason: ${data.reason}` : ''}`);
      await enqueueNetBoxPush(trx, 'reservation', [id]);
      return { released: await self.get(id), reservation: reservation! };
    });
  }

  /** RESERVED → EXPIRED (the lifecycle job calls this for reservations past expires_at; refused before then). */
  async expire(id: number): Promise<Reservation> {
    return this.move(id, 'EXPIRED', () => ({}), undefined, (before, now) => {
      if (!before.expires_at || before.expires_at > now) throw new ConflictError(`Reservation ${id} is not past its expiry (${before.expires_at ?? 'none'}).`, 'expires_at');
    });
  }

  /** A live reservation's new expiry (null: never). */
  async extend(id: number, input: ExtendInput): Promise<Reservation> {
    const data = parseInput(ExtendSchema, input);
    const expires = data.expires_at ? formatTimestamp(parseTimestamp(data.expires_at)!) : null;
    return inTransaction(this.ctx.db, async (trx) => {
      const self = this.scoped(trx);
      const before = await self.lock(trx, id);
      if (before.status !== 'RESERVED' && before.status !== 'ASSIGNED') throw new ConflictError(`Reservation ${id} is ${before.status}; only a live reservation can be extended.`, 'expires_at');
      if (expires !== null && expires <= self.now()) throw ValidationError.field('expires_at', 'must be in the future');
      if (expires === before.expires_at) return before;
      await trx('ip_reservations').where({ id }).update({ expires_at: expires, updated_at: self.now() });
      await self.audit(before, `expires_at: ${before.expires_at ?? '(none)'} → ${expires ?? '(none)'}`);
      return self.get(id);
    });
  }

  private async move(
    id: number,
    to: ReservationStatus,
    set: (now: string, before: Reservation, trx: Knex.Transaction) => Record<string, unknown> | Promise<Record<string, unknown>>,
    reason?: string,
    check?: (before: Reservation, now: string) => void,
  ): Promise<Reservation> {
    return inTransaction(this.ctx.db, async (trx) => {
      const self = this.scoped(trx);
      const before = await self.lock(trx, id);
      const now = self.now();
      if (!canMove(before.status, to)) throw new ConflictError(`Reservation ${id} (${before.ip_address}) is ${before.status}; it cannot become ${to}.`, 'status');
      check?.(before, now);
      await trx('ip_reservations').where({ id }).update({ status: to, ...(await set(now, before, trx)), updated_at: now });
      await self.audit(before, `status: ${before.status} → ${to}${reason ? `; reason: ${reason}` : ''}`);
      await enqueueNetBoxPush(trx, 'reservation', [id]);
      return self.get(id);
    });
  }

  private async lock(trx: Knex.Transaction, id: number): Promise<Reservation> {
    const row = (await forUpdate(trx, trx('ip_reservations').where({ id })).first()) as ReservationRow | undefined;
    if (!row) throw new NotFoundError('Reservation', id);
    return present(row);
  }

  private async audit(r: Reservation, changes: string): Promise<void> {
    await new AuditService(this.ctx).record({ targetType: 'IP_RESERVATION', targetId: r.id, targetLabel: r.ip_address, action: 'UPDATE', changes });
  }

  async get(id: number): Promise<Reservation> {
    const row = (await this.ctx.db('ip_reservations').where({ id }).first()) as ReservationRow | undefined;
    if (!row) throw new NotFoundError('Reservation', id);
    return present(row);
  }

  /**
   * The reservations of `ids` that exist, in id order: one statement per 500 ids (under SQLite's
   * bind limit), for a caller working through many (the NetBox compare) instead of one get each.
   */
  async getMany(ids: readonly number[]): Promise<Reservation[]> {
    const out: Reservation[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = (await this.ctx.db('ip_reservations').select(PRESENTED).whereIn('id', ids.slice(i, i + 500)).orderBy('id')) as ReservationRow[];
      out.push(...rows.map(present));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** Newest first, filtered in SQL; `live` = RESERVED or ASSIGNED; `ip_address` an address's whole history. */
  async list(query: ReservationListQuery = {}): Promise<{ items: Reservation[]; total: number }> {
    const { q, f } = this.filtered(query);
    const total = await countOf(q.clone());
    return { items: await this.pageOf(q, f), total };
  }

  /** One page without its total, for a caller that shows none (GraphQL's list): one statement less. */
  async page(query: ReservationListQuery = {}): Promise<Reservation[]> {
    const { q, f } = this.filtered(query);
    return this.pageOf(q, f);
  }

  private filtered(query: ReservationListQuery) {
    const f = parseInput(ReservationListSchema, query, 'query');
    const q = this.ctx.db('ip_reservations');
    if (f.pool_id !== undefined) q.where('pool_id', f.pool_id);
    if (f.subscriber_id !== undefined) q.where('subscriber_id', f.subscriber_id);
    if (f.status !== undefined) q.where('status', f.status);
    if (f.live === true) q.whereIn('status', ['RESERVED', 'ASSIGNED']);
    if (f.live === false) q.whereIn('status', ['RELEASED', 'EXPIRED']);
    if (f.ip_address !== undefined) {
      const a = tryParseAddress(f.ip_address);
      if (!a) throw new ValidationError([{ loc: ['query', 'ip_address'], msg: 'Invalid IP address.', type: 'value_error' }]);
      q.where({ ip_version: a.version, ip_key: a.key });
    }
    return { q, f };
  }

  private async pageOf(q: ReturnType<ReservationsService['filtered']>['q'], f: { limit: number; offset: number }): Promise<Reservation[]> {
    // The columns a Reservation shows, not `*`: a page of 1,000 skips the keys' blobs (a Buffer each) and bookkeeping columns.
    const rows = (await q.select(PRESENTED).orderBy('id', 'desc').limit(f.limit).offset(f.offset)) as ReservationRow[];
    return rows.map(present);
  }

  /** Live reservations past their expiry at the service's clock, oldest first (what the expiry job works through). */
  async dueForExpiry(limit = 500): Promise<Reservation[]> {
    // A literal status, so SQLite can use the partial index ip_reservations_expiry.
    const rows = (await this.ctx.db('ip_reservations').whereRaw(`status = 'RESERVED'`).whereNotNull('expires_at').where('expires_at', '<=', this.now()).orderBy('expires_at').limit(limit)) as ReservationRow[];
    return rows.map(present);
  }

  /** The pools a reservation can come from for a subscriber-facing picker: ids and names of allocating pools. */
  async allocatingPools(): Promise<{ id: number; pool_name: string; pool_type: PoolRow['pool_type'] }[]> {
    const rows = (await selectPoolRows(this.ctx.db).whereIn('p.status', ALLOCATING_STATUSES).orderBy('r.name')) as PoolRow[];
    return rows.map((r) => ({ id: Number(r.id), pool_name: r.name, pool_type: r.pool_type }));
  }
}

interface ReservationRow extends Omit<Reservation, 'netbox_synced'> {
  netbox_synced: boolean | number;
  ip_key: string;
  ip_last_key: string;
  ip_version: number;
}

/** What present() reads. */
const PRESENTED = ['id', 'pool_id', 'subscriber_id', 'ip_address', 'ip_type', 'prefix_length', 'status', 'assignment_reason', 'assigned_by', 'reserved_at', 'assigned_at', 'released_at', 'expires_at', 'notes', 'netbox_ip_id', 'netbox_synced', 'created_at', 'updated_at'] as const;

function present(r: ReservationRow): Reservation {
  return {
    id: Number(r.id),
    pool_id: Number(r.pool_id),
    subscriber_id: r.subscriber_id,
    ip_address: r.ip_address,
    ip_type: r.ip_type,
    prefix_length: r.prefix_length === null ? null : Number(r.prefix_length),
    status: r.status,
    assignment_reason: r.assignment_reason,
    assigned_by: r.assigned_by,
    reserved_at: r.reserved_at,
    assigned_at: r.assigned_at,
    released_at: r.released_at,
    expires_at: r.expires_at,
    notes: r.notes,
    netbox_ip_id: r.netbox_ip_id === null ? null : Number(r.netbox_ip_id),
    netbox_synced: toBool(r.netbox_synced),
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}
