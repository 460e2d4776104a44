import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { forUpdate } from '../../db/transaction.js';
import { keyHeldSql } from '../../db/queries/key-space.js';
import { describeChanges, diffFields, type FieldValue } from '../../domain/changes.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { keyToBigInt } from '../../domain/ip/address.js';
import { jsonCount, percentUsed } from '../../domain/ip/key-space.js';
import { checkPoolNetwork } from '../../domain/pools/validate.js';
import { formatTimestamp, parseTimestamp } from '../../domain/time.js';
import { AuditService } from '../audit.js';
import { enqueueNetBoxPush } from '../netbox/outbox.js';
import { inTransaction, toBool, type ServiceContext } from '../context.js';
import { RangesService } from '../ranges/service.js';
import { selectRangesWithUsed, usableInterval, utilizationsOfRows, type RangeKeys, type Utilization } from '../ranges/utilization.js';
import { PoolCreateSchema, PoolListSchema, PoolUpdateSchema, type PoolCreate, type PoolListQuery, type PoolUpdate } from '../schemas/pools.js';
import { parseInput } from '../validate.js';
import { freeSlots, slotSpan } from './slots.js';
import type { Pool, PoolStateCounts } from './wire.js';

/** A pool's stored row: its range's columns and its settings (what allocation works from). */
export interface PoolRow extends RangeKeys {
  id: number;
  name: string;
  cidr: string;
  first_key: string;
  last_key: string;
  pool_type: Pool['pool_type'];
  gateway: string | null;
  gateway_key: string | null;
  dns_servers: string | null;
  vlan_id: number | null;
  status: Pool['status'];
  auto_assign_enabled: boolean | number;
  allow_manual_reservation: boolean | number;
  utilization_alert_threshold: number;
  allocation_order: Pool['allocation_order'];
  delegation_prefix_length: number | null;
  group_name: string | null;
  description: string | null;
  netbox_prefix_id: number | null;
  netbox_synced_at: string | null;
  quarantine_days: number | null;
  created_at: string;
  updated_at: string;
}

const RANGE_COLUMNS = ['r.id', 'r.name', 'r.cidr', 'r.ip_version', 'r.prefix', 'r.first_key', 'r.last_key', 'r.usable_first_key', 'r.usable_last_key'];
const SETTING_COLUMNS = [
  'p.pool_type', 'p.gateway', 'p.gateway_key', 'p.dns_servers', 'p.vlan_id', 'p.status', 'p.auto_assign_enabled', 'p.allow_manual_reservation',
  'p.utilization_alert_threshold', 'p.allocation_order', 'p.delegation_prefix_length', 'p.group_name', 'p.description', 'p.netbox_prefix_id',
  'p.netbox_synced_at', 'p.quarantine_days', 'p.created_at', 'p.updated_at',
];

/** A pool row as stateCountsMany reads it: used keys, counters and whether its gateway is held. */
type CountedPoolRow = PoolRow & { used: number | string; n_reserved: number | string; n_assigned: number | string; n_quarantined: number | string; gateway_held: number | string };

/** Pool rows without utilization (allocation reads these, locked). */
export function selectPoolRows(db: Db): Knex.QueryBuilder {
  return db('ip_pools as p').join('ranges as r', 'r.id', 'p.range_id').select(...RANGE_COLUMNS, ...SETTING_COLUMNS);
}

/**
 * A pool's row read inside the caller's transaction, locking it until the transaction ends: the
 * per-pool lock every allocation takes (PostgreSQL FOR UPDATE; a SQLite write transaction already
 * holds the one write lock from BEGIN IMMEDIATE). Writers of other pools do not wait.
 */
export async function lockPool(trx: Knex.Transaction, id: number): Promise<PoolRow> {
  const row = (await forUpdate(trx, selectPoolRows(trx).where('p.range_id', id)).first()) as PoolRow | undefined;
  if (!row) throw new NotFoundError('Pool', id);
  return row;
}

/**
 * Static IP pools: a pool is a range (created, renamed, re-addressed and deleted through the
 * ranges service, so names stay unique and the range list shows it) plus allocation settings.
 */
