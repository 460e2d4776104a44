import type { Knex } from 'knex';
import type { Db } from '../../../db/connection.js';
import type { Batch } from '../../batch.js';
import type { CounterDeltas } from '../store/counters.js';
import type { SeenAs } from '../store/types.js';
import type { PlanContext } from './plan.js';
import type { PrepareContext } from './prepare.js';
import type { RecordSeq } from './records.js';

/**
 * One way to find the stored row of an incoming record: the record's value(s) for the key and
 * the stored row's. An entity lists its keys in order (devices: source id, then serial, then any
 * MAC, then name); the core tries them in that order and the first that finds a row wins. A key
 * with several values (a device's MACs) matches when any one of them does. Values are compared
 * as given: normalise them (case, separators) in `prepare` and in `load`.
 */
export interface MatchKey<R, S> {
  name: string;
  incoming(record: R): string | readonly string[] | null | undefined;
  stored(row: S): string | readonly string[] | null | undefined;
}

/** An incoming record with the stored row it resolved to (none: a CREATE), and by which key. */
export interface Matched<R, S> {
  record: R;
  stored: S | undefined;
  by: string | null;
}

/** What `load` read: the stored rows to match against, plus anything else the entity's plan needs. */
export interface Loaded<S extends { id: number } = { id: number }> {
  rows: readonly S[];
}

/** Values to read per match key (`{ name: [...] }`), as `keysToLoad` asks and `load` receives. */
export type KeysToLoad = Readonly<Record<string, readonly string[]>>;

/** What the writers share: the run's transaction, timestamp, counters and history (audit) settings. */
export interface WriteContext {
  trx: Knex.Transaction;
  /** The run's timestamp for created_at/updated_at. */
  now: string;
  /** Counter changes of every write, applied once by the core before the commit (CounterDeltas.apply). */
  counters: CounterDeltas;
  /** Who runs it and which run: each created or changed address gets an entry naming the run. */
  history?: { userId: number | null; username: string | null; runId: number | null; /** The plugin that ran (a device history row's source). */ source?: string | null };
  /** The plan's shared name ↔ id index, which the writers extend with what they create. */
  plan: PlanContext;
  /** Whose sightings the run's addresses record (ip_asset_sightings); absent: none are recorded. */
  seenAs?: SeenAs;
}

/**
 * One entity of the reconcile engine (vendors, projects, …, ip_assets; devices next). The core
 * runs every entity of the ordered registry (entities/index.ts) through the same pipeline:
 *
 *   prepare (every entity, registry order, no I/O)
 *   → per entity: keysToLoad → load → match (core, by `matchKeys` in order) → plan
 *   → writes (apply only, and only when the whole plan has no error)
 *
 * Entities earlier in the registry are planned first, so a later one can refer to them by name
 * (`ctx.known`, `ctx.ids`). Every whole entity is planned before the first write (so every error
 * is known), then they are written in order. A `chunked` entity is planned and written in steps
 * of RECONCILE_CHUNK records, or its own `chunkSize` (each step: keysToLoad → load → match → plan → write) after that.
 * `plan` is pure: a dry-run is the same plan with the writes dropped.
 */
export interface EntityHandler<E extends string = string, R extends { loc: string } = { loc: string }, L extends Loaded = Loaded, W = unknown> {
  /** The plan's name for it (counts, preview, audit text, the API's summary keys). */
  readonly entity: E;
  /** Large entities (addresses, devices) are loaded, planned and written chunk by chunk. */
  readonly chunked?: boolean;
  /** Records per step when one record weighs more than an address (a device's facts, lists and addresses). */
  readonly chunkSize?: number;
  /**
   * How a record finds its stored row, tried in order. With more than one key, two records that
   * resolve to the same stored row are an error on the second (see core/match.ts).
   */
  readonly matchKeys: readonly MatchKey<R, L['rows'][number]>[];
  /** Validates and normalises this entity's records of the batch; bad ones are reported (ctx.error) and left out. */
  prepare(batch: Batch, ctx: PrepareContext): RecordSeq<R>;
  /** What `load` must read for these records, per match key (and any other key the entity needs). */
  keysToLoad(records: readonly R[], ctx: PlanContext): KeysToLoad;
  /** The stored rows for those keys (set-based: a few statements, never one per record). */
  load(db: Db, keys: KeysToLoad, ctx: PlanContext): Promise<L>;
  /** Pure: records with their stored rows → CREATE/UPDATE/SKIP (ctx.record) and the writes. */
  plan(items: readonly Matched<R, L['rows'][number]>[], loaded: L, ctx: PlanContext): W;
  /** Writes what `plan` decided, set-based, in the run's transaction. */
  write(writes: W, ctx: WriteContext): Promise<void>;
  /**
   * For chunked entities, asked once every whole entity is planned and before anything is
   * written: true when a record will be an error, so that a plan with errors writes nothing.
   * May read the database (set-based) for errors only stored state reveals.
   */
  willFail?(records: readonly R[], ctx: PlanContext, db: Db): boolean | Promise<boolean>;
  /** Records decided only once every record was planned (tags the addresses introduced). */
  finish?(ctx: PlanContext): void;
}

/** Declares an entity handler (the identity: it lets TypeScript infer the record, stored and write types). */
export function defineEntity<E extends string, R extends { loc: string }, L extends Loaded, W>(handler: EntityHandler<E, R, L, W>): EntityHandler<E, R, L, W> {
  return handler;
}
