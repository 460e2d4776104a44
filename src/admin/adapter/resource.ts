import { BaseDatabase, BaseProperty, BaseRecord, BaseResource, ForbiddenError, type ActionContext, type Filter, type ParamsType } from 'adminjs';
import type { Knex } from 'knex';
import { isPostgres } from '../../db/helpers/dialect.js';
import { writeTransaction } from '../../db/transaction.js';
import { containsOperator, containsPattern } from '../../db/helpers/text.js';
import { toBool, type Actor, type Role } from '../../services/context.js';
import { COUNT_CAP } from '../../services/assets/list.js';
import { countOf } from '../../services/rows.js';
import { toAdminError } from './errors.js';
import type { ColumnSpec, TableSpec } from './spec.js';

/** The cap on one page, whatever the query string asks (AdminJS's `search` has none). */
export const MAX_PAGE = 500;

/** What is registered as a resource: a table description bound to a database. */
export class KnexTable {
  constructor(
    readonly db: Knex,
    readonly spec: TableSpec,
  ) {}
}

/** A column as AdminJS sees it; editability, references and enums come from the spec. */
export class KnexProperty extends BaseProperty {
  constructor(
    readonly column: ColumnSpec,
    position: number,
  ) {
    super({ path: column.path, type: column.type ?? (column.reference ? 'reference' : 'string'), isId: !!column.isId, isSortable: !!column.sort, position });
  }
  override isEditable(): boolean {
    return !!this.column.editable;
  }
  override isRequired(): boolean {
    return !!this.column.required;
  }
  override reference(): string | null {
    return this.column.reference ?? null;
  }
  override availableValues(): string[] | null {
    return this.column.availableValues ? [...this.column.availableValues] : null;
  }
  // BaseProperty hides every path containing "password"; visibility is decided per resource instead.
  override isVisible(): boolean {
    return true;
  }
}

/** Tables are registered one by one; the "database" only exists to satisfy AdminJS. */
export class KnexDatabase extends BaseDatabase {
  static override isAdapterFor(): boolean {
    return false;
  }
  override resources(): BaseResource[] {
    return [];
  }
}

type SortOption = { sortBy?: string; direction?: 'asc' | 'desc' };

/**
 * AdminJS resource over one of our tables, on SQLite and PostgreSQL. Reads are SQL with
 * whitelisted sorts and a capped page; writes go to the spec's service-backed writer.
 */
export class KnexResource extends BaseResource {
  private readonly db: Knex;
  private readonly spec: TableSpec;
  private readonly props: KnexProperty[];
  private readonly byPath: Map<string, KnexProperty>;

  static override isAdapterFor(raw: unknown): boolean {
    return raw instanceof KnexTable;
  }

  constructor(raw: KnexTable) {
    super(raw);
    this.db = raw.db;
    this.spec = raw.spec;
    this.props = raw.spec.columns.map((c, i) => new KnexProperty(c, i));
    this.byPath = new Map(this.props.map((p) => [p.path(), p]));
  }

  override databaseName(): string {
    return 'ipocket';
  }
  override databaseType(): string {
    return isPostgres(this.db) ? 'PostgreSQL' : 'SQLite';
  }
  override id(): string {
    return this.spec.id;
  }
  override properties(): KnexProperty[] {
    return this.props;
  }
  override property(path: string): KnexProperty | null {
    return this.byPath.get(path) ?? null;
  }

  override async count(filter: Filter): Promise<number> {
    const scope = this.spec.defaultScope;
    if (scope?.hidden && this.activeFilters(filter).length === 0) {
      const table = this.db(`${this.spec.table} as t`);
      const hidden = this.db(`${this.spec.table} as t`);
      scope.hidden(hidden);
      const [all, excluded] = await Promise.all([countOf(table), countOf(hidden)]);
      return all - excluded;
    }
    const query = this.filtered(filter);
    if (!this.activeFilters(filter).some(({ column }) => column.capsCount)) return countOf(query);
    return Math.min(await countOf(this.db.from(query.select('t.id').limit(COUNT_CAP + 1).as('capped'))), COUNT_CAP);
  }

