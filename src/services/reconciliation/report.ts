import type { Knex } from 'knex';
import { z } from 'zod';
import { COMPARED_FIELDS } from '../../domain/devices/disagreements.js';
import type { FactValue } from '../../domain/devices/fields.js';
import { formatTimestamp } from '../../domain/time.js';
import type { ServiceContext } from '../context.js';
import { requireRow } from '../rows.js';
import { parseInput } from '../validate.js';

/**
 * What the inventory and the sources disagree on (issue 15's reconciliation report):
 * - unknown: seen by a source (an archived IP asset whose last sighting by any source — Nmap,
 *   Prometheus, a connector, a push — is on or after the cutoff day) but not in the inventory;
 * - reclaimable: in the inventory, and no source has seen it since before the cutoff day
 *   (never-sighted, manual entries are not listed: nothing claims they should be seen);
 * - mismatch: an IP asset of one project on a device of another;
 * - disagree: two sources reporting one device give different values for a compared field
 *   (src/domain/devices/disagreements.ts), one row per device and field.
 * "Seen" is ip_assets.last_sighted_at, the latest row of ip_asset_sightings (migration 410), not
 * last_seen_at: that one is what the last run's record said, and a source that stamps an older
 * time (or none) must not hide another source's newer sighting.
 * The window is whole UTC days: the cutoff is the start of the day `days` days before now, so
 * the counts are sums of per-day counters (migration 310) and agree with the pages exactly.
 */
export const RECONCILIATION_KINDS = ['unknown', 'reclaimable', 'mismatch', 'disagree'] as const;
export type ReconciliationKind = (typeof RECONCILIATION_KINDS)[number];

const int = (min: number, max: number) => z.coerce.number({ message: 'must be an integer' }).int('must be an integer').min(min, `must be ${min}–${max}`).max(max, `must be ${min}–${max}`);

