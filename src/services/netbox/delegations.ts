import { tryParseCidr } from '../../domain/ip/cidr.js';
import { desiredDelegation, differingFields, valueOf, type NbPrefix, type NetBoxApi, type ReleasedAction } from '../../domain/netbox.js';
import type { ServiceContext } from '../context.js';
import type { Pool, Reservation } from '../pools/wire.js';
import type { ConflictFinding, DelegatedKind } from './conflicts.js';
import type { NetBoxLinksService } from './links.js';
import type { SyncCounts } from './runs.js';

/** Where a sync writes its counts and log lines (the sync's RunLog). */
export interface SyncLog {
  readonly counts: SyncCounts;
  add(line: string): void;
}

/** What comparing a prefix-delegation pool needs from the sync that runs it. */
export interface DelegationSyncDeps {
  ctx: ServiceContext;
  client: NetBoxApi;
  links: NetBoxLinksService;
  released: ReleasedAction;
  /** The sync's push of one reservation (`known`: its NetBox object, already fetched; null: none). */
  push(id: number, log: SyncLog, known?: NbPrefix | null): Promise<void>;
}

/** A prefix as the sync compares it: canonical (host bits cleared, IPv6 compressed), or the text when it does not parse. */
export const canonicalPrefix = (text: string): string => tryParseCidr(text)?.cidr ?? text.toLowerCase();

const live = (r: Reservation): boolean => r.status === 'RESERVED' || r.status === 'ASSIGNED';

/**
 * A prefix-delegation pool against NetBox: its delegated prefixes are NetBox prefixes (see
 * desiredDelegation), compared the way an address pool's reservations are compared with IP
 * addresses. Ours that NetBox lacks are pushed; a linked NetBox prefix that was moved or resized
 * (`delegated_prefix`), holds another status (`delegated_status`) or another subscriber
 * (`delegated_holder`), and a prefix of the pool's delegation length that NetBox holds where this
 * pool has a free slot (`delegated_only`), are findings for a person. NetBox's containers, pools,
 * deprecated prefixes and prefixes of other lengths (a customer's /64s inside its /56) are NetBox's
 * own business. Reads one list (`within` the pool) plus one GET per linked prefix that left it;
 * `ours` are the pool's reservations to sync, read here a page at a time (links.reservationsToSync).
 */
export async function compareDelegations(deps: DelegationSyncDeps, pool: Pool, ours: AsyncIterable<Reservation>, log: SyncLog): Promise<ConflictFinding[]> {
  const findings: ConflictFinding[] = [];
  const theirs = await deps.client.list<NbPrefix>('ipam/prefixes/', { within: pool.network_cidr });
  const byPrefix = new Map(theirs.map((p) => [canonicalPrefix(p.prefix), p]));
  const byId = new Map(theirs.map((p) => [p.id, p]));
  const handled = new Set<number>();
  for await (const r of ours) {
    let obj: NbPrefix | null = (r.netbox_ip_id !== null ? byId.get(r.netbox_ip_id) : undefined) ?? null;
    // Linked, but no longer inside the pool: moved in NetBox (or deleted there).
    if (!obj && r.netbox_ip_id !== null) obj = await deps.client.find<NbPrefix>(`ipam/prefixes/${r.netbox_ip_id}/`);
    if (!obj && live(r)) obj = byPrefix.get(r.ip_address) ?? null;
    if (obj) handled.add(obj.id);
    if (!obj) {
      if (live(r)) await deps.push(r.id, log, null);
      else if (r.netbox_ip_id !== null) await deps.links.linkReservation(r.id, null);
      continue;
    }
    const want = desiredDelegation(r, deps.released);
    if (!want) {
      // Released here, deleted there by configuration, but NetBox still has it.
      findings.push(finding(pool, 'delegated_status', r, obj, { status: `${r.status.toLowerCase()} (deleted in NetBox)` }));
      continue;
    }
    const diff = differingFields(want, obj as unknown as Record<string, unknown>);
    if (diff.prefix !== undefined) findings.push(finding(pool, 'delegated_prefix', r, obj, { prefix: want.prefix, status: want.status }));
    else if (diff.status !== undefined) findings.push(finding(pool, 'delegated_status', r, obj, { status: want.status }));
    else if (diff.description !== undefined) findings.push(finding(pool, 'delegated_holder', r, obj, {}));
    else {
      log.counts.unchanged++;
      if (r.netbox_ip_id !== obj.id || !r.netbox_synced) await deps.links.linkReservation(r.id, obj.id);
    }
  }
  const length = Number(pool.delegation_prefix_length);
  for (const p of theirs) {
    if (handled.has(p.id) || p.is_pool === true) continue;
    const status = valueOf(p.status);
    if (status === 'deprecated' || status === 'container') continue;
    const c = tryParseCidr(p.prefix);
    if (!c || c.prefix !== length) continue;
    findings.push({ pool_id: pool.id, kind: 'delegated_only', subject: c.cidr, netbox_id: p.id, reservation_id: null, ours: null, theirs: { prefix: c.cidr, status, description: p.description } });
  }
  return findings;
}

function finding(pool: Pool, kind: Exclude<DelegatedKind, 'delegated_only'>, r: Reservation, p: NbPrefix, ours: Record<string, unknown>): ConflictFinding {
  return {
    pool_id: pool.id,
    kind,
    subject: r.ip_address,
    netbox_id: p.id,
    reservation_id: r.id,
    ours: { ...ours, reservation_status: r.status, subscriber_id: r.subscriber_id },
    theirs: { prefix: canonicalPrefix(p.prefix), status: valueOf(p.status), description: p.description },
  };
}
