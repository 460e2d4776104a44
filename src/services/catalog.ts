import type { z } from 'zod';
import { describeChanges, diffFields, type FieldValue } from '../domain/changes.js';
import { ConflictError } from '../domain/errors.js';
import { formatTimestamp } from '../domain/time.js';
import { AuditService } from './audit.js';
import { inTransaction, type ServiceContext } from './context.js';
import { insertRow, requireRow, updateRow } from './rows.js';
import { parseInput } from './validate.js';

export interface CatalogSpec<Row> {
  table: string;
  entity: string;
  targetType: string;
  fields: readonly (keyof Row & string)[];
  createSchema: z.ZodType<Partial<Row>>;
  updateSchema: z.ZodType<Partial<Row>>;
  defaults: Partial<Row>;
}

/** Shared CRUD for the named catalogs (projects, vendors, tags): unique names, audit, usage counts. */
export abstract class CatalogService<Row extends { id: number; name: string }> {
  protected abstract readonly spec: CatalogSpec<Row>;
  constructor(protected readonly ctx: ServiceContext) {}

  /** Why a delete must be refused (e.g. still linked), or null. */
  protected abstract deleteBlocker(row: Row): Promise<string | null>;
  /** Active IP assets using each row, by id. */
  abstract usageCounts(ids?: number[]): Promise<Map<number, number>>;

  protected select(): string[] {
    return ['id', ...this.spec.fields];
  }

  private conflict(name: string): ConflictError {
    return new ConflictError(`${this.spec.entity} "${name}" already exists.`, 'name');
  }

  async list(): Promise<Row[]> {
    return (await this.ctx.db(this.spec.table).select(this.select()).orderBy('name')) as Row[];
  }

  async get(id: number): Promise<Row> {
    const row = await requireRow<Row>(this.ctx.db, this.spec.table, id, this.spec.entity);
    return this.pick(row);
  }

  async findByName(name: string): Promise<Row | null> {
    const row = await this.ctx.db(this.spec.table).select(this.select()).where({ name }).first();
    return (row as Row | undefined) ?? null;
  }

  async create(input: unknown): Promise<Row> {
    const data = { ...this.spec.defaults, ...parseInput(this.spec.createSchema, input) } as Partial<Row>;
    return inTransaction(this.ctx.db, async (trx) => {
      const now = formatTimestamp();
      const id = await insertRow(trx, this.spec.table, { ...data, created_at: now, updated_at: now }, this.conflict(String(data.name)));
      const after = this.values(data);
      await new AuditService({ ...this.ctx, db: trx }).record({
        targetType: this.spec.targetType,
        targetId: id,
        targetLabel: String(data.name),
        action: 'CREATE',
        changes: describeChanges(diffFields({}, after)),
      });
      return this.pick({ id, ...data } as Row);
    });
  }

  async update(id: number, input: unknown): Promise<Row> {
    const patch = parseInput(this.spec.updateSchema, input) as Partial<Row>;
    return inTransaction(this.ctx.db, async (trx) => {
      const before = this.pick(await requireRow<Row>(trx, this.spec.table, id, this.spec.entity));
      const changes = diffFields(this.values(before), this.values({ ...before, ...patch }, Object.keys(patch)));
      if (changes.length === 0) return before;
      const set = Object.fromEntries(changes.map((c) => [c.field, c.after ?? null]));
      await updateRow(trx, this.spec.table, id, { ...set, updated_at: formatTimestamp() }, this.conflict(String(patch.name)));
      await new AuditService({ ...this.ctx, db: trx }).record({
        targetType: this.spec.targetType,
        targetId: id,
        targetLabel: String(patch.name ?? before.name),
        action: 'UPDATE',
        changes: describeChanges(changes),
      });
      return { ...before, ...set } as Row;
    });
  }

  async delete(id: number): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const scoped = this.withDb(trx);
      const row = await requireRow<Row>(trx, this.spec.table, id, this.spec.entity);
      const blocker = await scoped.deleteBlocker(row);
      if (blocker) throw new ConflictError(blocker);
      await trx(this.spec.table).where({ id }).delete();
      await new AuditService({ ...this.ctx, db: trx }).record({
        targetType: this.spec.targetType,
        targetId: id,
        targetLabel: row.name,
        action: 'DELETE',
        changes: describeChanges(diffFields(this.values(this.pick(row)), {})),
      });
    });
  }

  /** The same service bound to another db handle (a transaction). */
  protected abstract withDb(db: ServiceContext['db']): CatalogService<Row>;

  private pick(row: Row): Row {
    return Object.fromEntries(this.select().map((k) => [k, (row as Record<string, unknown>)[k] ?? null])) as Row;
  }

  private values(row: Partial<Row>, only?: string[]): Record<string, FieldValue> {
    const keys = only ?? [...this.spec.fields];
    return Object.fromEntries(keys.map((k) => [k, (row as Record<string, FieldValue>)[k] ?? null]));
  }
}
