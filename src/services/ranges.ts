import type { Knex } from 'knex';
import { describeChanges, diffFields, type FieldValue } from '../domain/changes.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { tryParseCidr, type ParsedCidr } from '../domain/ip/cidr.js';
import { formatTimestamp } from '../domain/time.js';
import { AuditService } from './audit.js';
import { inTransaction, type ServiceContext } from './context.js';
import { insertRow, updateRow } from './rows.js';
import { RangeCreateSchema, RangeUpdateSchema, type RangeCreate, type RangeUpdate } from './schemas/ranges.js';
import { parseInput } from './validate.js';

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

/** Counts are numbers while exact in JSON (always for IPv4), decimal strings beyond 2^53 (large IPv6). */
export type BigCount = number | string;

export interface Utilization {
  total: BigCount;
  usable: BigCount;
  used: number;
  free: BigCount;
  /** used / usable × 100, two decimals. */
  percent: number;
}

export type RangeWithUtilization = Range & { utilization: Utilization };

interface RangeRow extends Range {
  prefix: number;
  first_key: string;
  last_key: string;
  usable_first_key: string;
  usable_last_key: string;
}

const PUBLIC_COLUMNS = ['id', 'name', 'cidr', 'ip_version', 'notes', 'created_at', 'updated_at'];

/**
 * Used addresses of a range: active assets whose key lies in the range's usable bounds.
 * One index range scan on (archived, ip_version, ip_key); never enumerates addresses.
 */
export function usedCountSql(db: ServiceContext['db'], rangeAlias: string): Knex.Raw {
  return db.raw(
    `(SELECT COUNT(*) FROM ip_assets a WHERE a.archived = ? AND a.ip_version = ${rangeAlias}.ip_version AND a.ip_key >= ${rangeAlias}.usable_first_key AND a.ip_key <= ${rangeAlias}.usable_last_key)`,
    [false],
  );
}

/** IP ranges (IPv4 and IPv6 CIDRs) and their utilization. */
export class RangesService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Every range with utilization, ordered by family and network; one SQL statement. */
  async list(): Promise<RangeWithUtilization[]> {
    const { db } = this.ctx;
    const rows = (await db('ranges as r').select('r.*', db.raw('? as used', [usedCountSql(db, 'r')])).orderBy([{ column: 'r.ip_version' }, { column: 'r.first_key' }, { column: 'r.prefix' }])) as (RangeRow & { used: number })[];
    return rows.map((r) => withUtilization(r, Number(r.used)));
  }

  async get(id: number): Promise<RangeWithUtilization> {
    const { db } = this.ctx;
    const row = (await db('ranges as r').select('r.*', db.raw('? as used', [usedCountSql(db, 'r')])).where('r.id', id).first()) as (RangeRow & { used: number }) | undefined;
    if (!row) throw new NotFoundError('Range', id);
    return withUtilization(row, Number(row.used));
  }

  /** The stored row with its key bounds, for drill-down. */
  async getBounds(id: number): Promise<RangeRow> {
    const row = (await this.ctx.db('ranges').where({ id }).first()) as RangeRow | undefined;
    if (!row) throw new NotFoundError('Range', id);
    return row;
  }

  async create(input: RangeCreate): Promise<RangeWithUtilization> {
    const data = parseInput(RangeCreateSchema, input);
    const cidr = parseCidrField(data.cidr);
    return inTransaction(this.ctx.db, async (trx) => {
      const now = formatTimestamp();
      const id = await insertRow(trx, 'ranges', { name: data.name, notes: data.notes ?? null, ...cidrColumns(cidr), created_at: now, updated_at: now }, conflict(cidr.cidr));
      const self = new RangesService({ ...this.ctx, db: trx });
      const after = await self.get(id);
      await self.audit('CREATE', after, describeChanges(diffFields({}, view(after))));
      return after;
    });
  }

  async update(id: number, input: RangeUpdate): Promise<RangeWithUtilization> {
    const patch = parseInput(RangeUpdateSchema, input);
    const cidr = patch.cidr !== undefined ? parseCidrField(patch.cidr) : undefined;
    return inTransaction(this.ctx.db, async (trx) => {
      const self = new RangesService({ ...this.ctx, db: trx });
      const before = await self.get(id);
      const set: Record<string, unknown> = {};
      if (patch.name !== undefined && patch.name !== before.name) set.name = patch.name;
      if (patch.notes !== undefined && patch.notes !== before.notes) set.notes = patch.notes;
      if (cidr && cidr.cidr !== before.cidr) Object.assign(set, cidrColumns(cidr));
      if (Object.keys(set).length === 0) return before;
      await updateRow(trx, 'ranges', id, { ...set, updated_at: formatTimestamp() }, conflict(cidr?.cidr ?? before.cidr));
      const after = await self.get(id);
      await self.audit('UPDATE', after, describeChanges(diffFields(view(before), view(after))));
      return after;
    });
  }

  async delete(id: number): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const self = new RangesService({ ...this.ctx, db: trx });
      const range = await self.get(id);
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

/** Exact JSON for a count: a number while safe, else a decimal string. */
export function bigCount(n: bigint): BigCount {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}

function withUtilization(row: RangeRow, used: number): RangeWithUtilization {
  const parsed = tryParseCidr(row.cidr)!;
  const free = parsed.usable - BigInt(used);
  const percent = parsed.usable === 0n ? 0 : Number((BigInt(used) * 1_000_000n) / parsed.usable) / 10_000;
  const range: Range = Object.fromEntries(PUBLIC_COLUMNS.map((k) => [k, (row as unknown as Record<string, unknown>)[k]])) as unknown as Range;
  range.id = Number(range.id);
  range.ip_version = Number(range.ip_version);
  return {
    ...range,
    utilization: { total: bigCount(parsed.size), usable: bigCount(parsed.usable), used, free: bigCount(free), percent: Math.round(percent * 100) / 100 },
  };
}

function view(r: Range): Record<string, FieldValue> {
  return { name: r.name, cidr: r.cidr, notes: r.notes };
}
