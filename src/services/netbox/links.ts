import { formatTimestamp } from '../../domain/time.js';
import { AuditService } from '../audit.js';
import { inTransaction, type ServiceContext } from '../context.js';
import { ReservationsService } from '../pools/reservations.js';
import type { Reservation } from '../pools/wire.js';

/** Reservations per read of a pool's compare (ReservationsService.getMany takes them in one statement). */
const SYNC_PAGE = 500;

/**
 * The NetBox side of pools and reservations: which NetBox prefix / IP address each one is, and
 * when it was last in step. A change of link is audited; a synced-at stamp alone is not (it is
 * bookkeeping, and a sync that found nothing to do must not fill the audit log).
 */
export class NetBoxLinksService {
  constructor(private readonly ctx: ServiceContext) {}

  async linkPool(poolId: number, prefixId: number | null, at: Date = new Date()): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const before = (await trx('ip_pools as p').join('ranges as r', 'r.id', 'p.range_id').where('p.range_id', poolId).first('p.netbox_prefix_id', 'r.name')) as { netbox_prefix_id: number | null; name: string } | undefined;
      if (!before) return;
      await trx('ip_pools').where({ range_id: poolId }).update({ netbox_prefix_id: prefixId, netbox_synced_at: formatTimestamp(at) });
      const was = before.netbox_prefix_id === null ? null : Number(before.netbox_prefix_id);
      if (was !== prefixId) {
        await new AuditService({ ...this.ctx, db: trx }).record({ targetType: 'IP_POOL', targetId: poolId, targetLabel: before.name, action: 'UPDATE', changes: `netbox_prefix_id: ${was ?? '(none)'} → ${prefixId ?? '(none)'}` });
      }
    });
  }

  async linkReservation(id: number, ipId: number | null, at: Date = new Date()): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const before = (await trx('ip_reservations').where({ id }).first('netbox_ip_id', 'ip_address')) as { netbox_ip_id: number | null; ip_address: string } | undefined;
      if (!before) return;
      await trx('ip_reservations').where({ id }).update({ netbox_ip_id: ipId, netbox_synced: true, netbox_synced_at: formatTimestamp(at) });
      const was = before.netbox_ip_id === null ? null : Number(before.netbox_ip_id);
      if (was !== ipId) {
        await new AuditService({ ...this.ctx, db: trx }).record({ targetType: 'IP_RESERVATION', targetId: id, targetLabel: before.ip_address, action: 'UPDATE', changes: `netbox_ip_id: ${was ?? '(none)'} → ${ipId ?? '(none)'}` });
      }
    });
  }

  /** The pool imported from (or pushed to) NetBox prefix `prefixId`, or null. */
  async poolOfPrefix(prefixId: number): Promise<number | null> {
    const row = (await this.ctx.db('ip_pools').where({ netbox_prefix_id: prefixId }).first('range_id')) as { range_id: number } | undefined;
    return row ? Number(row.range_id) : null;
  }

  async poolIds(): Promise<number[]> {
    return ((await this.ctx.db('ip_pools').select('range_id').orderBy('range_id')) as { range_id: number }[]).map((r) => Number(r.range_id));
  }

  /**
   * A pool's reservations NetBox should know (see reservationIdsToSync), in id order, read a page
   * of 500 at a time: a compare of a pool of n reservations reads 1 + n/500 statements, not 1 + n.
   * A reservation deleted after its id was listed is left out (deleted with its pool, or by hand).
   */
  async *reservationsToSync(poolId: number): AsyncGenerator<Reservation> {
    const ids = await this.reservationIdsToSync(poolId);
    const reservations = new ReservationsService(this.ctx);
    for (let i = 0; i < ids.length; i += SYNC_PAGE) yield* await reservations.getMany(ids.slice(i, i + SYNC_PAGE));
  }

  /** A pool's reservations NetBox should know: live ones, and released/expired ones still linked to a NetBox address. */
  async reservationIdsToSync(poolId: number): Promise<number[]> {
    const rows = (await this.ctx.db('ip_reservations')
      .select('id')
      .where({ pool_id: poolId })
      .andWhere((w) => w.whereIn('status', ['RESERVED', 'ASSIGNED']).orWhereNotNull('netbox_ip_id'))
      .orderBy('id')) as { id: number }[];
    return rows.map((r) => Number(r.id));
  }
}
