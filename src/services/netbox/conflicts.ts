import { z } from 'zod';
import { NotFoundError } from '../../domain/errors.js';
import { formatTimestamp } from '../../domain/time.js';
import { AuditService } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { parseInput } from '../validate.js';

/**
 * - `netbox_only`: NetBox holds an address this pool considers free;
 * - `status`: both hold it, with statuses that do not map onto each other;
 * - `holder`: both hold it, for different subscribers (NetBox's description);
 * - `prefix`: the pool's NetBox prefix differs from the pool (network, status or name);
 * - `delegated_only`, `delegated_status`, `delegated_holder`: the same three for a delegated IPv6
 *   prefix (a NetBox prefix, not an IP address), and `delegated_prefix`: the NetBox prefix a
 *   delegation is linked to was moved or resized there (see compareDelegations).
 */
/** The kinds of a delegated IPv6 prefix's conflicts (resolved by resolveDelegated). */
export const DELEGATED_KINDS = ['delegated_only', 'delegated_status', 'delegated_holder', 'delegated_prefix'] as const;
export type DelegatedKind = (typeof DELEGATED_KINDS)[number];
export const CONFLICT_KINDS = ['netbox_only', 'status', 'holder', 'prefix', ...DELEGATED_KINDS] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];
export type ConflictStatus = 'open' | 'resolved' | 'ignored' | 'gone';
export type Resolution = 'ours' | 'theirs' | 'ignore';

/** What a sync found: the pool, what differs and each side's view of it. */
export interface ConflictFinding {
  pool_id: number;
  kind: ConflictKind;
  /** The address, or the prefix for `prefix`. */
  subject: string;
  netbox_id: number | null;
  reservation_id: number | null;
  ours: Record<string, unknown> | null;
  theirs: Record<string, unknown> | null;
}

export interface NetBoxConflict extends ConflictFinding {
  id: number;
  status: ConflictStatus;
  resolution: Resolution | null;
  detected_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

export const ConflictListSchema = z.object({
  status: z.enum(['open', 'resolved', 'ignored', 'gone', 'all']).default('open'),
  pool_id: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ResolveSchema = z.object({ resolution: z.enum(['ours', 'theirs', 'ignore']) });
export const ResolveAllSchema = ResolveSchema.extend({ pool_id: z.number().int().positive().optional() });

interface Row { id: number; pool_id: number; kind: ConflictKind; subject: string; netbox_id: number | null; reservation_id: number | null; ours: string | null; theirs: string | null; fingerprint: string | null; status: ConflictStatus; resolution: Resolution | null; detected_at: string; resolved_at: string | null; resolved_by: string | null }

const fingerprintOf = (f: ConflictFinding): string => JSON.stringify([f.ours, f.theirs]);

/** Conflicts found by syncs, kept per (pool, kind, subject) so a repeated sync rewrites nothing. */
export class NetBoxConflictsService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Records what a sync of one pool found, and closes (`gone`) the pool's open conflicts it did not
   * find again. Writes only what changed: the same findings a second time write nothing. An ignored
   * conflict stays ignored while both sides look the same. Returns the open ones' count.
   */
  async record(poolId: number, findings: ConflictFinding[]): Promise<number> {
    const existing = (await this.ctx.db('netbox_conflicts').where({ pool_id: poolId })) as Row[];
    const byKey = new Map(existing.map((r) => [`${r.kind}|${r.subject}`, r]));
    const seen = new Set<string>();
    const now = formatTimestamp();
    let open = 0;
    for (const f of findings) {
      const key = `${f.kind}|${f.subject}`;
      seen.add(key);
      const fp = fingerprintOf(f);
      const row = byKey.get(key);
      const values = { netbox_id: f.netbox_id, reservation_id: f.reservation_id, ours: JSON.stringify(f.ours), theirs: JSON.stringify(f.theirs), fingerprint: fp };
      if (!row) {
        await this.ctx.db('netbox_conflicts').insert({ pool_id: poolId, kind: f.kind, subject: f.subject, ...values, status: 'open', detected_at: now });
        open++;
      } else if (row.fingerprint === fp && (row.status === 'open' || row.status === 'ignored')) {
        if (row.status === 'open') open++;
      } else {
        await this.ctx.db('netbox_conflicts').where({ id: row.id }).update({ ...values, status: 'open', resolution: null, resolved_at: null, resolved_by: null, detected_at: now });
        open++;
      }
    }
    const gone = existing.filter((r) => r.status === 'open' && !seen.has(`${r.kind}|${r.subject}`)).map((r) => r.id);
    if (gone.length > 0) await this.ctx.db('netbox_conflicts').whereIn('id', gone).update({ status: 'gone', resolved_at: now });
    return open;
  }

  async list(query: unknown = {}): Promise<{ items: NetBoxConflict[]; total: number }> {
    const f = parseInput(ConflictListSchema, query, 'query');
    const q = this.ctx.db('netbox_conflicts');
    if (f.status !== 'all') q.where('status', f.status);
    if (f.pool_id !== undefined) q.where('pool_id', f.pool_id);
    const [c] = (await q.clone().count({ n: '*' })) as { n: number | string }[];
    const rows = (await q.orderBy('id').limit(f.limit).offset(f.offset)) as Row[];
    return { items: rows.map(present), total: Number(c?.n ?? 0) };
  }

  async openCount(): Promise<number> {
    const [c] = (await this.ctx.db('netbox_conflicts').where({ status: 'open' }).count({ n: '*' })) as { n: number | string }[];
    return Number(c?.n ?? 0);
  }

  async get(id: number): Promise<NetBoxConflict> {
    const row = (await this.ctx.db('netbox_conflicts').where({ id }).first()) as Row | undefined;
    if (!row) throw new NotFoundError('NetBox conflict', id);
    return present(row);
  }

  /** Marks a conflict settled (after the sync applied the resolution), with an audit entry. */
  async settle(c: NetBoxConflict, resolution: Resolution, detail: string): Promise<NetBoxConflict> {
    const status = resolution === 'ignore' ? 'ignored' : 'resolved';
    await this.ctx.db('netbox_conflicts').where({ id: c.id }).update({ status, resolution, resolved_at: formatTimestamp(), resolved_by: this.ctx.actor.username ?? null });
    await new AuditService(this.ctx).record({ targetType: 'NETBOX_CONFLICT', targetId: c.id, targetLabel: `${c.kind} ${c.subject}`, action: 'UPDATE', changes: `resolved: ${resolution}; ${detail}` });
    return this.get(c.id);
  }
}

function present(r: Row): NetBoxConflict {
  return {
    id: Number(r.id),
    pool_id: Number(r.pool_id),
    kind: r.kind,
    subject: r.subject,
    netbox_id: r.netbox_id === null ? null : Number(r.netbox_id),
    reservation_id: r.reservation_id === null ? null : Number(r.reservation_id),
    ours: r.ours ? (JSON.parse(r.ours) as Record<string, unknown> | null) : null,
    theirs: r.theirs ? (JSON.parse(r.theirs) as Record<string, unknown> | null) : null,
    status: r.status,
    resolution: r.resolution,
    detected_at: r.detected_at,
    resolved_at: r.resolved_at,
    resolved_by: r.resolved_by,
  };
}
