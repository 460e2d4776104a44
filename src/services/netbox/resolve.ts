import { AppError, ConflictError } from '../../domain/errors.js';
import { poolStatusOf, reservationStatusOf, valueOf, type NbIpAddress, type NbPrefix } from '../../domain/netbox.js';
import { inTransaction } from '../context.js';
import { PoolsService } from '../pools/pools.js';
import { ReservationsService } from '../pools/reservations.js';
import { parseInput } from '../validate.js';
import { NetBoxLinksService } from './links.js';
import { DELEGATED_KINDS, NetBoxConflictsService, ResolveAllSchema, ResolveSchema, type NetBoxConflict, type Resolution } from './conflicts.js';
import { resolveDelegated } from './resolve-delegated.js';
import type { SyncRun } from './runs.js';
import { RunLog, type NetBoxSync } from './sync.js';

/**
 * Settles conflicts a sync found. `ours` makes NetBox match this side (the address deleted or
 * deprecated there, the IP address or prefix rewritten); `theirs` makes this side match NetBox (the
 * address reserved here, the reservation assigned/released or handed to NetBox's holder, the pool
 * renamed/re-addressed); `ignore` leaves both as they are until one of them changes.
 */
export class NetBoxResolver {
  constructor(private readonly sync: NetBoxSync) {}

  private get conflicts(): NetBoxConflictsService {
    return new NetBoxConflictsService(this.sync.ctx);
  }

  resolve(id: number, input: unknown): Promise<NetBoxConflict> {
    const { resolution } = parseInput(ResolveSchema, input);
    return this.sync.exclusive(() => this.resolveIn(id, resolution));
  }

  private async resolveIn(id: number, resolution: Resolution): Promise<NetBoxConflict> {
    const c = await this.conflicts.get(id);
    if (c.status !== 'open') throw new ConflictError(`Conflict ${id} is ${c.status} already.`, 'resolution');
    const log = new RunLog();
    const detail = resolution === 'ignore' ? 'left as it is' : await this.apply(c, resolution, log);
    return this.conflicts.settle(c, resolution, detail);
  }

  /** Every open conflict (of one pool, when given) the same way; one recorded run with what each did. */
  resolveAll(input: unknown): Promise<{ run: SyncRun; resolved: number; failed: number }> {
    const { resolution, pool_id } = parseInput(ResolveAllSchema, input);
    return this.sync.exclusive(() => this.resolveAllIn(resolution, pool_id));
  }

  private async resolveAllIn(resolution: Resolution, pool_id: number | undefined): Promise<{ run: SyncRun; resolved: number; failed: number }> {
    let resolved = 0;
    let failed = 0;
    const { run } = await this.sync.recorded('resolve', async (log) => {
      for (;;) {
        const page = await this.conflicts.list({ status: 'open', pool_id, limit: 200 });
        const todo = page.items.filter((c) => !log.lines.some((l) => l.includes(`conflict ${c.id}:`)));
        if (todo.length === 0) break;
        for (const c of todo) {
          try {
            const detail = resolution === 'ignore' ? 'left as it is' : await this.apply(c, resolution, log);
            await this.conflicts.settle(c, resolution, detail);
            log.add(`conflict ${c.id}: ${c.kind} ${c.subject} → ${resolution}: ${detail}`);
            resolved++;
          } catch (err) {
            // A refusal (409, 422, NetBox's 4xx/5xx) is this conflict's; anything else is a bug.
            if (!(err instanceof AppError)) throw err;
            log.counts.failed++;
            log.add(`conflict ${c.id}: ${c.kind} ${c.subject} not resolved: ${err.message}`);
            failed++;
          }
        }
      }
    });
    return { run, resolved, failed };
  }

