import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { keyToBigInt, tryParseAddress } from '../../domain/ip/address.js';
import type { Db } from '../../db/connection.js';
import { desiredDelegation, desiredIp, desiredPrefix, differingFields, hostOf, NetBoxError, poolStatusOf, poolTypeOf, reservationStatusOf, valueOf, type NbIpAddress, type NbPrefix, type NetBoxApi, type ReleasedAction } from '../../domain/netbox.js';
import type { Actor, ServiceContext } from '../context.js';
import { assetHolding } from '../pools/holders.js';
import { PoolsService } from '../pools/pools.js';
import { ReservationsService } from '../pools/reservations.js';
import type { Pool, Reservation } from '../pools/wire.js';
import { NetBoxConflictsService, type ConflictFinding } from './conflicts.js';
import { compareDelegations, type DelegationSyncDeps, type SyncLog } from './delegations.js';
import { claimHourlySync, underNetBoxLease } from './lease.js';
import { NetBoxLinksService } from './links.js';
import { NetBoxOutbox } from './outbox.js';
import { emptyCounts, NetBoxRunsService, type SyncCounts, type SyncRun, type SyncRunKind } from './runs.js';

export interface NetBoxSyncDeps {
  db: Db;
  actor: Actor;
  /** The NetBox API (the plugin's client over the saved connection). */
  api: NetBoxApi;
  released: ReleasedAction;
  /** How long to wait for another instance's NetBox sync to finish before a 409 (default 30 s; the job passes 0 and tries its next slot). */
  leaseWaitMs?: number;
}

/** What one run is collecting: counts and log lines (saved with the run). */
export class RunLog {
  readonly counts: SyncCounts = emptyCounts();
  readonly lines: string[] = [];
  add(line: string): void {
    this.lines.push(`${new Date().toISOString()} ${line}`);
  }
}

/**
 * One NetBox conversation at a time per database: in this process a chain per database (no
 * polling), across instances the lease row. Without it the push job, a bulk sync and a request's
 * sync or import could each find "no prefix yet" and create it twice.
 */
const chains = new WeakMap<object, Promise<unknown>>();
function exclusive<T>(db: Db, waitMs: number, fn: () => Promise<T>): Promise<T> {
  const key = db.client.config as object;
  const locked = () => underNetBoxLease(db, waitMs, fn);
  const run = (chains.get(key) ?? Promise.resolve()).then(locked, locked);
  chains.set(key, run.catch(() => undefined));
  return run;
}

/** Pushing: ours is the truth (the change was made here). Syncing: a difference is a conflict, not an overwrite. */
type PrefixMode = 'push' | 'detect';

/**
 * The NetBox sync: pushes (the outbox, drained by the job runner), pulls (importing a prefix),
 * bulk syncs with conflict detection, and conflict resolution. Every write here goes through the
 * services (pools, reservations, links, conflicts, runs); NetBox is written only where it differs
 * from what it should hold, so a repeated sync with nothing changed writes nothing on either side.
 */
export class NetBoxSync {
  readonly ctx: ServiceContext;
  /** The NetBox API (the resolver writes through it too). */
  readonly client: NetBoxApi;
  readonly links: NetBoxLinksService;

  constructor(private readonly deps: NetBoxSyncDeps) {
    this.ctx = { db: deps.db, actor: deps.actor };
    this.client = deps.api;
    this.links = new NetBoxLinksService(this.ctx);
  }

  private get ctxDeps(): Omit<DelegationSyncDeps, 'push'> {
    return { ctx: this.ctx, client: this.client, links: this.links, released: this.deps.released };
  }

  close(): void {
    this.client.close();
  }

  /** Runs `fn` as the only NetBox conversation on this database (this process and every other instance). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return exclusive(this.deps.db, this.deps.leaseWaitMs ?? 30_000, fn);
  }

  get released(): ReleasedAction {
    return this.deps.released;
  }

  /** Runs `fn` as one recorded run (history row with counts and log); a throw is recorded, then rethrown. */
  async recorded<T>(kind: SyncRunKind, fn: (log: RunLog) => Promise<T>): Promise<{ run: SyncRun; result: T }> {
    const runs = new NetBoxRunsService(this.ctx);
    const id = await runs.start(kind);
    const log = new RunLog();
    try {
      const result = await fn(log);
      return { run: await runs.finish(id, log.counts, log.lines, null), result };
    } catch (err) {
      log.add(`failed: ${(err as Error).message}`);
      await runs.finish(id, log.counts, log.lines, (err as Error).message);
      throw err;
    }
  }