  override async find(filter: Filter, options: { limit?: number; offset?: number; sort?: SortOption } = {}): Promise<BaseRecord[]> {
    const limit = Math.min(Math.max(Number(options.limit) || 10, 1), MAX_PAGE);
    const offset = Math.max(Number(options.offset) || 0, 0);
    const query = this.filtered(filter).select(this.selectList()).limit(limit).offset(offset);
    this.applySort(query, options.sort);
    return this.toRecords((await query) as Record<string, unknown>[]);
  }

  override async findOne(id: string | number): Promise<BaseRecord | null> {
    const key = parseId(id);
    if (key === null) return null;
    const row = (await this.db(`${this.spec.table} as t`).select(this.selectList()).where('t.id', key).first()) as Record<string, unknown> | undefined;
    return row ? (await this.toRecords([row]))[0]! : null;
  }

  override async findMany(ids: (string | number)[]): Promise<BaseRecord[]> {
    const keys = [...new Set(ids.map(parseId).filter((k): k is number => k !== null))].slice(0, MAX_PAGE);
    if (keys.length === 0) return [];
    const rows = (await this.db(`${this.spec.table} as t`).select(this.selectList()).whereIn('t.id', keys)) as Record<string, unknown>[];
    // findMany serves AdminJS's reference populator (titles, colours): no aggregates per row.
    return this.toRecords(rows, true);
  }

  override async create(params: Record<string, unknown>, context?: ActionContext): Promise<ParamsType> {
    const ctx = this.writeContext(context);
    const writer = this.spec.writer?.create;
    if (!writer) throw new ForbiddenError('This list is read-only.');
    try {
      const id = await writer(ctx, this.values(params));
      return (await this.findOne(id))?.params ?? { id };
    } catch (err) {
      throw toAdminError(err, this.byPath);
    }
  }

  override async update(id: string, params: Record<string, unknown>, context?: ActionContext): Promise<ParamsType> {
    const ctx = this.writeContext(context);
    const writer = this.spec.writer?.update;
    const key = parseId(id);
    if (!writer || key === null) throw new ForbiddenError('This record cannot be changed here.');
    try {
      await writer(ctx, key, this.values(params));
      return (await this.findOne(key))?.params ?? {};
    } catch (err) {
      throw toAdminError(err, this.byPath);
    }
  }

  override async delete(id: string, context?: ActionContext): Promise<void> {
    const ctx = this.writeContext(context);
    const writer = this.spec.writer?.delete;
    const key = parseId(id);
    if (!writer || key === null) throw new ForbiddenError('This record cannot be deleted here.');
    try {
      await writer(ctx, key);
    } catch (err) {
      throw toAdminError(err, this.byPath);
    }
  }

  /**
   * Deletes several records all-or-nothing (the panel's bulk delete): one transaction, so a record
   * the service refuses (the last superuser, oneself) leaves every other record in place.
   */
  async deleteAll(ids: string[], context?: ActionContext): Promise<void> {
    const { actor } = this.writeContext(context);
    const writer = this.spec.writer?.delete;
    const keys = ids.map(parseId);
    if (!writer || keys.some((k) => k === null)) throw new ForbiddenError('These records cannot be deleted here.');
    try {
      await writeTransaction(this.db, async (trx) => {
        for (const key of keys) await writer({ db: trx, actor }, key!);
      });
    } catch (err) {
      throw toAdminError(err, this.byPath);
    }
  }

  /** The acting user, whose role must be one of the spec's writers (a second gate below isAccessible). */
  private writeContext(context?: ActionContext): { db: Knex; actor: Actor } {
    const admin = context?.currentAdmin as { id?: unknown; username?: string; role?: Role } | undefined;
    if (!admin?.role || !this.spec.writeRoles.includes(admin.role)) throw new ForbiddenError('Your role cannot change this.');
    return { db: this.db, actor: { userId: Number(admin.id), username: admin.username ?? null, role: admin.role } };
  }

