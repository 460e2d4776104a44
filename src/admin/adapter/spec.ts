import type { PropertyType } from 'adminjs';
import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import type { Actor, Role } from '../../services/context.js';

/** How a filter value from the panel becomes SQL. */
export type FilterKind =
  /** case-insensitive substring */
  | 'contains'
  /** exact text */
  | 'equals'
  /** integer equality (ids, references); a non-number matches nothing */
  | 'number'
  /** 'true' / 'false' */
  | 'boolean';

/** Adds a WHERE for one filter value to a query over the spec's table (aliased `t`). */
export type CustomFilter = (db: Db, query: Knex.QueryBuilder, value: string) => void;

export interface ColumnSpec {
  path: string;
  type?: PropertyType;
  /** SQL column on `t`; null for a virtual property (computed by `decorate`, or write-only). */
  column?: string | null;
  isId?: boolean;
  /** ORDER BY columns when the panel sorts by this property; absent = not sortable (whitelist). */
  sort?: string[];
  /** The sort columns are unique (e.g. the address key), so no id tie-breaker is needed (keeps index order). */
  sortIsUnique?: boolean;
  filter?: FilterKind | CustomFilter;
  /** Resource id this column points at (shown by the referenced record's title). */
  reference?: string;
  availableValues?: readonly string[];
  /**
   * A filter on this column may match a large share of a big table: its count stops at
   * COUNT_CAP (as the REST list's does), so the panel pays for a page, not for the table.
   */
  capsCount?: boolean;
  /** Sent to the service on create/update. */
  editable?: boolean;
  required?: boolean;
}

/**
 * Turns a page of rows into record params (adds computed fields such as tags or utilization).
 * `light` is set when AdminJS only needs titles (populating references): skip costly aggregates.
 */
export type Decorate = (db: Db, rows: Record<string, unknown>[], options: { light: boolean }) => Promise<Record<string, unknown>[]>;

/** Writes go through a service, never to the table: validation, audit and rules are the API's. */
export interface Writer {
  create?(ctx: WriteContext, values: Record<string, unknown>): Promise<number>;
  update?(ctx: WriteContext, id: number, values: Record<string, unknown>): Promise<void>;
  delete?(ctx: WriteContext, id: number): Promise<void>;
}

export interface WriteContext {
  db: Db;
  actor: Actor;
}

/** One table exposed as an AdminJS resource. */
export interface TableSpec {
  id: string;
  table: string;
  columns: ColumnSpec[];
  /** Who may write through the adapter (checked again here, below AdminJS's isAccessible). */
  writeRoles: readonly Role[];
  /** Rows hidden unless a filter on one of these paths is given (e.g. archived assets). */
  defaultScope?: {
    unlessFiltered: string;
    apply: (query: Knex.QueryBuilder) => void;
    /**
     * The rows the scope hides. With no other filter, count = COUNT(*) − COUNT(hidden): SQLite
     * counts a whole table from its b-tree almost for free, and the hidden set (archived) is small.
     */
    hidden?: (query: Knex.QueryBuilder) => void;
  };
  decorate?: Decorate;
  writer?: Writer;
}
