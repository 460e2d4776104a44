import type { Knex } from 'knex';
import { z } from 'zod';
import { formatTimestamp } from '../../domain/time.js';
import type { ServiceContext } from '../context.js';
import { requireRow } from '../rows.js';
import { parseInput } from '../validate.js';

/**
 * What the inventory and the sources disagree on (issue 15's reconciliation report):
 * - unknown: seen by a source (an archived IP asset whose last_seen_at, stamped by Nmap,
 *   Prometheus or a connector, is within `days`) but not in the inventory;
 * - reclaimable: in the inventory, and no source has seen it for `days` (never-seen, manual
 *   entries are not listed: nothing claims they should be seen);
 * - mismatch: an IP asset of one project on a device of another.
 */
export const RECONCILIATION_KINDS = ['unknown', 'reclaimable', 'mismatch'] as const;
export type ReconciliationKind = (typeof RECONCILIATION_KINDS)[number];

const int = (min: number, max: number) => z.coerce.number({ message: 'must be an integer' }).int('must be an integer').min(min, `must be ${min}–${max}`).max(max, `must be ${min}–${max}`);

export const ReconciliationQuerySchema = z
  .object({
    kind: z.enum(RECONCILIATION_KINDS, { message: `must be one of ${RECONCILIATION_KINDS.join(', ')}` }),
    range: int(1, Number.MAX_SAFE_INTEGER).optional(),
    days: int(1, 3650).default(30),
    page: int(1, 1_000_000).default(1),
    limit: int(1, 500).default(50),
  })
  .strict();
export type ReconciliationQuery = z.input<typeof ReconciliationQuerySchema>;

export interface ReconciliationItem {
  ip_asset_id: number;
  ip_address: string;
  type: string;
  archived: boolean;
  last_seen_at: string | null;
  project_id: number | null;
  project_name: string | null;
  host_id: number | null;
  host_name: string | null;
  host_project_id: number | null;
  host_project_name: string | null;
}

interface Scope {
  version: number;
  lo: string;
  hi: string;
}

export class ReconciliationService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private cutoff(days: number): string {
    return formatTimestamp(new Date(this.now().getTime() - days * 86_400_000));
  }

  private async scope(rangeId: number | undefined): Promise<Scope | null> {
    if (rangeId === undefined) return null;
    const r = await requireRow<{ ip_version: number; first_key: string; last_key: string }>(this.ctx.db, 'ranges', rangeId, 'Range');
    return { version: Number(r.ip_version), lo: r.first_key, hi: r.last_key };
  }

  /**
   * The rows of one kind, as a query over ip_assets `a` (joined to its device `h` for a mismatch).
   * Each kind's filter leads with an indexed column (archived + last_seen_at; host_id), and a
   * range narrows ip_version/ip_key, so a page reads what it shows plus what its offset skips.
   */
  private base(kind: ReconciliationKind, days: number, scope: Scope | null): Knex.QueryBuilder {
    const db = this.ctx.db;
    const q = db('ip_assets as a');
    if (kind === 'unknown') q.where('a.archived', true).where('a.last_seen_at', '>=', this.cutoff(days));
    else if (kind === 'reclaimable') q.where('a.archived', false).whereNotNull('a.last_seen_at').where('a.last_seen_at', '<', this.cutoff(days));
    else q.join('hosts as h', 'h.id', 'a.host_id').where('a.archived', false).whereNotNull('a.project_id').whereNotNull('h.project_id').whereRaw('a.project_id <> h.project_id');
    if (scope) q.where('a.ip_version', scope.version).whereBetween('a.ip_key', [scope.lo, scope.hi]);
    return q;
  }

  /** One page of one kind, in address order, with the total of the kind in scope. */
  async page(input: ReconciliationQuery) {
    const q = parseInput(ReconciliationQuerySchema, input, 'query');
    const scope = await this.scope(q.range);
    const [{ n }] = (await this.base(q.kind, q.days, scope).count({ n: '*' })) as [{ n: number | string }];
    const rows = (await this.base(q.kind, q.days, scope)
      .leftJoin('projects as p', 'p.id', 'a.project_id')
      .leftJoin('hosts as dh', 'dh.id', 'a.host_id')
      .leftJoin('projects as hp', 'hp.id', 'dh.project_id')
      .select(
        'a.id as ip_asset_id',
        'a.ip_address',
        'a.type',
        'a.archived',
        'a.last_seen_at',
        'a.project_id',
        'p.name as project_name',
        'a.host_id',
        'dh.name as host_name',
        'dh.project_id as host_project_id',
        'hp.name as host_project_name',
      )
      .orderBy([{ column: 'a.ip_version' }, { column: 'a.ip_key' }])
      .limit(q.limit)
      .offset((q.page - 1) * q.limit)) as (Omit<ReconciliationItem, 'archived'> & { archived: unknown })[];
    return {
      kind: q.kind,
      range: q.range ?? null,
      days: q.days,
      page: q.page,
      limit: q.limit,
      total: Number(n),
      items: rows.map((r): ReconciliationItem => ({ ...r, ip_asset_id: Number(r.ip_asset_id), archived: r.archived === true || Number(r.archived) === 1 })),
    };
  }

  /** How many of each kind (in a range when given): the report's header and /metrics. */
  async counts(o: { days?: number; range?: number } = {}): Promise<Record<ReconciliationKind, number>> {
    const days = o.days ?? 30;
    const scope = await this.scope(o.range);
    const out = {} as Record<ReconciliationKind, number>;
    for (const kind of RECONCILIATION_KINDS) {
      const [{ n }] = (await this.base(kind, days, scope).count({ n: '*' })) as [{ n: number | string }];
      out[kind] = Number(n);
    }
    return out;
  }
}
