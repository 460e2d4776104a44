import type { FieldChange } from '../../../domain/changes.js';
import { formatTimestamp } from '../../../domain/time.js';
import type { BatchIssue } from '../../batch.js';
import type { PreparedRecords } from './prepare.js';

/** MISSING: a complete run of a source no longer reports the device (counted with its entity's updates). */
export type Action = 'CREATE' | 'UPDATE' | 'SKIP' | 'MISSING';

/** One record's outcome: what happens to it and which fields change. */
export interface PlannedChange<E extends string = string> {
  entity: E;
  /** Name, CIDR or address. */
  key: string;
  action: Action;
  location: string;
  changes: FieldChange[];
}

export interface Counts {
  create: number;
  update: number;
  skip: number;
}

export interface Plan<E extends string = string> {
  source: string;
  /** Exact, whatever the preview holds. */
  counts: Record<E, Counts>;
  totals: Counts;
  errors: BatchIssue[];
  warnings: BatchIssue[];
  /**
   * The per-record preview, in record order: at most `PREVIEW_LIMIT` CREATE/UPDATE records and as
   * many SKIPs. A 100k-record run keeps a bounded preview instead of 100k diff entries in memory.
   */
  changes: PlannedChange<E>[];
  /** Records left out of `changes` (all counted above); 0 when the preview is complete. */
  changesOmitted: { changed: number; skipped: number };
}

/** CREATE/UPDATE records (and, separately, SKIP records) a plan keeps in its preview. */
export const PREVIEW_LIMIT = 10_000;

/** Stored (and, once written, created) rows of an entity: id by name and name by id. */
export class NameIds {
  readonly byName = new Map<string, number>();
  readonly byId = new Map<number, string>();

  add(id: number, name: string): void {
    this.byName.set(name, id);
    this.byId.set(id, name);
  }
}

/**
 * What the entities of one run share while it is planned: the counts, the issues, the bounded
 * preview, and per entity the names records may refer to (`known`) and the stored ids (`ids`).
 * Only the counts, the issues and the preview stay in memory for the whole run; each chunk's
 * writes are handed back to the pipeline to write (or drop) before the next chunk is planned.
 */
export class PlanContext {
  private readonly counts: Record<string, Counts>;
  private readonly changes: PlannedChange[] = [];
  private readonly omitted = { changed: 0, skipped: 0 };
  private readonly kept = { changed: 0, skipped: 0 };
  private readonly issues: BatchIssue[];
  private readonly knownNames = new Map<string, Set<string>>();
  private readonly storedIds = new Map<string, NameIds>();
  private readonly usedNames = new Map<string, Set<string>>();
  private errorsFound: boolean;

  constructor(
    readonly prepared: PreparedRecords,
    /** The entities counted, in order. */
    private readonly entities: readonly string[],
    /** The run's timestamp for records that carry none. */
    readonly now = formatTimestamp(),
    private readonly previewLimit = PREVIEW_LIMIT,
  ) {
    this.counts = Object.fromEntries(entities.map((e) => [e, { create: 0, update: 0, skip: 0 }]));
    this.issues = [...prepared.issues];
    this.errorsFound = this.issues.some((i) => i.level === 'error');
  }

  /** Counts a record's outcome and keeps it in the preview while there is room. */
  record(entity: string, key: string, location: string, action: Action, diff: FieldChange[] | (() => FieldChange[])): void {
    this.counts[entity]![action === 'CREATE' ? 'create' : action === 'SKIP' ? 'skip' : 'update']++;
    const kind = action === 'SKIP' ? 'skipped' : 'changed';
    if (this.kept[kind] >= this.previewLimit) {
      this.omitted[kind]++;
      return;
    }
    this.kept[kind]++;
    if (typeof diff === 'function') {
      // A CREATE's diff is every field it sets: built only when read (a large preview is rarely read whole).
      let cached: FieldChange[] | undefined;
      this.changes.push({ entity, key, action, location, get changes() { return (cached ??= diff()); } });
    } else this.changes.push({ entity, key, action, location, changes: diff });
  }

  error(location: string, message: string): void {
    this.issues.push({ level: 'error', location, message });
    this.errorsFound = true;
  }

  warn(location: string, message: string): void {
    this.issues.push({ level: 'warning', location, message });
  }

  /** An error will be reported later (a chunked entity's reference check): a plan with errors writes nothing. */
  willHaveErrors(): void {
    this.errorsFound = true;
  }

  /** True once any error is known; final once every whole entity is planned and the chunked ones checked. */
  hasErrors(): boolean {
    return this.errorsFound;
  }

  /** Names of an entity that exist once the plan is applied (stored or created): what references resolve against. */
  known(entity: string): Set<string> {
    let names = this.knownNames.get(entity);
    if (!names) this.knownNames.set(entity, (names = new Set()));
    return names;
  }

  /** Stored rows of a named entity: their names become known (references resolve to them) and their ids are indexed. */
  addStored(entity: string, rows: readonly { id: number; name: string }[]): void {
    const known = this.known(entity);
    const ids = this.ids(entity);
    for (const r of rows) {
      known.add(r.name);
      ids.add(r.id, r.name);
    }
  }

  /**
   * Names of an entity that written records of other entities carry, in first-use order; the
   * entity creates those it does not know on demand (tags an address carries).
   */
  uses(entity: string): Set<string> {
    let names = this.usedNames.get(entity);
    if (!names) this.usedNames.set(entity, (names = new Set()));
    return names;
  }

  /** Ids of an entity's stored rows by name (and back); the writers add the rows they create. */
  ids(entity: string): NameIds {
    let ids = this.storedIds.get(entity);
    if (!ids) this.storedIds.set(entity, (ids = new NameIds()));
    return ids;
  }

  /** The finished plan, counted over the entities it was made with (E: their names). */
  finish<E extends string>(): Plan<E> {
    const totals = { create: 0, update: 0, skip: 0 };
    for (const e of this.entities) for (const k of ['create', 'update', 'skip'] as const) totals[k] += this.counts[e]![k];
    return {
      source: this.prepared.source,
      counts: this.counts as Record<E, Counts>,
      totals,
      errors: this.issues.filter((i) => i.level === 'error'),
      warnings: this.issues.filter((i) => i.level === 'warning'),
      changes: this.changes as PlannedChange<E>[],
      changesOmitted: this.omitted,
    };
  }
}