  // ---- push --------------------------------------------------------------------------------

  /**
   * Sends the queued pushes due at `nowMs`. A transient failure (503, 429, timeout) keeps the row
   * with a later try and stops this drain (NetBox is down: the rest waits too); a refusal (400,
   * 403) keeps the row with its error. Records a run only when something was due.
   */
  drain(nowMs: number = Date.now(), limit = 200): Promise<SyncRun | null> {
    return this.exclusive(() => this.drainIn(nowMs, limit));
  }

  private async drainIn(nowMs: number, limit: number): Promise<SyncRun | null> {
    const outbox = new NetBoxOutbox(this.ctx.db);
    const due = await outbox.due(nowMs, limit);
    if (due.length === 0) return null;
    const { run } = await this.recorded('push', async (log) => {
      for (const row of due) {
        try {
          if (row.entity === 'pool') await this.pushPool(row.entity_id, log, 'push', row.netbox_id);
          else await this.pushReservation(row.entity_id, log);
          await outbox.sent(row);
        } catch (err) {
          if (!(err instanceof NetBoxError)) throw err;
          log.counts.failed++;
          log.add(`${row.entity} ${row.entity_id}: ${err.message} (try ${row.attempts + 1}; kept in the queue)`);
          await outbox.failed(row, err.message, nowMs, err.retryAfterMs);
          if (err.transient) break;
        }
      }
    });
    return run;
  }

  /** The pool's prefix: found by its NetBox id, else by network, else created; written only where it differs (push mode). */
  async pushPool(poolId: number, log: RunLog, mode: PrefixMode = 'push', deletedPrefixId: number | null = null): Promise<{ pool: Pool; prefix: NbPrefix; finding: ConflictFinding | null } | null> {
    let pool: Pool;
    try {
      pool = await new PoolsService(this.ctx).get(poolId);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      // Deleted here: its prefix goes too.
      if (deletedPrefixId !== null && (await this.client.find(`ipam/prefixes/${deletedPrefixId}/`))) {
        await this.client.call('DELETE', `ipam/prefixes/${deletedPrefixId}/`);
        log.counts.deleted++;
        log.add(`prefix ${deletedPrefixId}: deleted (pool ${poolId} was deleted)`);
      }
      return null;
    }
    const want = desiredPrefix(pool);
    let prefix = pool.netbox_prefix_id !== null ? await this.client.find<NbPrefix>(`ipam/prefixes/${pool.netbox_prefix_id}/`) : null;
    if (!prefix) prefix = (await this.client.list<NbPrefix>('ipam/prefixes/', { prefix: pool.network_cidr }))[0] ?? null;
    if (!prefix) {
      prefix = await this.client.call<NbPrefix>('POST', 'ipam/prefixes/', want);
      log.counts.created++;
      log.add(`pool ${pool.pool_name}: prefix ${want.prefix} created in NetBox (#${prefix.id})`);
      await this.links.linkPool(pool.id, prefix.id);
      return { pool, prefix, finding: null };
    }
    const diff = differingFields(want, prefix as unknown as Record<string, unknown>);
    delete diff.is_pool;
    let finding: ConflictFinding | null = null;
    if (Object.keys(diff).length === 0) log.counts.unchanged++;
    else if (mode === 'push') {
      prefix = await this.client.call<NbPrefix>('PATCH', `ipam/prefixes/${prefix.id}/`, diff);
      log.counts.updated++;
      log.add(`pool ${pool.pool_name}: prefix #${prefix.id} updated (${Object.keys(diff).join(', ')})`);
    } else {
      finding = {
        pool_id: pool.id,
        kind: 'prefix',
        subject: pool.network_cidr,
        netbox_id: prefix.id,
        reservation_id: null,
        ours: { prefix: want.prefix, status: want.status, description: want.description },
        theirs: { prefix: prefix.prefix, status: valueOf(prefix.status), description: prefix.description },
      };
    }
    if (pool.netbox_prefix_id !== prefix.id || pool.netbox_synced_at === null) await this.links.linkPool(pool.id, prefix.id);
    return { pool, prefix, finding };
  }

