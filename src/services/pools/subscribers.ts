import type { Knex } from 'knex';
import { isPostgres } from '../../db/helpers/dialect.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { tryParseAddress } from '../../domain/ip/address.js';
import { assignVerdict, type Conflict } from '../../domain/pools/conflicts.js';
import { formatTimestamp } from '../../domain/time.js';
import { AuditService } from '../audit.js';
import { inTransaction, type ServiceContext } from '../context.js';
import { AssignIpSchema, ForceSchema, PlanChangeSchema, ReleaseIpSchema, TerminateSubscriberSchema, type AssignIp } from '../schemas/ip-management.js';
import type { ReserveInput } from '../schemas/pools.js';
import { parseInput } from '../validate.js';
import { PoolConflictsService } from './conflicts.js';
import { ReservationsService, type ReservationsOptions } from './reservations.js';
import type { Reservation } from './wire.js';

/** A live reservation holds its address. */
const LIVE = ['RESERVED', 'ASSIGNED'];

export interface AssignResult extends Reservation {
  /** The conflicts an editor forced the assignment over (with force and a reason); empty otherwise. */
  forced_conflicts: Conflict[];
}

/**
 * The seed's subscriber-facing operations and orchestration hooks over reservations: assign an
 * address of a type (automatically, or a manual one with a conflict check and force), release,
 * list, terminate (release everything) and a plan change (add and remove types), each in ONE
 * transaction. A subscriber holds at most one live reservation per IP type (the seed's rule);
 * concurrent calls for one subscriber are serialised by a transaction-scoped lock on it.
 */