export const ReconciliationQuerySchema = z
  .object({
    kind: z.enum(RECONCILIATION_KINDS, { message: `must be one of ${RECONCILIATION_KINDS.join(', ')}` }),
    range: int(1, Number.MAX_SAFE_INTEGER).optional(),
    days: int(1, 3650).default(30),
    /** disagree only: one compared field. */
    field: z.enum(COMPARED_FIELDS, { message: `must be one of ${COMPARED_FIELDS.join(', ')}` }).optional(),
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
  /** When any source last saw it (what the seen-based kinds compare). */
  last_sighted_at: string | null;
  project_id: number | null;
  project_name: string | null;
  host_id: number | null;
  host_name: string | null;
  host_project_id: number | null;
  host_project_name: string | null;
}

/** A row of the disagree kind: one field of one device, with what each source says. */
export interface DisagreementItem {
  device_id: number;
  device_name: string;
  field: string;
  values: { source: string; value: FactValue }[];
  detected_at: string;
}

interface Scope {
  version: number;
  lo: string;
  hi: string;
}

/** Key blocks of reconciliation_seen: the first 28 hex digits of a key (65,536 addresses). */
const BLOCK = 28;

export class ReconciliationService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The first day inside the window (YYYY-MM-DD): stored timestamps compare against it as text. */
  private cutoff(days: number): string {
    return formatTimestamp(new Date(this.now().getTime() - days * 86_400_000)).slice(0, 10);
  }

  private async scope(rangeId: number | undefined): Promise<Scope | null> {
    if (rangeId === undefined) return null;
    const r = await requireRow<{ ip_version: number; first_key: string; last_key: string }>(this.ctx.db, 'ranges', rangeId, 'Range');
    return { version: Number(r.ip_version), lo: r.first_key, hi: r.last_key };
  }

  /** The filter of a seen-based kind on ip_assets `a`; its columns are those of ip_assets_archived_order_sighted. */
  private seen(q: Knex.QueryBuilder, kind: 'unknown' | 'reclaimable', cut: string): Knex.QueryBuilder {
    if (kind === 'unknown') return q.where('a.archived', true).where('a.last_sighted_at', '>=', cut);
    return q.where('a.archived', false).whereNotNull('a.last_sighted_at').where('a.last_sighted_at', '<', cut);
  }

  /** One page of one kind, in address order (device then field for disagree), with the total of the kind in scope. */
  async page(input: ReconciliationQuery) {
    const q = parseInput(ReconciliationQuerySchema, input, 'query');
    const scope = await this.scope(q.range);
    const head = { kind: q.kind, range: q.range ?? null, days: q.days, field: q.field ?? null, page: q.page, limit: q.limit };
    if (q.kind === 'disagree') {
      const rows = (await this.disagreeing(q.field)
        .join('hosts as h', 'h.id', 'd.device_id')
        .select('d.device_id', 'h.name as device_name', 'd.field', 'd.sources_values', 'd.detected_at')
        .orderBy([{ column: 'd.device_id' }, { column: 'd.field' }])
        .limit(q.limit)
        .offset((q.page - 1) * q.limit)) as { device_id: number; device_name: string; field: string; sources_values: string; detected_at: string }[];
      const items = rows.map((r): DisagreementItem => ({ device_id: Number(r.device_id), device_name: r.device_name, field: r.field, values: JSON.parse(r.sources_values) as DisagreementItem['values'], detected_at: r.detected_at }));
      return { ...head, total: await this.count('disagree', q.days, scope, q.field), items };
    }
    const db = this.ctx.db;
    // The page's ids first, from the kind's own index in address order (what an offset skips is
    // index entries only), then the joins for those ids alone.
    let ids: Knex.QueryBuilder;
    if (q.kind === 'mismatch') {
      ids = db('reconciliation_project_mismatches as m').select('m.ip_asset_id');
      if (scope) ids.where('m.ip_version', scope.version).whereBetween('m.ip_key', [scope.lo, scope.hi]);
      ids.orderBy([{ column: 'm.ip_version' }, { column: 'm.ip_key' }]);
    } else {
      ids = this.seen(db('ip_assets as a'), q.kind, this.cutoff(q.days)).select('a.id');
      if (scope) ids.where('a.ip_version', scope.version).whereBetween('a.ip_key', [scope.lo, scope.hi]);
      ids.orderBy([{ column: 'a.ip_version' }, { column: 'a.ip_key' }]);
    }
    ids.limit(q.limit).offset((q.page - 1) * q.limit);
    const rows = (await db('ip_assets as a')
      .whereIn('a.id', ids)
      .leftJoin('projects as p', 'p.id', 'a.project_id')
      .leftJoin('hosts as dh', 'dh.id', 'a.host_id')
      .leftJoin('projects as hp', 'hp.id', 'dh.project_id')
      .select(
        'a.id as ip_asset_id',
        'a.ip_address',
        'a.type',
        'a.archived',
        'a.last_seen_at',
        'a.last_sighted_at',
        'a.project_id',
        'p.name as project_name',
        'a.host_id',
        'dh.name as host_name',
        'dh.project_id as host_project_id',
        'hp.name as host_project_name',
      )
      .orderBy([{ column: 'a.ip_version' }, { column: 'a.ip_key' }])) as (Omit<ReconciliationItem, 'archived'> & { archived: unknown })[];
    return {
      ...head,
      total: await this.count(q.kind, q.days, scope, q.field),
      items: rows.map((r): ReconciliationItem => ({ ...r, ip_asset_id: Number(r.ip_asset_id), archived: r.archived === true || Number(r.archived) === 1 })),
    };
  }

  private disagreeing(field: string | undefined): Knex.QueryBuilder {
    const q = this.ctx.db('device_disagreements as d');
    if (field) q.where('d.field', field);
    return q;
  }

  /**
   * How many of one kind in scope. Unknown and reclaimable sum the per-block, per-day counters of
   * the blocks the range covers whole and count the index only in its partial edge blocks (at
   * most 2 × 65,536 entries, none for a range on block boundaries); mismatch and disagree count
   * their own small tables. A device-level kind (disagree) is not narrowed by range or days.
   */
  private async count(kind: ReconciliationKind, days: number, scope: Scope | null, field?: string): Promise<number> {
    const db = this.ctx.db;
    const total = async (q: Knex.QueryBuilder, agg: 'sum' | 'count'): Promise<number> => {
      const [row] = (await (agg === 'sum' ? q.sum({ n: 'n' }) : q.count({ n: '*' }))) as [{ n: number | string | null }];
      return Number(row.n ?? 0);
    };
    if (kind === 'disagree') return total(this.disagreeing(field), 'count');
    if (kind === 'mismatch') {
      const q = db('reconciliation_project_mismatches as m');
      if (scope) q.where('m.ip_version', scope.version).whereBetween('m.ip_key', [scope.lo, scope.hi]);
      return total(q, 'count');
    }
    const cut = this.cutoff(days);
    const counters = db('reconciliation_seen');
    if (kind === 'unknown') counters.where('archived', true).where('day', '>=', cut);
    else counters.where('archived', false).whereNot('day', '').where('day', '<', cut);
    if (!scope) return total(counters, 'sum');
    const loBlock = scope.lo.slice(0, BLOCK);
    const hiBlock = scope.hi.slice(0, BLOCK);
    const startsClean = scope.lo.endsWith('0000');
    const endsClean = scope.hi.endsWith('ffff');
    const loWhole = startsClean && (loBlock < hiBlock || endsClean);
    const hiWhole = endsClean && (loBlock < hiBlock || startsClean);
    counters.where((w) => void w.where('block', '>', loBlock).orWhere((x) => void (loWhole ? x.where('block', loBlock) : x.whereRaw('1 = 0'))));
    counters.where((w) => void w.where('block', '<', hiBlock).orWhere((x) => void (hiWhole ? x.where('block', hiBlock) : x.whereRaw('1 = 0'))));
    let n = await total(counters, 'sum');
    const edge = (from: string, to: string) => total(this.seen(db('ip_assets as a'), kind, cut).where('a.ip_version', scope.version).whereBetween('a.ip_key', [from, to]), 'count');
    if (!loWhole) n += await edge(scope.lo, loBlock === hiBlock ? scope.hi : `${loBlock}ffff`);
    if (!hiWhole && hiBlock !== loBlock) n += await edge(`${hiBlock}0000`, scope.hi);
    return n;
  }

  /** How many of each kind (in a range when given): the report's header and /metrics. */
  async counts(o: { days?: number; range?: number } = {}): Promise<Record<ReconciliationKind, number>> {
    const days = o.days ?? 30;
    const scope = await this.scope(o.range);
    const out = {} as Record<ReconciliationKind, number>;
    for (const kind of RECONCILIATION_KINDS) out[kind] = await this.count(kind, days, scope);
    return out;
  }
}