  /**
   * The reservation's object in NetBox (an IP address; a delegated IPv6 prefix is a prefix, linked
   * by the same `netbox_ip_id`): created, updated where it differs, or (released, delete mode) deleted.
   */
  async pushReservation(id: number, log: SyncLog, known?: NbIpAddress | NbPrefix | null): Promise<void> {
    let r: Reservation;
    try {
      r = await new ReservationsService(this.ctx).get(id);
    } catch (err) {
      if (err instanceof NotFoundError) return; // deleted with its pool
      throw err;
    }
    const delegated = r.ip_type === 'ipv6_prefix';
    const path = delegated ? 'ipam/prefixes/' : 'ipam/ip-addresses/';
    const want = delegated ? desiredDelegation(r, this.deps.released) : desiredIp(r, (await new PoolsService(this.ctx).getRow(r.pool_id)).cidr, this.deps.released);
    const what = delegated ? `delegated prefix ${r.ip_address}` : r.ip_address;
    let obj: NbIpAddress | NbPrefix | null = known !== undefined ? known : r.netbox_ip_id !== null ? await this.client.find<NbIpAddress | NbPrefix>(`${path}${r.netbox_ip_id}/`) : null;
    // Only a live reservation claims whatever NetBox holds at its address; a released one touches only the object it is linked to.
    const live = r.status === 'RESERVED' || r.status === 'ASSIGNED';
    if (!obj && live) obj = (await this.client.list<NbIpAddress | NbPrefix>(path, delegated ? { prefix: r.ip_address } : { address: r.ip_address }))[0] ?? null;
    if (!obj && !live) {
      if (r.netbox_ip_id !== null || !r.netbox_synced) await this.links.linkReservation(r.id, null);
      return;
    }
    if (!want) {
      if (obj) {
        await this.client.call('DELETE', `${path}${obj.id}/`);
        log.counts.deleted++;
        log.add(`${what}: ${r.status.toLowerCase()}, deleted from NetBox (#${obj.id})`);
      }
      if (r.netbox_ip_id !== null || !r.netbox_synced) await this.links.linkReservation(r.id, null);
      return;
    }
    if (!obj) {
      obj = await this.client.call<NbIpAddress | NbPrefix>('POST', path, want);
      log.counts.created++;
      log.add(`${what}: created in NetBox as ${want.status} (#${obj.id})`);
    } else {
      const diff = differingFields(want, obj as unknown as Record<string, unknown>);
      if (Object.keys(diff).length === 0) log.counts.unchanged++;
      else {
        obj = await this.client.call<NbIpAddress | NbPrefix>('PATCH', `${path}${obj.id}/`, diff);
        log.counts.updated++;
        log.add(`${what}: updated in NetBox (${Object.entries(diff).map(([k, v]) => `${k} → ${String(v)}`).join(', ')})`);
      }
    }
    if (r.netbox_ip_id !== obj.id || !r.netbox_synced) await this.links.linkReservation(r.id, obj.id);
  }

  // ---- bulk sync ---------------------------------------------------------------------------

  /**
   * The scheduled run, under one lease: the pushes due at `nowMs`, then the bulk sync when hour
   * `hourSlotMs` has not had one yet (claimed in the database: once per hour across instances, and
   * once, not once per missed hour, after the app was down).
   */
  scheduled(nowMs: number, hourSlotMs: number): Promise<{ pushed: SyncRun | null; synced: SyncRun | null }> {
    return this.exclusive(async () => {
      const pushed = await this.drainIn(nowMs, 200);
      const synced = (await claimHourlySync(this.ctx.db, hourSlotMs)) ? await this.syncAllIn() : null;
      return { pushed, synced };
    });
  }

  /** Every pool (the queue first, so pushes waiting are not mistaken for conflicts). */
  syncAll(): Promise<SyncRun> {
    return this.exclusive(() => this.syncAllIn());
  }