  /** Form params → service input: editable fields only, '' → null, numbers and booleans typed. */
  private values(params: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const { column } of this.props) {
      if (!column.editable || !(column.path in params)) continue;
      const raw = params[column.path];
      if (raw === undefined) continue;
      if (raw === null || raw === '') out[column.path] = null;
      else if (column.type === 'boolean') out[column.path] = raw === true || raw === 'true' || raw === '1';
      else if (column.type === 'number' || column.reference) out[column.path] = /^\d+$/.test(String(raw)) ? Number(raw) : raw;
      else out[column.path] = raw;
    }
    return out;
  }

  private selectList(): string[] {
    return this.spec.columns.filter((c) => c.column !== null).map((c) => `t.${c.column ?? c.path} as ${c.path}`);
  }

  private async toRecords(rows: Record<string, unknown>[], light = false): Promise<BaseRecord[]> {
    const normalized = rows.map((row) => {
      const out: Record<string, unknown> = { ...row };
      for (const c of this.spec.columns) {
        const v = out[c.path];
        if (v === undefined || v === null) continue;
        if (c.type === 'boolean') out[c.path] = toBool(v);
        else if (c.type === 'number' || c.reference || c.isId) out[c.path] = Number(v);
      }
      return out;
    });
    const params = this.spec.decorate ? await this.spec.decorate(this.db, normalized, { light }) : normalized;
    return params.map((p) => new BaseRecord(p, this));
  }

  /** The filters that apply: known paths with a non-empty text value. */
  private activeFilters(filter: Filter | undefined): { column: ColumnSpec; value: string }[] {
    const out: { column: ColumnSpec; value: string }[] = [];
    for (const element of Object.values(filter?.filters ?? {})) {
      const prop = this.byPath.get(element.path);
      if (!prop || typeof element.value !== 'string' || element.value.trim() === '') continue;
      out.push({ column: prop.column, value: element.value.trim() });
    }
    return out;
  }

  /** The table with every known filter applied; unknown paths and non-text values are ignored. */
  private filtered(filter: Filter | undefined): Knex.QueryBuilder {
    const query = this.db(`${this.spec.table} as t`);
    const given = new Set<string>();
    for (const { column, value } of this.activeFilters(filter)) {
      given.add(column.path);
      this.applyFilter(query, column, value);
    }
    const scope = this.spec.defaultScope;
    if (scope && !given.has(scope.unlessFiltered)) scope.apply(query);
    return query;
  }

  private applyFilter(query: Knex.QueryBuilder, column: ColumnSpec, value: string): void {
    const kind = column.filter ?? (column.reference || column.type === 'number' ? 'number' : column.type === 'boolean' ? 'boolean' : 'contains');
    if (typeof kind === 'function') return kind(this.db, query, value);
    const col = `t.${column.column ?? column.path}`;
    if (column.column === null) return;
    if (kind === 'number') {
      if (/^\d{1,15}$/.test(value)) query.where(col, Number(value));
      else query.whereRaw('1 = 0');
    } else if (kind === 'boolean') {
      query.where(col, value === 'true' || value === '1');
    } else if (kind === 'equals') {
      query.where(col, value);
    } else {
      query.whereRaw(`${col} ${containsOperator(this.db)} ? ESCAPE '\\'`, [containsPattern(value)]);
    }
  }

  /** Whitelisted ORDER BY: the property's own sort columns, then id as the tie-breaker. */
  private applySort(query: Knex.QueryBuilder, sort: SortOption | undefined): void {
    const direction = sort?.direction === 'desc' ? 'desc' : 'asc';
    const column = sort?.sortBy ? this.byPath.get(sort.sortBy)?.column : undefined;
    const columns = column?.sort ?? ['id'];
    for (const c of columns) query.orderBy(`t.${c}`, direction);
    if (!columns.includes('id') && !column?.sortIsUnique) query.orderBy('t.id', direction);
  }
}

function parseId(id: string | number): number | null {
  const text = String(id);
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}
