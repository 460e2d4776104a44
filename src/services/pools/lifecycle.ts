import type { Knex } from 'knex';
import { forUpdate } from '../../db/transaction.js';
import { ConflictError } from '../../domain/errors.js';
import { DEFAULT_RECLAIM_DAYS, reclaimCutoff } from '../../domain/pools/lifecycle.js';
import { formatTimestamp } from '../../domain/time.js';
import { AuditService } from '../audit.js';
import { inTransaction, type ServiceContext } from '../context.js';
import { ReservationUpdateSchema } from '../schemas/ip-management.js';
import { parseInput } from '../validate.js';
import { ReservationsService } from './reservations.js';
import type { Reservation } from './wire.js';

/** Rows changed per transaction by a lifecycle job (a backlog of 100k must not hold one long lock). */
const BATCH = 500;

/**
 * A reservation's steps beyond reserve: a combined update (PUT), and the time-driven part run by
 * the job runner with ITS clock (the slot being run; a test's fixed date): expiry past `expires_at` (RESERVED → EXPIRED, through the
 * reservations service's own `expire`, which re-checks under the row lock) and reclaiming
 * released addresses after N days.
 */
export class ReservationLifecycleService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * PUT /reservations/{id}: a new expiry and/or the next lifecycle step (ASSIGNED or RELEASED),
   * in one transaction: a refused step leaves the expiry unchanged too.
   */
  async update(id: number, input: unknown): Promise<Reservation> {
    const body = parseInput(ReservationUpdateSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const reservations = new ReservationsService({ ...this.ctx, db: trx });
      let out = await reservations.get(id);
      if (body.expires_at !== undefined) out = await reservations.extend(id, { expires_at: body.expires_at });
      if (body.status === 'ASSIGNED') out = await reservations.assign(id, { assigned_by: body.assigned_by, assignment_reason: body.assignment_reason, notes: body.notes });
      if (body.status === 'RELEASED') out = await reservations.release(id, body.reason !== undefined ? { reason: body.reason } : {});
      return out;
    });
  }

  /** Expires every RESERVED reservation whose expires_at is at or before `now`; returns how many. */
  async expire(now: Date): Promise<number> {
    const reservations = new ReservationsService(this.ctx, { now: () => now });
    let expired = 0;
    const skipped = new Set<number>();
    for (;;) {
      const due = (await reservations.dueForExpiry(BATCH + skipped.size)).filter((r) => !skipped.has(r.id));
      if (due.length === 0) return expired;
      for (const r of due) {
        try {
          await reservations.expire(r.id);
          expired++;
        } catch (err) {
          // Assigned, released or extended since it was listed: no longer due.
          if (!(err instanceof ConflictError)) throw err;
          skipped.add(r.id);
        }
      }
    }
  }

  /**
   * Released reservations older than their pool's `quarantine_days` (else `days`) are reclaimed:
   * marked `reclaimed_at` (the record stays as history), which ends their quarantine — the
   * counters drop them and allocation may hand the address out again — with an audit entry
   * each, BATCH per transaction, re-checked under lock. One pass per distinct setting (few).
   */
  async reclaim(now: Date, days = DEFAULT_RECLAIM_DAYS): Promise<number> {
    const settings = (await this.ctx.db('ip_pools').distinct('quarantine_days')) as { quarantine_days: number | null }[];
    const periods = new Set(settings.map((s) => (s.quarantine_days === null ? days : Number(s.quarantine_days))));
    let total = 0;
    for (const d of [...periods].sort((a, b) => a - b)) total += await this.reclaimAfter(now, d, d === days);
    return total;
  }

  /** reclaim for the pools whose quarantine is `days` (`isDefault`: and those using the default). */
  private async reclaimAfter(now: Date, days: number, isDefault: boolean): Promise<number> {
    const at = formatTimestamp(now);
    const cutoff = formatTimestamp(reclaimCutoff(now, days));
    const pools = (q: Knex.QueryBuilder): Knex.QueryBuilder => {
      const setting = this.ctx.db('ip_pools').select('range_id').where('quarantine_days', days);
      if (isDefault) setting.orWhereNull('quarantine_days');
      return q.whereIn('pool_id', setting);
    };
    let total = 0;
    for (;;) {
      const n = await inTransaction(this.ctx.db, async (trx: Knex.Transaction) => {
        const rows = (await forUpdate(
          trx,
          pools(trx('ip_reservations').select('id', 'ip_address', 'released_at').where('status', 'RELEASED').whereNull('reclaimed_at').where('released_at', '<=', cutoff)).orderBy('id').limit(BATCH),
        )) as { id: number; ip_address: string; released_at: string }[];
        if (rows.length === 0) return 0;
        await trx('ip_reservations').whereIn('id', rows.map((r) => r.id)).update({ reclaimed_at: at, updated_at: at });
        await new AuditService({ ...this.ctx, db: trx }).record(
          rows.map((r) => ({
            targetType: 'IP_RESERVATION',
            targetId: Number(r.id),
            targetLabel: r.ip_address,
            action: 'UPDATE' as const,
            changes: `reclaimed: released ${r.released_at}, more than ${days} day(s) before ${at}`,
          })),
        );
        return rows.length;
      });
      if (n === 0) return total;
      total += n;
    }
  }
}