  private async syncAllIn(): Promise<SyncRun> {
    await this.drainIn(Date.now(), 10_000);
    const { run } = await this.recorded('sync', async (log) => {
      for (const id of await this.links.poolIds()) await this.syncPoolIn(id, log);
    });
    return run;
  }

  syncPool(poolId: number): Promise<SyncRun> {
    return this.exclusive(() => this.syncOne(poolId));
  }

  private async syncOne(poolId: number): Promise<SyncRun> {
    await new PoolsService(this.ctx).getRow(poolId);
    await this.drainIn(Date.now(), 10_000);
    const { run } = await this.recorded('sync', (log) => this.syncPoolIn(poolId, log));
    return run;
  }

  /**
   * One pool against its prefix: our live (and NetBox-linked) reservations are pushed where NetBox
   * lacks them; an address NetBox holds that we consider free, or holds with another status or for
   * another subscriber, and a prefix that differs, become conflicts, left for a person to resolve.
   * A prefix-delegation pool's delegated prefixes are compared with NetBox's prefixes the same way.
   */
  private async syncPoolIn(poolId: number, log: RunLog): Promise<void> {
    const pushed = await this.pushPool(poolId, log, 'detect');
    if (!pushed) throw new NotFoundError('Pool', poolId);
    const { pool, finding } = pushed;
    const ours = this.links.reservationsToSync(pool.id);
    const findings: ConflictFinding[] = finding ? [finding] : [];
    if (pool.pool_type !== 'IPV6_PREFIX_DELEGATION') findings.push(...(await this.compareAddresses(pool, ours, log)));
    else findings.push(...(await compareDelegations({ ...this.ctxDeps, push: (id, l, known) => this.pushReservation(id, l, known) }, pool, ours, log)));
    const open = await new NetBoxConflictsService(this.ctx).record(pool.id, findings);
    log.counts.conflicts += open;
    if (findings.length > 0) log.add(`pool ${pool.pool_name}: ${findings.length} conflict(s) with NetBox (${findings.map((f) => `${f.kind} ${f.subject}`).join(', ')})`);
  }

  /** An address pool's reservations against NetBox's IP addresses inside it. */
  private async compareAddresses(pool: Pool, ours: AsyncIterable<Reservation>, log: RunLog): Promise<ConflictFinding[]> {
    const findings: ConflictFinding[] = [];
    const theirs = await this.client.list<NbIpAddress>('ipam/ip-addresses/', { parent: pool.network_cidr });
    const byHost = new Map(theirs.map((a) => [hostOf(a.address).toLowerCase(), a]));
    const byId = new Map(theirs.map((a) => [a.id, a]));
    const handled = new Set<number>();
    const released = this.deps.released;
    for await (const r of ours) {
      const live = r.status === 'RESERVED' || r.status === 'ASSIGNED';
      const ip = (r.netbox_ip_id !== null ? byId.get(r.netbox_ip_id) : undefined) ?? (live ? byHost.get(r.ip_address.toLowerCase()) : undefined);
      if (ip) handled.add(ip.id);
      const want = desiredIp(r, pool.network_cidr, released);
      if (!ip) {
        if (live) await this.pushReservation(r.id, log, null);
        else if (r.netbox_ip_id !== null) await this.links.linkReservation(r.id, null);
        continue;
      }
      if (!live && !want) {
        // Released here, deleted there by configuration, but NetBox still has it.
        findings.push(this.finding(pool, 'status', r, ip, { status: `${r.status.toLowerCase()} (deleted in NetBox)` }));
        continue;
      }
      const diff = differingFields(want!, ip as unknown as Record<string, unknown>);
      if (diff.status !== undefined) findings.push(this.finding(pool, 'status', r, ip, { status: want!.status }));
      else if (diff.description !== undefined) findings.push(this.finding(pool, 'holder', r, ip, { subscriber_id: r.subscriber_id }));
      else {
        log.counts.unchanged++;
        if (r.netbox_ip_id !== ip.id || !r.netbox_synced) await this.links.linkReservation(r.id, ip.id);
      }
    }
    for (const ip of theirs) {
      if (handled.has(ip.id) || valueOf(ip.status) === 'deprecated') continue;
      const a = tryParseAddress(hostOf(ip.address));
      if (!a) continue;
      // Held here by an IP asset: not free, so NetBox is right to list it.
      if (await assetHolding(this.ctx.db, a.version, keyToBigInt(a.key))) continue;
      findings.push({ pool_id: pool.id, kind: 'netbox_only', subject: a.address, netbox_id: ip.id, reservation_id: null, ours: null, theirs: { status: valueOf(ip.status), description: ip.description } });
    }
    return findings;
  }

