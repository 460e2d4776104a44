import { describeChanges, diffFields, type FieldValue } from '../../domain/changes.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { tryParseCidr, type ParsedCidr } from '../../domain/ip/cidr.js';
import { nestSpans, spanRelation, type KeySpan } from '../../domain/ip/nesting.js';
import { formatTimestamp } from '../../domain/time.js';
import { AuditService } from '../audit.js';
import { inTransaction, type ServiceContext } from '../context.js';
import { insertRow, updateRow } from '../rows.js';
import { RangeCreateSchema, RangeUpdateSchema, type RangeCreate, type RangeUpdate } from '../schemas/ranges.js';
import { parseInput } from '../validate.js';
import type { MaybeDelegating } from '../pools/slots.js';
import { selectRangesWithUsage, selectRangesWithUsed, utilizationsOfRows, type RangeKeys, type Utilization } from './utilization.js';

export type { BigCount, Utilization } from './utilization.js';

/** The wire shape of a range, as in the original plus its family. */
export interface Range {
  id: number;
  name: string;
  cidr: string;
  ip_version: number;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

/** Where a range sits among the others: CIDRs nest (a /25 inside a /24) or are disjoint. */
export interface Nesting {
  /** The smallest range containing this one, or null. */
  parent_id: number | null;
  /** 0 for a top-level range. */
  depth: number;
  /** Ranges directly inside this one, in address order. */
  children: number[];
}

export type RangeWithUtilization = Range & { utilization: Utilization } & Nesting;

/** A create or update answer: the range plus what the operator should know (nesting, overlaps). */
export type RangeSaved = RangeWithUtilization & { warnings: string[] };

interface RangeRow extends Range, RangeKeys {
  prefix: number;
  first_key: string;
  last_key: string;
}

type UsedRow = RangeRow & { used: number | string };

const PUBLIC_COLUMNS = ['id', 'name', 'cidr', 'ip_version', 'notes', 'created_at', 'updated_at'];

/** IP ranges (IPv4 and IPv6 CIDRs) and their utilization. */
export class RangesService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Every range with utilization and its place in the hierarchy, ordered by family and network
   * (a parent before its children), in one statement: used counts come from the key-space
   * module (block-row sums, not a count per address). A parent's used count is the live assets inside it, so an
   * address in a nested range counts once there, not once per level.
   */
  async list(): Promise<RangeWithUtilization[]> {
    const rows = (await selectRangesWithUsage(this.ctx.db).orderBy([{ column: 'r.ip_version' }, { column: 'r.first_key' }, { column: 'r.prefix' }])) as UsedRow[];
    const nesting = nestSpans(rows.map(spanOf));
    const utilization = await utilizationsOfRows(this.ctx.db, rows);
    return rows.map((r, i) => present(r, utilization[i]!, nesting.get(Number(r.id))!));
  }

  async get(id: number): Promise<RangeWithUtilization> {
    const row = (await selectRangesWithUsage(this.ctx.db).where('r.id', id).first()) as UsedRow | undefined;
    if (!row) throw new NotFoundError('Range', id);
    const nesting = nestSpans((await this.spans(Number(row.ip_version))).map(spanOf));
    return present(row, (await utilizationsOfRows(this.ctx.db, [row]))[0]!, nesting.get(Number(row.id))!);
  }

  /** Key spans of every range of a family (ranges are few: the hierarchy is placed in memory). */
  private async spans(version: number): Promise<SpanRow[]> {
    return (await this.ctx.db('ranges').select('id', 'name', 'cidr', 'ip_version', 'first_key', 'last_key').where('ip_version', version).orderBy([{ column: 'first_key' }, { column: 'prefix' }])) as SpanRow[];
  }

  /** What to tell the operator about a saved range: the ranges it sits in, contains or overlaps. */
  private async warningsFor(saved: RangeWithUtilization): Promise<string[]> {
    const all = await this.spans(saved.ip_version);
    const me = all.find((r) => Number(r.id) === saved.id)!;
    const label = (r: SpanRow): string => `${r.name} (${r.cidr})`;
    const parents: SpanRow[] = [];
    const children: SpanRow[] = [];
    const overlaps: SpanRow[] = [];
    for (const r of all) {
      if (Number(r.id) === saved.id) continue;
      const rel = spanRelation(spanOf(me), spanOf(r));
      if (rel === 'inside') parents.push(r);
      else if (rel === 'contains') children.push(r);
      else if (rel === 'overlaps' || rel === 'same') overlaps.push(r);
    }
    const warnings: string[] = [];
    if (parents.length > 0) {
      const parent = parents.find((p) => Number(p.id) === saved.parent_id) ?? parents[0]!;
      warnings.push(`${saved.cidr} lies inside ${label(parent)}: it is shown nested there, and its addresses count in both ranges.`);
    }
    if (children.length > 0) warnings.push(`${saved.cidr} contains ${children.length} other range(s): ${children.slice(0, 5).map(label).join(', ')}${children.length > 5 ? ', …' : ''}.`);
    if (overlaps.length > 0) warnings.push(`${saved.cidr} partly overlaps ${overlaps.slice(0, 5).map(label).join(', ')}.`);
    return warnings;
  }

  /** A name another range already has: 409, naming both. */
  private async checkName(name: string, exceptId: number | null): Promise<void> {
    const q = this.ctx.db('ranges').select('cidr').where({ name });
    if (exceptId !== null) q.whereNot('id', exceptId);
    const other = (await q.first()) as { cidr: string } | undefined;
    if (other) throw new ConflictError(`A range named "${name}" already exists (${other.cidr}); range names are unique.`, 'name');
  }