export class SubscriberIpsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: ReservationsOptions = {},
  ) {}

  private scoped(trx: Knex.Transaction): { reservations: ReservationsService; conflicts: PoolConflictsService; audit: AuditService } {
    const ctx = { ...this.ctx, db: trx };
    return { reservations: new ReservationsService(ctx, this.options), conflicts: new PoolConflictsService(ctx), audit: new AuditService(ctx) };
  }

  /** The subscriber's live reservations (with `history`, released and expired ones too), newest first. */
  async ips(subscriberId: string, history = false): Promise<Reservation[]> {
    const r = new ReservationsService(this.ctx, this.options);
    const { items } = await r.list({ subscriber_id: subscriberId, ...(history ? {} : { live: true }), limit: 1000 });
    return items;
  }

  /**
   * POST /subscribers/{id}/assign-ip: reserve and assign an address of `ip_type` from `pool_id`
   * (the next free one, or `ip_address`). A manual address is checked for conflicts first: holders,
   * the pool's bounds and gateway refuse it (409 listing them); live evidence or another pool refuse
   * it unless `force` with a `reason`, which the audit entry records with the conflicts overridden.
   */
  async assign(subscriberId: string, input: unknown): Promise<AssignResult> {
    const data = parseInput(AssignIpSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      await lockSubscriber(trx, subscriberId);
      return this.assignIn(trx, subscriberId, data);
    });
  }

  private async assignIn(trx: Knex.Transaction, subscriberId: string, data: AssignIp): Promise<AssignResult> {
    const s = this.scoped(trx);
    const held = await trx('ip_reservations').select('id', 'ip_address').where({ subscriber_id: subscriberId, ip_type: data.ip_type }).whereIn('status', LIVE).first();
    if (held) {
      throw new ConflictError(`Subscriber ${subscriberId} already holds an ${data.ip_type} address (${held.ip_address}, reservation ${held.id}): release it first.`, 'ip_type', {
        reservation_id: Number(held.id),
      });
    }
    const forced = data.ip_address !== undefined && data.pool_id !== undefined ? await this.overConflicts(trx, data.pool_id, data.ip_address, data) : [];
    const r = await s.reservations.reserve({
      ...(data.pool_id !== undefined ? { pool_id: data.pool_id } : { group_name: data.group_name! }),
      subscriber_id: subscriberId,
      ip_type: data.ip_type,
      ...(data.ip_address !== undefined ? { ip_address: data.ip_address } : {}),
      ...(data.prefix_length !== undefined ? { prefix_length: data.prefix_length } : {}),
      ...(data.expires_at !== undefined ? { expires_at: formatTimestamp(data.expires_at) } : {}),
      ...(data.notes !== undefined ? { notes: data.notes } : {}),
      assignment_reason: data.assignment_reason ?? (forced.length > 0 ? data.reason! : null),
      assign: true,
    });
    await this.auditForced(trx, r, forced, data.reason);
    return { ...r, forced_conflicts: forced };
  }

  /**
   * POST /reservations: the reservations service's reserve, with a manual `ip_address` checked for
   * conflicts first exactly as assign-ip does (`force` and `reason` beside the reserve fields).
   */
  async reserve(input: unknown): Promise<AssignResult> {
    const { force, reason, ...rest } = parseInput(ForceSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const manual = typeof rest.ip_address === 'string' && typeof rest.pool_id === 'number';
      const forced = manual ? await this.overConflicts(trx, rest.pool_id as number, rest.ip_address as string, { force, reason }) : [];
      const r = await this.scoped(trx).reservations.reserve(rest as ReserveInput);
      await this.auditForced(trx, r, forced, reason);
      return { ...r, forced_conflicts: forced };
    });
  }

  /**
   * The conflicts of holding a manual address: none, or forceable ones with force and a reason
   * (returned, to be audited); otherwise 409 listing them and whether force would do.
   */
  private async overConflicts(trx: Knex.Transaction, poolId: number, ip: string, f: { force?: boolean | undefined; reason?: string | undefined }): Promise<Conflict[]> {
    const found = await this.scoped(trx).conflicts.check(ip, { poolId, ...(this.options.now ? { now: this.options.now() } : {}) });
    const verdict = assignVerdict(found, f.force === true);
    if (verdict.ok) return verdict.forced;
    const why = verdict.needsForce ? 'send force: true with a reason to assign it anyway' : 'it cannot be assigned';
    throw new ConflictError(`${ip} has conflicts (${verdict.blocking.map((c) => c.conflict_type).join(', ')}): ${why}.`, 'ip_address', { conflicts: verdict.blocking, needs_force: verdict.needsForce });
  }

  private async auditForced(trx: Knex.Transaction, r: Reservation, forced: Conflict[], reason: string | undefined): Promise<void> {
    if (forced.length === 0) return;
    await this.scoped(trx).audit.record({
      targetType: 'IP_RESERVATION',
      targetId: r.id,
      targetLabel: r.ip_address,
      action: 'UPDATE',
      changes: `forced over ${forced.map((c) => `${c.conflict_type} (${c.message})`).join('; ')}; reason: ${reason ?? ''}`,
    });
  }

  /** POST /subscribers/{id}/release-ip: one reservation (by id or address) or every live one of a type. 404 when nothing matches. */
  async release(subscriberId: string, input: unknown): Promise<Reservation[]> {
    const data = parseInput(ReleaseIpSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      await lockSubscriber(trx, subscriberId);
      const q = trx('ip_reservations').select('id').where({ subscriber_id: subscriberId }).whereIn('status', LIVE).orderBy('id');
      if (data.reservation_id !== undefined) q.where('id', data.reservation_id);
      if (data.ip_type !== undefined) q.where('ip_type', data.ip_type);
      if (data.ip_address !== undefined) q.where('ip_address', data.ip_address.includes('/') ? data.ip_address : normalise(data.ip_address));
      const ids = ((await q) as { id: number }[]).map((r) => Number(r.id));
      if (ids.length === 0) throw new NotFoundError(`Live reservation of subscriber ${subscriberId} with`, describe(data));
      return this.releaseIds(trx, ids);
    });
  }

  /** The seed's termination hook: every live reservation of the subscriber released in one transaction. */
  async terminate(subscriberId: string, input: unknown = {}): Promise<{ subscriber_id: string; released: Reservation[] }> {
    const data = parseInput(TerminateSubscriberSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      await lockSubscriber(trx, subscriberId);
      const ids = ((await trx('ip_reservations').select('id').where({ subscriber_id: subscriberId }).whereIn('status', LIVE).orderBy('id')) as { id: number }[]).map((r) => Number(r.id));
      return { subscriber_id: subscriberId, released: await this.releaseIds(trx, ids, data.reason ?? 'subscriber terminated') };
    });
  }

  /**
   * The seed's plan-change hook: release the types the new plan drops and assign the ones it adds,
   * all or nothing (a pool without room for one addition rolls back the whole change: 409).
   */
  async planChange(subscriberId: string, input: unknown): Promise<{ subscriber_id: string; added: AssignResult[]; released: Reservation[] }> {
    const data = parseInput(PlanChangeSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      await lockSubscriber(trx, subscriberId);
      const ids = data.remove.length
        ? ((await trx('ip_reservations').select('id').where({ subscriber_id: subscriberId }).whereIn('ip_type', data.remove).whereIn('status', LIVE).orderBy('id')) as { id: number }[]).map((r) => Number(r.id))
        : [];
      const released = await this.releaseIds(trx, ids, data.reason ?? 'plan change');
      const added: AssignResult[] = [];
      for (const a of data.add) added.push(await this.assignIn(trx, subscriberId, { ...a, ...(data.reason ? { assignment_reason: data.reason } : {}) }));
      return { subscriber_id: subscriberId, added, released };
    });
  }

  private async releaseIds(trx: Knex.Transaction, ids: number[], reason?: string): Promise<Reservation[]> {
    const { reservations } = this.scoped(trx);
    const out: Reservation[] = [];
    for (const id of ids) out.push(await reservations.release(id, reason ? { reason } : {}));
    return out;
  }
}

/**
 * Serialises the writes of one subscriber (one live reservation per type is checked, then
 * written): PostgreSQL takes a transaction-scoped advisory lock on the id's hash; a SQLite write
 * transaction already holds the database's only write lock.
 */
async function lockSubscriber(trx: Knex.Transaction, subscriberId: string): Promise<void> {
  if (isPostgres(trx)) await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`ipocket:subscriber:${subscriberId}`]);
}

function normalise(address: string): string {
  return tryParseAddress(address)?.address ?? address;
}

function describe(d: Record<string, unknown>): string {
  return Object.entries(d)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}
