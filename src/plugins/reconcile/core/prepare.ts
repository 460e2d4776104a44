import { formatTimestamp, parseTimestamp } from '../../../domain/time.js';
import type { RecordSeq } from './records.js';
import { DEFAULT_POLICY, fieldLoc, type AssetPolicy, type Batch, type BatchIssue, type CatalogPolicy, type HostPolicy } from '../../batch.js';

/** A reference of a record left out for other errors: still checked by the plan, so every problem of a record is reported at once (as the original does). */
export interface DroppedRef {
  loc: string;
  project_name?: string | null;
  host_name?: string | null;
  vendor_name?: string | null;
}

/** A batch validated and normalised per entity: canonical addresses, known types, clean names. Bad records are dropped with an error. */
export interface PreparedRecords {
  source: string;
  issues: BatchIssue[];
  /** Each entity's prepared records, by entity name (an array, or packed: core/records.ts). */
  records: ReadonlyMap<string, RecordSeq<{ loc: string }>>;
  droppedRefs: DroppedRef[];
  /** A host's vendor must be listed or stored (the original's bundle rule) instead of created on demand. */
  vendorsMustExist: boolean;
  catalogPolicy: CatalogPolicy;
}

/** The original's messages, which its clients show and match on. */
export const MESSAGES = {
  vendorName: 'Vendor name is required.',
  projectName: 'Project name is required.',
  hostName: 'Host name is required.',
  color: 'Color must be a hex value like #1a2b3c.',
  ipRequired: 'IP address is required.',
  ip: 'Invalid IP address.',
  type: 'Invalid asset type. Use OS, BMC, VM, VIP, OTHER.',
  vendorMissing: 'Vendor does not exist.',
  projectMissing: 'Project does not exist.',
  hostMissing: 'Host does not exist.',
} as const;

export const MAX_NAME = 128;
export const MAX_HOST_NAME = 255;
export const MAX_NOTES = 10_000;

/** Trims text; '' and null become null; undefined stays undefined (unknown). */
export function text(v: string | null | undefined): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  const t = String(v).trim();
  return t === '' ? null : t;
}

const CANONICAL_STAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

/** A timestamp in the stored form, or undefined when it cannot be read. */
export function stamp(v: string | null | undefined): string | undefined {
  if (!v) return undefined;
  const text = String(v);
  // Most inputs (our own exports) are already canonical: skip the Date round-trip.
  if (CANONICAL_STAMP.test(text)) return text;
  const d = parseTimestamp(text);
  return d ? formatTimestamp(d) : undefined;
}

/**
 * What the entities' `prepare` share: the issue list, the first-record-wins duplicate check,
 * the batch's default policies, and what one entity hands to a later one (a host's OS/BMC
 * addresses become address records).
 */
export class PrepareContext {
  readonly issues: BatchIssue[];
  readonly droppedRefs: DroppedRef[] = [];
  readonly assetDefaults: AssetPolicy;
  readonly hostDefaults: HostPolicy;
  readonly vendorsMustExist: boolean;
  readonly catalogPolicy: CatalogPolicy;
  readonly records = new Map<string, RecordSeq<{ loc: string }>>();
  private readonly seen = new Map<string, Map<string, string>>();
  private readonly handed = new Map<string, unknown[]>();

  constructor(batch: Batch) {
    this.issues = [...batch.issues];
    this.assetDefaults = { ...DEFAULT_POLICY.asset, ...batch.policy?.asset };
    this.hostDefaults = { ...DEFAULT_POLICY.host, ...batch.policy?.host };
    this.vendorsMustExist = batch.vendorsMustExist ?? false;
    this.catalogPolicy = { ...DEFAULT_POLICY.catalog, ...batch.policy?.catalog };
  }

  error(location: string, message: string): void {
    this.issues.push({ level: 'error', location, message });
  }

  warn(location: string, message: string): void {
    this.issues.push({ level: 'warning', location, message });
  }

  /** The first record of a key wins; a later duplicate is an error naming the first. */
  firstOf(kind: string, key: string, loc: string): boolean {
    let keys = this.seen.get(kind);
    if (!keys) this.seen.set(kind, (keys = new Map()));
    const prior = keys.get(key);
    if (prior !== undefined) {
      this.error(loc, `duplicate ${kind} "${key}" (first at ${prior})`);
      return false;
    }
    keys.set(key, loc);
    return true;
  }

  /** Trimmed text no longer than max; too long is an error (and undefined). */
  checkName(loc: string, field: string, value: string | null | undefined, max: number): string | null | undefined {
    const t = text(value);
    if (t && t.length > max) {
      this.error(fieldLoc(loc, field), `must be at most ${max} characters`);
      return undefined;
    }
    return t;
  }

  /** The prepared records of an entity earlier in the registry, as an array a later entity may extend (a host's vendor joins the vendors). */
  recordsOf<R>(entity: string): R[] {
    const records = this.records.get(entity) ?? [];
    if (!Array.isArray(records)) throw new Error(`the ${entity} records are packed and cannot be extended`);
    return records as R[];
  }

  /** Hands items to a later entity's prepare (read with `handedTo`). */
  handTo(entity: string, item: unknown): void {
    let items = this.handed.get(entity);
    if (!items) this.handed.set(entity, (items = []));
    items.push(item);
  }

  handedTo<T>(entity: string): readonly T[] {
    return (this.handed.get(entity) ?? []) as T[];
  }
}