  private finding(pool: Pool, kind: 'status' | 'holder', r: Reservation, ip: NbIpAddress, ours: Record<string, unknown>): ConflictFinding {
    return {
      pool_id: pool.id,
      kind,
      subject: r.ip_address,
      netbox_id: ip.id,
      reservation_id: r.id,
      ours: { ...ours, reservation_status: r.status, subscriber_id: r.subscriber_id },
      theirs: { status: valueOf(ip.status), description: ip.description },
    };
  }

  // ---- pull --------------------------------------------------------------------------------

  /**
   * A NetBox prefix becomes a pool (named by its description, or the prefix), and its IP addresses
   * become reservations (active → assigned, reserved → reserved; deprecated ones are skipped) for the
   * subscriber its description names (`netbox-<id>` when empty), linked to their NetBox ids. An
   * address the pool cannot take (held by an IP asset here, the network address…) is logged and counted as failed.
   */
  importPrefix(prefixId: number): Promise<{ run: SyncRun; pool: Pool }> {
    return this.exclusive(() => this.importIn(prefixId));
  }

  private async importIn(prefixId: number): Promise<{ run: SyncRun; pool: Pool }> {
    const prefix = await this.client.find<NbPrefix>(`ipam/prefixes/${prefixId}/`);
    if (!prefix) throw new NotFoundError('NetBox prefix', prefixId);
    const already = await this.links.poolOfPrefix(prefixId);
    if (already !== null) throw new ConflictError(`NetBox prefix ${prefixId} (${prefix.prefix}) is pool ${already} already: sync that pool instead.`, 'prefix_id', { pool_id: already });
    const { run, result } = await this.recorded('import', async (log) => {
      const pool = await new PoolsService(this.ctx).create({
        pool_name: prefix.description.trim() || prefix.prefix,
        pool_type: poolTypeOf(prefix.prefix),
        network_cidr: prefix.prefix,
        status: poolStatusOf(valueOf(prefix.status)),
        description: `Imported from NetBox prefix #${prefix.id}`,
        netbox_prefix_id: prefix.id,
        netbox_synced_at: new Date().toISOString(),
      });
      log.counts.imported++;
      log.add(`prefix #${prefix.id} ${prefix.prefix} imported as pool ${pool.pool_name} (#${pool.id})`);
      for (const ip of await this.client.list<NbIpAddress>('ipam/ip-addresses/', { parent: prefix.prefix })) await this.takeAddress(pool.id, ip, log);
      return pool;
    });
    return { run, pool: result };
  }

  /** One NetBox address as a reservation of the pool (what importing and "theirs" do). */
  async takeAddress(poolId: number, ip: NbIpAddress, log: RunLog): Promise<Reservation | null> {
    const status = reservationStatusOf(valueOf(ip.status));
    if (status === null) return null;
    try {
      const r = await new ReservationsService(this.ctx).reserve({
        pool_id: poolId,
        ip_address: hostOf(ip.address),
        subscriber_id: ip.description.trim().slice(0, 128) || `netbox-${ip.id}`,
        assign: status === 'ASSIGNED',
        assignment_reason: `NetBox IP address #${ip.id}`,
        netbox_ip_id: ip.id,
      });
      await this.links.linkReservation(r.id, ip.id);
      log.counts.imported++;
      return r;
    } catch (err) {
      if (!(err instanceof ConflictError || err instanceof ValidationError)) throw err;
      log.counts.failed++;
      log.add(`${ip.address} (#${ip.id}) not imported: ${err.message}`);
      return null;
    }
  }
}
