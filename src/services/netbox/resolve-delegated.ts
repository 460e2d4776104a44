import { ConflictError } from '../../domain/errors.js';
import { reservationStatusOf, valueOf, type NbPrefix } from '../../domain/netbox.js';
import { inTransaction } from '../context.js';
import { ReservationsService } from '../pools/reservations.js';
import type { Reservation } from '../pools/wire.js';
import type { NetBoxConflict, Resolution } from './conflicts.js';
import { canonicalPrefix } from './delegations.js';
import { NetBoxLinksService } from './links.js';
import type { NetBoxSync, RunLog } from './sync.js';

/**
 * Settles a conflict of a delegated IPv6 prefix (see compareDelegations). `ours` makes NetBox's
 * prefix match the reservation (rewritten, or for one we do not hold, deprecated or deleted as
 * configured); `theirs` makes this side match NetBox (the prefix delegated here, the reservation
 * assigned/released, handed to NetBox's holder, or moved to the prefix NetBox now has).
 */
export async function resolveDelegated(sync: NetBoxSync, c: NetBoxConflict, resolution: Exclude<Resolution, 'ignore'>, log: RunLog): Promise<string> {
  const nb = sync.client;
  const prefix = c.netbox_id !== null ? await nb.find<NbPrefix>(`ipam/prefixes/${c.netbox_id}/`) : null;
  if (c.kind === 'delegated_only') {
    if (resolution === 'ours') {
      if (!prefix) return 'NetBox no longer holds it';
      if (sync.released === 'delete') {
        await nb.call('DELETE', `ipam/prefixes/${prefix.id}/`);
        return 'deleted from NetBox';
      }
      await nb.call('PATCH', `ipam/prefixes/${prefix.id}/`, { status: 'deprecated' });
      return 'deprecated in NetBox';
    }
    if (!prefix) throw new ConflictError(`NetBox prefix ${c.subject} is gone; sync again.`, 'resolution');
    const r = await takeDelegation(sync, c.pool_id, prefix, null);
    if (!r) throw new ConflictError(`NetBox prefix ${c.subject} is deprecated now; sync again.`, 'resolution');
    return `delegated here as ${r.status} to ${r.subscriber_id}`;
  }
  if (resolution === 'ours') {
    await sync.pushReservation(c.reservation_id!, log);
    return 'NetBox prefix rewritten from the reservation';
  }
  if (!prefix) throw new ConflictError(`NetBox prefix ${c.subject} is gone; sync again.`, 'resolution');
  const reservations = new ReservationsService(sync.ctx);
  const r = await reservations.get(c.reservation_id!);
  const wanted = reservationStatusOf(valueOf(prefix.status));
  if (c.kind === 'delegated_status') {
    if (wanted === null) await reservations.release(r.id, { reason: `NetBox prefix #${prefix.id} is deprecated` });
    else if (wanted === 'ASSIGNED' && r.status === 'RESERVED') await reservations.assign(r.id, { assignment_reason: `NetBox prefix #${prefix.id} is active` });
    else if (wanted !== r.status) throw new ConflictError(`Reservation ${r.id} is ${r.status}; it cannot go back to ${wanted}. Resolve with ours, or release it first.`, 'resolution');
    await sync.links.linkReservation(r.id, prefix.id);
    return `delegation is ${wanted ?? 'RELEASED'} as in NetBox`;
  }
  if (c.kind === 'delegated_holder') {
    const moved = await inTransaction(sync.ctx.db, async (trx) => {
      const { reservation } = await new ReservationsService({ ...sync.ctx, db: trx }).handOver(r.id, { subscriber_id: holderOf(prefix, r.subscriber_id), reason: `held by ${prefix.description} in NetBox prefix #${prefix.id}`, netbox_ip_id: prefix.id });
      // NetBox's prefix is the new holder's: the released reservation lets go of it, so its push touches nothing.
      await new NetBoxLinksService({ ...sync.ctx, db: trx }).linkReservation(r.id, null);
      return reservation;
    });
    await sync.links.linkReservation(moved.id, prefix.id);
    return `delegation handed to ${moved.subscriber_id} as in NetBox`;
  }
  // delegated_prefix: the subscriber now holds the prefix NetBox has (it must fit this pool's slots).
  const moved = await takeDelegation(sync, c.pool_id, prefix, r);
  return moved ? `delegation moved to ${moved.ip_address} as in NetBox` : `delegation released: NetBox's prefix #${prefix.id} is deprecated`;
}

const holderOf = (p: NbPrefix, fallback: string): string => p.description.trim().slice(0, 128) || fallback;

/**
 * NetBox's prefix delegated here, linked to it: for its description's subscriber (`netbox-<id>`
 * when empty), or, replacing `instead` (released in the same transaction), for that one's. A
 * prefix the pool cannot delegate (outside it, another length, held) is the reserve's 409/422.
 */
async function takeDelegation(sync: NetBoxSync, poolId: number, prefix: NbPrefix, instead: Reservation | null): Promise<Reservation | null> {
  const status = reservationStatusOf(valueOf(prefix.status));
  const made = await inTransaction(sync.ctx.db, async (trx) => {
    const reservations = new ReservationsService({ ...sync.ctx, db: trx });
    if (instead) {
      await reservations.release(instead.id, { reason: `moved to ${canonicalPrefix(prefix.prefix)} as in NetBox prefix #${prefix.id}` });
      await new NetBoxLinksService({ ...sync.ctx, db: trx }).linkReservation(instead.id, null);
    }
    if (status === null) return null;
    return reservations.reserve({
      pool_id: poolId,
      ip_address: canonicalPrefix(prefix.prefix),
      subscriber_id: holderOf(prefix, instead?.subscriber_id ?? `netbox-${prefix.id}`),
      assign: status === 'ASSIGNED',
      assignment_reason: `NetBox prefix #${prefix.id}`,
      netbox_ip_id: prefix.id,
    });
  });
  if (made) await sync.links.linkReservation(made.id, prefix.id);
  return made;
}
