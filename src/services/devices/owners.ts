import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { describeChanges, diffFields } from '../../domain/changes.js';
import { ConflictError, NotFoundError, UnresolvedReferenceError } from '../../domain/errors.js';
import { formatTimestamp } from '../../domain/time.js';
import { containsPattern, containsSql } from '../../db/helpers/text.js';
import { AuditService } from '../audit.js';
import { inTransaction, type ServiceContext } from '../context.js';
import { countOf, insertRow, updateRow } from '../rows.js';
import { parseInput } from '../validate.js';
import { writeChanges } from './history.js';
import type { Owner } from './wire.js';

const optionalText = (max: number) => z.string().trim().max(max).transform((s) => (s === '' ? null : s)).nullable().optional();

export const OwnerCreateSchema = z
  .object({
    full_name: z.string().trim().min(1, 'is required').max(255),
    email: z.string().trim().toLowerCase().max(255).pipe(z.email('must be an email address')),
    designation: optionalText(100),
    department: optionalText(100),
    user_id: z.number().int().positive().nullable().optional(),
  })
  .strict();
export type OwnerCreate = z.input<typeof OwnerCreateSchema>;
export const OwnerUpdateSchema = OwnerCreateSchema.partial().strict();
export type OwnerUpdate = z.input<typeof OwnerUpdateSchema>;

export const OwnerListQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional(),
    department: z.string().trim().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type OwnerListQuery = z.input<typeof OwnerListQuerySchema>;

const FIELDS = ['full_name', 'email', 'designation', 'department', 'user_id'] as const;

function toOwner(r: Record<string, unknown>): Owner {
  return {
    id: Number(r.id),
    full_name: String(r.full_name),
    email: String(r.email),
    designation: (r.designation as string | null) ?? null,
    department: (r.department as string | null) ?? null,
    user_id: r.user_id == null ? null : Number(r.user_id),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

const conflict = (email: string) => new ConflictError(`An owner with email "${email}" already exists.`, 'email');

async function checkUser(db: Db, userId: number | null | undefined): Promise<void> {
  if (userId != null && !(await db('users').where({ id: userId }).first('id'))) throw new UnresolvedReferenceError('user_id', 'User not found.', `User ${userId} does not exist.`);
}

/** Owners (business and technical) of devices: people, optionally linked to a user of the app. */
export class OwnersService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(query: OwnerListQuery = {}): Promise<{ items: (Owner & { device_count: number })[]; total: number }> {
    const f = parseInput(OwnerListQuerySchema, query, 'query');
    const { db } = this.ctx;
    const filtered = () => {
      const q = db('owners as o');
      if (f.department) q.where('o.department', f.department);
      if (f.q) {
        const p = containsPattern(f.q);
        q.where((b) => b.whereRaw(containsSql(db, 'o.full_name'), [p]).orWhereRaw(containsSql(db, 'o.email'), [p]).orWhereRaw(containsSql(db, 'o.department'), [p]));
      }
      return q;
    };
    const rows = (await filtered().select('o.*').orderBy('o.full_name').orderBy('o.id').limit(f.limit).offset(f.offset)) as Record<string, unknown>[];
    const counts = await this.deviceCounts(rows.map((r) => Number(r.id)));
    return { items: rows.map((r) => ({ ...toOwner(r), device_count: counts.get(Number(r.id)) ?? 0 })), total: await countOf(filtered()) };
  }

  /** Live devices each owner answers for (as business or technical owner). */
  async deviceCounts(ids: readonly number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (ids.length === 0) return out;
    for (const column of ['business_owner_id', 'technical_owner_id']) {
      const rows = (await this.ctx.db('hosts').select(`${column} as owner`).count({ n: '*' }).whereIn(column, ids).whereNull('archived_at').groupBy(column)) as { owner: number; n: number | string }[];
      for (const r of rows) out.set(Number(r.owner), (out.get(Number(r.owner)) ?? 0) + Number(r.n));
    }
    return out;
  }

  async get(id: number): Promise<Owner> {
    const row = (await this.ctx.db('owners').where({ id }).first()) as Record<string, unknown> | undefined;
    if (!row) throw new NotFoundError('Owner', id);
    return toOwner(row);
  }

  async create(input: OwnerCreate): Promise<Owner> {
    const d = parseInput(OwnerCreateSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      await checkUser(trx, d.user_id);
      const now = formatTimestamp();
      const id = await insertRow(trx, 'owners', { full_name: d.full_name, email: d.email, designation: d.designation ?? null, department: d.department ?? null, user_id: d.user_id ?? null, created_at: now, updated_at: now }, conflict(d.email));
      const owner = await new OwnersService({ ...this.ctx, db: trx }).get(id);
      await this.audit(trx, 'CREATE', owner, describeChanges(diffFields({}, view(owner))));
      return owner;
    });
  }

  async update(id: number, input: OwnerUpdate): Promise<Owner> {
    const p = parseInput(OwnerUpdateSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const self = new OwnersService({ ...this.ctx, db: trx });
      const before = await self.get(id);
      await checkUser(trx, p.user_id);
      const set: Record<string, unknown> = {};
      for (const k of FIELDS) if (p[k] !== undefined && p[k] !== before[k]) set[k] = p[k];
      if (Object.keys(set).length === 0) return before;
      await updateRow(trx, 'owners', id, { ...set, updated_at: formatTimestamp() }, conflict(String(p.email)));
      const after = await self.get(id);
      await this.audit(trx, 'UPDATE', after, describeChanges(diffFields(view(before), view(after))));
      return after;
    });
  }

  /** Deletes an owner; its devices lose the link, each with a history row saying so. */
  async delete(id: number): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const owner = await new OwnersService({ ...this.ctx, db: trx }).get(id);
      const now = formatTimestamp();
      for (const column of ['business_owner_id', 'technical_owner_id'] as const) {
        const devices = (await trx('hosts').select('id').where(column, id).orderBy('id')) as { id: number }[];
        await writeChanges(trx, devices.map((d) => ({ device_id: Number(d.id), run_id: null, source: null, field: column, old_value: String(id), new_value: null, changed_at: now, changed_by: this.ctx.actor.username })));
        await trx('hosts').where(column, id).update({ [column]: null, updated_at: now });
      }
      await trx('owners').where({ id }).delete();
      await this.audit(trx, 'DELETE', owner, describeChanges(diffFields(view(owner), {})));
    });
  }

  private audit(db: Db, action: 'CREATE' | 'UPDATE' | 'DELETE', owner: Owner, changes: string): Promise<void> {
    return new AuditService({ ...this.ctx, db }).record({ targetType: 'OWNER', targetId: owner.id, targetLabel: owner.email, action, changes });
  }
}

function view(o: Owner): Record<string, string | number | null> {
  return { full_name: o.full_name, email: o.email, designation: o.designation, department: o.department, user_id: o.user_id };
}