  private async apply(c: NetBoxConflict, resolution: Exclude<Resolution, 'ignore'>, log: RunLog): Promise<string> {
    const ctx = this.sync.ctx;
    const nb = this.sync.client;
    if ((DELEGATED_KINDS as readonly string[]).includes(c.kind)) return resolveDelegated(this.sync, c, resolution, log);
    if (c.kind === 'prefix') {
      if (resolution === 'ours') {
        await this.sync.pushPool(c.pool_id, log, 'push');
        return 'NetBox prefix rewritten from the pool';
      }
      const prefix = await nb.find<NbPrefix>(`ipam/prefixes/${c.netbox_id}/`);
      if (!prefix) throw new ConflictError(`NetBox prefix ${c.netbox_id} is gone; sync again.`, 'resolution');
      await new PoolsService(ctx).update(c.pool_id, { network_cidr: prefix.prefix, status: poolStatusOf(valueOf(prefix.status)), ...(prefix.description.trim() ? { pool_name: prefix.description.trim() } : {}) });
      await this.sync.links.linkPool(c.pool_id, prefix.id);
      return 'pool rewritten from the NetBox prefix';
    }
    const ip = c.netbox_id !== null ? await nb.find<NbIpAddress>(`ipam/ip-addresses/${c.netbox_id}/`) : null;
    if (c.kind === 'netbox_only') {
      if (resolution === 'theirs') {
        if (!ip) throw new ConflictError(`NetBox address ${c.subject} is gone; sync again.`, 'resolution');
        const r = await this.sync.takeAddress(c.pool_id, ip, log);
        if (!r) throw new ConflictError(`${c.subject} could not be reserved here: ${log.lines.at(-1) ?? 'see the run log'}`, 'resolution');
        return `reserved here as ${r.status} for ${r.subscriber_id}`;
      }
      if (!ip) return 'NetBox no longer holds it';
      if (this.sync.released === 'delete') {
        await nb.call('DELETE', `ipam/ip-addresses/${ip.id}/`);
        return 'deleted from NetBox';
      }
      await nb.call('PATCH', `ipam/ip-addresses/${ip.id}/`, { status: 'deprecated' });
      return 'deprecated in NetBox';
    }
    // status or holder of a reservation both sides hold
    if (resolution === 'ours') {
      await this.sync.pushReservation(c.reservation_id!, log);
      return 'NetBox address rewritten from the reservation';
    }
    if (!ip) throw new ConflictError(`NetBox address ${c.subject} is gone; sync again.`, 'resolution');
    const reservations = new ReservationsService(ctx);
    const r = await reservations.get(c.reservation_id!);
    const wanted = reservationStatusOf(valueOf(ip.status));
    if (c.kind === 'status') {
      if (wanted === null) await reservations.release(r.id, { reason: `NetBox #${ip.id} is deprecated` });
      else if (wanted === 'ASSIGNED' && r.status === 'RESERVED') await reservations.assign(r.id, { assignment_reason: `NetBox #${ip.id} is active` });
      else if (wanted !== r.status) throw new ConflictError(`Reservation ${r.id} is ${r.status}; it cannot go back to ${wanted}. Resolve with ours, or release it first.`, 'resolution');
      await this.sync.links.linkReservation(r.id, ip.id);
      return `reservation is ${wanted ?? 'RELEASED'} as in NetBox`;
    }
    // holder: the address moves to NetBox's subscriber, in one transaction
    const moved = await inTransaction(ctx.db, async (trx) => {
      const { reservation } = await new ReservationsService({ ...ctx, db: trx }).handOver(r.id, { subscriber_id: ip.description.trim().slice(0, 128) || `netbox-${ip.id}`, reason: `held by ${ip.description} in NetBox #${ip.id}`, netbox_ip_id: ip.id });
      // The NetBox address is the new holder's: the released reservation lets go of it, so its push touches nothing.
      await new NetBoxLinksService({ ...ctx, db: trx }).linkReservation(r.id, null);
      return reservation;
    });
    await this.sync.links.linkReservation(moved.id, ip.id);
    return `address handed to ${moved.subscriber_id} as in NetBox`;
  }
}