export class PoolsService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(query: PoolListQuery = {}): Promise<Pool[]> {
    const f = parseInput(PoolListSchema, query, 'query');
    const q = selectRangesWithUsed(this.ctx.db, [...RANGE_COLUMNS, ...SETTING_COLUMNS]).join('ip_pools as p', 'p.range_id', 'r.id');
    if (f.pool_type) q.where('p.pool_type', f.pool_type);
    if (f.status) q.where('p.status', f.status);
    if (f.group_name) q.where('p.group_name', f.group_name);
    if (f.q) {
      const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q.where((w) => w.whereRaw(`LOWER(r.name) LIKE ? ESCAPE '\\'`, [like]).orWhereRaw(`LOWER(r.cidr) LIKE ? ESCAPE '\\'`, [like]).orWhereRaw(`LOWER(COALESCE(p.description, '')) LIKE ? ESCAPE '\\'`, [like]));
    }
    const rows = (await q.orderBy([{ column: 'r.ip_version' }, { column: 'r.first_key' }, { column: 'r.prefix' }])) as (PoolRow & { used: number | string })[];
    return presentAll(this.ctx.db, rows);
  }

  async get(id: number): Promise<Pool> {
    const row = (await selectRangesWithUsed(this.ctx.db, [...RANGE_COLUMNS, ...SETTING_COLUMNS]).join('ip_pools as p', 'p.range_id', 'r.id').where('r.id', id).first()) as
      | (PoolRow & { used: number | string })
      | undefined;
    if (!row) throw new NotFoundError('Pool', id);
    return (await presentAll(this.ctx.db, [row]))[0]!;
  }

  /** The stored row (no lock), for readers that need keys. */
  async getRow(id: number): Promise<PoolRow> {
    const row = (await selectPoolRows(this.ctx.db).where('p.range_id', id).first()) as PoolRow | undefined;
    if (!row) throw new NotFoundError('Pool', id);
    return row;
  }

  async create(input: PoolCreate): Promise<Pool> {
    const data = parseInput(PoolCreateSchema, input);
    const net = checkPoolNetwork(data);
    return inTransaction(this.ctx.db, async (trx) => {
      const ctx = { ...this.ctx, db: trx };
      const range = await renameConflicts(() => new RangesService(ctx).create({ name: data.pool_name, cidr: net.cidr.cidr, notes: data.description ?? null }));
      const now = formatTimestamp();
      await trx('ip_pools').insert({
        range_id: range.id,
        pool_type: data.pool_type,
        gateway: net.gateway,
        gateway_key: net.gatewayKey,
        dns_servers: net.dnsServers.length > 0 ? net.dnsServers.join(',') : null,
        vlan_id: data.vlan_id ?? null,
        status: data.status ?? 'ACTIVE',
        auto_assign_enabled: data.auto_assign_enabled ?? true,
        allow_manual_reservation: data.allow_manual_reservation ?? true,
        utilization_alert_threshold: data.utilization_alert_threshold ?? 80,
        allocation_order: data.allocation_order ?? 'lowest',
        delegation_prefix_length: net.delegationPrefixLength,
        group_name: data.group_name ?? null,
        description: data.description ?? null,
        netbox_prefix_id: data.netbox_prefix_id ?? null,
        netbox_synced_at: data.netbox_synced_at ? formatTimestamp(parseTimestamp(data.netbox_synced_at)!) : null,
        quarantine_days: data.quarantine_days ?? null,
        created_at: now,
        updated_at: now,
      });
      const self = new PoolsService(ctx);
      const after = await self.get(range.id);
      await self.audit('CREATE', after, describeChanges(diffFields({}, view(after))));
      await enqueueNetBoxPush(trx, 'pool', [range.id]);
      return after;
    });
  }

  /**
   * Changes the fields present. The network and gateway are checked together (a new gateway
   * against the stored network and the other way round); the network of a pool holding live
   * reservations does not change (409): they would fall outside it.
   */
  async update(id: number, input: PoolUpdate): Promise<Pool> {
    const patch = parseInput(PoolUpdateSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const ctx = { ...this.ctx, db: trx };
      const self = new PoolsService(ctx);
      await lockPool(trx, id);
      const before = await self.get(id);
      const net = checkPoolNetwork({
        pool_type: patch.pool_type ?? before.pool_type,
        network_cidr: patch.network_cidr ?? before.network_cidr,
        gateway: patch.gateway !== undefined ? patch.gateway : before.gateway,
        dns_servers: patch.dns_servers !== undefined ? patch.dns_servers : before.dns_servers,
        delegation_prefix_length: patch.delegation_prefix_length !== undefined ? patch.delegation_prefix_length : before.delegation_prefix_length,
      });
      const reshaped = net.cidr.cidr !== before.network_cidr || (patch.pool_type !== undefined && patch.pool_type !== before.pool_type) || net.delegationPrefixLength !== before.delegation_prefix_length;
      if (reshaped && (await self.liveCount(id)) > 0) {
        throw new ConflictError(`Pool ${before.pool_name} holds live reservations: release them before changing its network, type or delegation length.`, 'network_cidr');
      }
      if (net.gatewayKey && net.gateway !== before.gateway && (await heldAt(trx, net.cidr.version, net.gatewayKey))) {
        throw ValidationError.field('gateway', `The gateway ${net.gateway} is reserved in a pool; release it first.`);
      }
      if ((patch.pool_name !== undefined && patch.pool_name !== before.pool_name) || net.cidr.cidr !== before.network_cidr) {
        await renameConflicts(() => new RangesService(ctx).update(id, { name: patch.pool_name ?? before.pool_name, cidr: net.cidr.cidr }));
      }
      const set: Record<string, unknown> = {
        pool_type: patch.pool_type ?? before.pool_type,
        gateway: net.gateway,
        gateway_key: net.gatewayKey,
        dns_servers: net.dnsServers.length > 0 ? net.dnsServers.join(',') : null,
        delegation_prefix_length: net.delegationPrefixLength,
      };
      for (const k of ['vlan_id', 'status', 'auto_assign_enabled', 'allow_manual_reservation', 'utilization_alert_threshold', 'allocation_order', 'group_name', 'description', 'netbox_prefix_id', 'quarantine_days'] as const) {
        if (patch[k] !== undefined) set[k] = patch[k];
      }
      if (patch.netbox_synced_at !== undefined) set.netbox_synced_at = patch.netbox_synced_at ? formatTimestamp(parseTimestamp(patch.netbox_synced_at)!) : null;
      await trx('ip_pools').where({ range_id: id }).update({ ...set, updated_at: formatTimestamp() });
      const after = await self.get(id);
      const changes = diffFields(view(before), view(after));
      if (changes.length > 0) await self.audit('UPDATE', after, describeChanges(changes));
      if (changes.length > 0) await enqueueNetBoxPush(trx, 'pool', [id]);
      return after;
    });
  }

  /** Deletes the pool and its range; refused (409) while it holds live reservations. Released history goes with it. */
  async delete(id: number): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const self = new PoolsService({ ...this.ctx, db: trx });
      await lockPool(trx, id);
      const pool = await self.get(id);
      const live = await self.liveCount(id);
      if (live > 0) throw new ConflictError(`Pool ${pool.pool_name} holds ${live} live reservation(s): release them before deleting it.`);
      await self.audit('DELETE', pool, describeChanges(diffFields(view(pool), {})));
      if (pool.netbox_prefix_id !== null) await enqueueNetBoxPush(trx, 'pool', [id], pool.netbox_prefix_id);
      await new RangesService({ ...this.ctx, db: trx }).delete(id);
    });
  }

  /** Live (RESERVED + ASSIGNED) reservations of the pool, from the trigger-kept counters. */
  async liveCount(id: number): Promise<number> {
    const c = await this.statusCounts(id);
    return c.RESERVED + c.ASSIGNED;
  }

  /** RESERVED, ASSIGNED and QUARANTINED (released, not reclaimed: migration 220) from the trigger-kept counters. */
  private async statusCounts(id: number): Promise<{ RESERVED: number; ASSIGNED: number; QUARANTINED: number }> {
    const rows = (await this.ctx.db('ip_pool_counts').select('status', 'n').where({ pool_id: id }).whereIn('status', ['RESERVED', 'ASSIGNED', 'QUARANTINED'])) as { status: string; n: number | string }[];
    const out = { RESERVED: 0, ASSIGNED: 0, QUARANTINED: 0 };
    for (const r of rows) out[r.status as keyof typeof out] = Number(r.n);
    return out;
  }

  /**
   * Utilization by state (the counting function the pools API's /utilization and /stats call):
   * reserved and assigned from the per-pool counters, everything else holding an address from
   * the key-space module, so a /8 costs what a /30 does. Prefix-delegation pools count slots.
   * Released addresses in quarantine are not available (allocation skips them) and count in
   * `in_use` — held, though by no one live — with `quarantined` saying how many are this pool's,
   * so the states still add up to the total.
   */
  async stateCounts(id: number): Promise<PoolStateCounts> {
    const [one] = await this.stateCountsMany([id]);
    if (!one) throw new NotFoundError('Pool', id);
    return one;
  }

  /**
   * stateCounts of many pools (a GraphQL page, /stats, /metrics) in one statement per 500 pools
   * (plus one per 100 prefix-delegation pools for their free slots): each row carries its used
   * count (rangeUsedSql, the expression the pool list uses, planned once however many rows),
   * its reserved/assigned/quarantined counters and whether something holds its gateway. Missing
   * ids are left out. (Counting with countUsedKeys instead wrote ~6 subqueries per pool into one
   * statement: 100 pools were a 90 KB statement that PostgreSQL took longer to plan than to run.)
   */
  async stateCountsMany(ids: readonly number[]): Promise<PoolStateCounts[]> {
    if (ids.length === 0) return [];
    const db = this.ctx.db;
    const counter = (status: string): Knex.Raw => db.raw('(SELECT COALESCE(SUM(c.n), 0) FROM ip_pool_counts c WHERE c.pool_id = p.range_id AND c.status = ?)', [status]);
    const rows: CountedPoolRow[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      rows.push(...((await selectRangesWithUsed(db, [...RANGE_COLUMNS, ...SETTING_COLUMNS])
        .join('ip_pools as p', 'p.range_id', 'r.id')
        .select({ n_reserved: counter('RESERVED'), n_assigned: counter('ASSIGNED'), n_quarantined: counter('QUARANTINED'), gateway_held: keyHeldSql(db, 'r.ip_version', 'p.gateway_key') })
        .whereIn('p.range_id', ids.slice(i, i + 500))) as CountedPoolRow[]));
    }
    const counters = new Map(rows.map((r) => [Number(r.id), { RESERVED: Number(r.n_reserved), ASSIGNED: Number(r.n_assigned), QUARANTINED: Number(r.n_quarantined) }]));
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const found = ids.filter((id) => byId.has(id)).map((id) => byId.get(id)!);
    const isPrefix = (r: PoolRow): boolean => r.pool_type === 'IPV6_PREFIX_DELEGATION';
    const spans = found.map((row) => {
      if (isPrefix(row)) return { ...slotSpan(row, Number(row.delegation_prefix_length)), gateway: [] as bigint[] };
      const iv = usableInterval(row);
      const gateway = row.gateway_key ? [keyToBigInt(row.gateway_key)] : [];
      // The gateway is never handed out: outside the total, and not available (whatever holds it).
      return { iv, slotBits: 0n, gateway, total: iv.hi - iv.lo + 1n - BigInt(gateway.filter((g) => g >= iv.lo && g <= iv.hi).length) };
    });
    const prefixAt = found.map((r, i) => (isPrefix(r) ? i : -1)).filter((i) => i >= 0);
    const addressAt = found.map((r, i) => (isPrefix(r) ? -1 : i)).filter((i) => i >= 0);
    const available = found.map(() => 0n);
    (await freeSlots(this.ctx.db, prefixAt.map((i) => spans[i]!))).forEach((n, j) => (available[prefixAt[j]!] = n));
    for (const i of addressAt) {
      const { iv, gateway } = spans[i]!;
      if (iv.hi < iv.lo) continue;
      // A gateway no one holds is skipped on top of the used keys; a held one is among them already.
      const skipped = Number(found[i]!.gateway_held) === 1 ? 0 : gateway.filter((g) => g >= iv.lo && g <= iv.hi).length;
      available[i] = iv.hi - iv.lo + 1n - BigInt(String(found[i]!.used)) - BigInt(skipped);
    }
    return found.map((row, i) => {
      const { RESERVED, ASSIGNED, QUARANTINED } = counters.get(Number(row.id)) ?? { RESERVED: 0, ASSIGNED: 0, QUARANTINED: 0 };
      const { total } = spans[i]!;
      const free = available[i]!;
      const mine = BigInt(RESERVED + ASSIGNED);
      const inUse = total - free - mine > 0n ? total - free - mine : 0n;
      return {
        pool_id: Number(row.id),
        unit: isPrefix(row) ? ('prefix' as const) : ('address' as const),
        total: jsonCount(total),
        reserved: RESERVED,
        assigned: ASSIGNED,
        in_use: jsonCount(inUse),
        quarantined: QUARANTINED,
        available: jsonCount(free),
        utilization_percent: percentUsed(total - free, total),
      };
    });
  }

  private async audit(action: 'CREATE' | 'UPDATE' | 'DELETE', pool: Pool, changes: string): Promise<void> {
    await new AuditService(this.ctx).record({ targetType: 'IP_POOL', targetId: pool.id, targetLabel: pool.pool_name, action, changes });
  }
}