  /** Utilization of some ranges (a page of the panel list), counted in one go. */
  async utilizationByIds(ids: readonly number[]): Promise<Map<number, Utilization>> {
    if (ids.length === 0) return new Map();
    const rows = (await selectRangesWithUsage(this.ctx.db, ['r.id', 'r.ip_version', 'r.prefix', 'r.first_key', 'r.last_key', 'r.usable_first_key', 'r.usable_last_key']).whereIn('r.id', ids)) as (RangeKeys & MaybeDelegating & { used: number | string })[];
    const utilization = await utilizationsOfRows(this.ctx.db, rows);
    return new Map(rows.map((r, i) => [Number(r.id), utilization[i]!]));
  }

  /** The stored row with its key bounds and used count (one statement), for drill-down. */
  async getBounds(id: number): Promise<UsedRow> {
    const row = (await selectRangesWithUsed(this.ctx.db).where('r.id', id).first()) as UsedRow | undefined;
    if (!row) throw new NotFoundError('Range', id);
    return row;
  }

  async create(input: RangeCreate): Promise<RangeSaved> {
    const data = parseInput(RangeCreateSchema, input);
    const cidr = parseCidrField(data.cidr);
    return inTransaction(this.ctx.db, async (trx) => {
      const self = new RangesService({ ...this.ctx, db: trx });
      await self.checkName(data.name, null);
      const now = formatTimestamp();
      const id = await insertRow(trx, 'ranges', { name: data.name, notes: data.notes ?? null, ...cidrColumns(cidr), created_at: now, updated_at: now }, conflict(cidr.cidr));
      const after = await self.get(id);
      await self.audit('CREATE', after, describeChanges(diffFields({}, view(after))));
      return { ...after, warnings: await self.warningsFor(after) };
    });
  }

  async update(id: number, input: RangeUpdate): Promise<RangeSaved> {
    const patch = parseInput(RangeUpdateSchema, input);
    const cidr = patch.cidr !== undefined ? parseCidrField(patch.cidr) : undefined;
    return inTransaction(this.ctx.db, async (trx) => {
      const self = new RangesService({ ...this.ctx, db: trx });
      const before = await self.get(id);
      const set: Record<string, unknown> = {};
      if (patch.name !== undefined && patch.name !== before.name) {
        await self.checkName(patch.name, id);
        set.name = patch.name;
      }
      if (patch.notes !== undefined && patch.notes !== before.notes) set.notes = patch.notes;
      if (cidr && cidr.cidr !== before.cidr) Object.assign(set, cidrColumns(cidr));
      if (Object.keys(set).length === 0) return { ...before, warnings: await self.warningsFor(before) };
      await updateRow(trx, 'ranges', id, { ...set, updated_at: formatTimestamp() }, conflict(cidr?.cidr ?? before.cidr));
      const after = await self.get(id);
      await self.audit('UPDATE', after, describeChanges(diffFields(view(before), view(after))));
      return { ...after, warnings: await self.warningsFor(after) };
    });
  }

  async delete(id: number): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const self = new RangesService({ ...this.ctx, db: trx });
      const range = await self.get(id);
      // A pool's range goes with its pool (cascade), but never while it holds live reservations.
      const live = (await trx('ip_pool_counts').where({ pool_id: id }).whereIn('status', ['RESERVED', 'ASSIGNED']).sum({ n: 'n' }).first()) as { n: number | string | null } | undefined;
      if (Number(live?.n ?? 0) > 0) throw new ConflictError(`Range ${range.name} is a pool holding ${Number(live!.n)} live reservation(s): release them before deleting it.`);
      await trx('ranges').where({ id }).delete();
      await self.audit('DELETE', range, describeChanges(diffFields(view(range), {})));
    });
  }

  private async audit(action: 'CREATE' | 'UPDATE' | 'DELETE', range: Range, changes: string): Promise<void> {
    await new AuditService(this.ctx).record({ targetType: 'RANGE', targetId: range.id, targetLabel: range.name, action, changes });
  }
}

function parseCidrField(text: string): ParsedCidr {
  const cidr = tryParseCidr(text);
  if (!cidr) throw ValidationError.field('cidr', 'Invalid CIDR: use a network like 10.0.0.0/24 or 2001:db8::/64.');
  return cidr;
}

export function cidrColumns(c: ParsedCidr): Record<string, unknown> {
  return { cidr: c.cidr, ip_version: c.version, prefix: c.prefix, first_key: c.firstKey, last_key: c.lastKey, usable_first_key: c.usableFirstKey, usable_last_key: c.usableLastKey };
}

function conflict(cidr: string): ConflictError {
  return new ConflictError(`A range for ${cidr} already exists.`, 'cidr');
}

interface SpanRow {
  id: number;
  name: string;
  cidr: string;
  ip_version: number;
  first_key: string;
  last_key: string;
}

function spanOf(r: SpanRow): KeySpan {
  return { id: Number(r.id), version: Number(r.ip_version), firstKey: r.first_key, lastKey: r.last_key };
}

function present(row: RangeRow, utilization: Utilization, nesting: { parentId: number | null; depth: number; children: number[] }): RangeWithUtilization {
  const range: Range = Object.fromEntries(PUBLIC_COLUMNS.map((k) => [k, (row as unknown as Record<string, unknown>)[k]])) as unknown as Range;
  range.id = Number(range.id);
  range.ip_version = Number(range.ip_version);
  return { ...range, utilization, parent_id: nesting.parentId, depth: nesting.depth, children: nesting.children };
}

function view(r: Range): Record<string, FieldValue> {
  return { name: r.name, cidr: r.cidr, notes: r.notes };
}