/** Is a live reservation (address or delegated prefix start) at this key? */
async function heldAt(db: Db, version: number, key: string): Promise<boolean> {
  return (await db('ip_reservations').where({ ip_version: version, ip_key: key }).whereIn('status', ['RESERVED', 'ASSIGNED']).first('id')) !== undefined;
}

/** The ranges service names its fields name/cidr; a pool's are pool_name/network_cidr. */
async function renameConflicts<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ConflictError) throw new ConflictError(err.message.replace('A range', 'A range or pool'), err.field === 'name' ? 'pool_name' : 'network_cidr', err.extra);
    throw err;
  }
}

/**
 * Pools with their utilization, counted as the range list and the pool page count them
 * (src/services/pools/slots.ts): a delegation pool in delegated prefixes (unit 'prefix'), the
 * others in addresses. Counted in addresses, a /48 with one /56 out said 0 % used.
 */
async function presentAll(db: Db, rows: (PoolRow & { used: number | string })[]): Promise<Pool[]> {
  const utilizations = await utilizationsOfRows(db, rows.map((r) => ({ ...r, delegates: r.pool_type === 'IPV6_PREFIX_DELEGATION' ? r.delegation_prefix_length : null })));
  return rows.map((r, i) => present(r, utilizations[i]!));
}

function present(r: PoolRow, utilization: Utilization): Pool {
  return {
    id: Number(r.id),
    pool_name: r.name,
    pool_type: r.pool_type,
    network_cidr: r.cidr,
    ip_version: Number(r.ip_version),
    gateway: r.gateway,
    dns_servers: r.dns_servers ? r.dns_servers.split(',') : [],
    vlan_id: r.vlan_id === null ? null : Number(r.vlan_id),
    status: r.status,
    auto_assign_enabled: toBool(r.auto_assign_enabled),
    allow_manual_reservation: toBool(r.allow_manual_reservation),
    utilization_alert_threshold: Number(r.utilization_alert_threshold),
    allocation_order: r.allocation_order,
    delegation_prefix_length: r.delegation_prefix_length === null ? null : Number(r.delegation_prefix_length),
    group_name: r.group_name,
    description: r.description,
    netbox_prefix_id: r.netbox_prefix_id === null ? null : Number(r.netbox_prefix_id),
    netbox_synced_at: r.netbox_synced_at,
    quarantine_days: r.quarantine_days === null ? null : Number(r.quarantine_days),
    created_at: r.created_at,
    updated_at: r.updated_at,
    utilization,
  };
}

/** The audited fields of a pool, as text. */
function view(p: Pool): Record<string, FieldValue> {
  return {
    pool_name: p.pool_name,
    pool_type: p.pool_type,
    network_cidr: p.network_cidr,
    gateway: p.gateway,
    dns_servers: p.dns_servers.join(', ') || null,
    vlan_id: p.vlan_id === null ? null : String(p.vlan_id),
    status: p.status,
    auto_assign_enabled: String(p.auto_assign_enabled),
    allow_manual_reservation: String(p.allow_manual_reservation),
    utilization_alert_threshold: String(p.utilization_alert_threshold),
    allocation_order: p.allocation_order,
    delegation_prefix_length: p.delegation_prefix_length === null ? null : String(p.delegation_prefix_length),
    group_name: p.group_name,
    description: p.description,
    netbox_prefix_id: p.netbox_prefix_id === null ? null : String(p.netbox_prefix_id),
    quarantine_days: p.quarantine_days === null ? null : String(p.quarantine_days),
  };
}
