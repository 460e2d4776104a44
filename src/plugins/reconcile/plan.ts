import { describeChanges, type FieldChange, type FieldValue } from '../../domain/changes.js';
import { DEFAULT_PROJECT_COLOR } from '../../domain/colors.js';
import { DEFAULT_TAG_COLOR } from '../../domain/tags.js';
import { formatTimestamp } from '../../domain/time.js';
import type { ExistingAsset, ExistingState } from './store/state.js';
import { emptyWrites, type AssetValues, type AssetWrites, type PlanWrites } from './store/types.js';
import type { BatchIssue } from '../batch.js';
import { diffRecord, fieldLoc, mergeField, mergeTags } from './diff.js';
import { MESSAGES, type PreparedAsset, type PreparedBatch } from './prepare.js';

export const ENTITIES = ['vendors', 'projects', 'tags', 'ranges', 'hosts', 'ip_assets'] as const;
export type Entity = (typeof ENTITIES)[number];
export type Action = 'CREATE' | 'UPDATE' | 'SKIP';

/** One record's outcome: what happens to it and which fields change. */
export interface PlannedChange {
  entity: Entity;
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

export interface Plan {
  source: string;
  /** Exact, whatever the preview holds. */
  counts: Record<Entity, Counts>;
  totals: Counts;
  errors: BatchIssue[];
  warnings: BatchIssue[];
  /**
   * The per-record preview, in record order: at most `PREVIEW_LIMIT` CREATE/UPDATE records and as
   * many SKIPs. A 100k-record run keeps a bounded preview instead of 100k diff entries in memory.
   */
  changes: PlannedChange[];
  /** Records left out of `changes` (all counted above); 0 when the preview is complete. */
  changesOmitted: { changed: number; skipped: number };
}

/** CREATE/UPDATE records (and, separately, SKIP records) a plan keeps in its preview. */
export const PREVIEW_LIMIT = 10_000;

/** What a batch asks the database for before its assets: catalogs whole, hosts by name, ranges by CIDR. */
export function wantedCatalogs(p: PreparedBatch): { hostNames: string[]; cidrs: string[] } {
  const hostNames = new Set<string>(p.hosts.map((h) => h.name));
  for (const a of p.assets) if (a.host_name) hostNames.add(a.host_name);
  for (const r of p.droppedRefs) if (r.host_name) hostNames.add(r.host_name);
  return { hostNames: [...hostNames], cidrs: p.ranges.map((r) => r.cidr.cidr) };
}

/**
 * Builds a plan in steps: catalogs and hosts first (`planCatalogs`), then the assets chunk by
 * chunk (`planAssets`, each with the existing rows of its chunk only), then `finish`. Only the
 * counts, the issues and the bounded preview stay in memory; each chunk's writes are handed back
 * to the caller to write (or drop) before the next chunk is planned.
 */
export class PlanBuilder {
  private readonly counts = Object.fromEntries(ENTITIES.map((e) => [e, { create: 0, update: 0, skip: 0 }])) as Record<Entity, Counts>;
  private readonly changes: PlannedChange[] = [];
  private readonly omitted = { changed: 0, skipped: 0 };
  private readonly kept = { changed: 0, skipped: 0 };
  private readonly issues: BatchIssue[];
  private readonly projectNames: Set<string>;
  private readonly hostNames = new Set<string>();
  /** Tags known before the assets: stored ones and the batch's listed ones. */
  private readonly tagNames: Set<string>;
  /** Tags the written assets use (first use order), for the tag CREATE records at the end. */
  private readonly usedTags = new Set<string>();
  private projectById = new Map<number, string>();
  private errorsFound: boolean;

  constructor(private readonly p: PreparedBatch, private readonly state: ExistingState, private readonly now = formatTimestamp(), private readonly previewLimit = PREVIEW_LIMIT) {
    this.issues = [...p.issues];
    this.errorsFound = this.issues.some((i) => i.level === 'error');
    this.projectNames = new Set(state.projects.keys());
    this.tagNames = new Set(state.tags.keys());
  }

  private record(entity: Entity, key: string, location: string, action: Action, diff: FieldChange[] | (() => FieldChange[])): void {
    this.counts[entity][action === 'CREATE' ? 'create' : action === 'UPDATE' ? 'update' : 'skip']++;
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

  private error(location: string, message: string): void {
    this.issues.push({ level: 'error', location, message });
    this.errorsFound = true;
  }

  /**
   * Plans vendors, projects, tags, ranges and hosts, and checks every asset's references (no I/O),
   * so `hasErrors` is final before any asset is written. Returns the catalog and host writes.
   */
  planCatalogs(): PlanWrites {
    const { p, state } = this;
    const writes = emptyWrites();
    const catalogPolicy = p.catalogPolicy.fields;

    // Vendors: the named ones, plus any a host refers to (vendors are bare names, created on demand).
    const vendorNames = new Set(state.vendors.keys());
    const vendorRecords = [...p.vendors];
    const listed = new Set(p.vendors.map((v) => v.name));
    for (const h of p.hosts) if (h.vendor_name && !listed.has(h.vendor_name) && !p.vendorsMustExist) {
      listed.add(h.vendor_name);
      vendorRecords.push({ loc: fieldLoc(h.loc, 'vendor_name'), name: h.vendor_name });
    }
    for (const v of vendorRecords) {
      if (vendorNames.has(v.name)) this.record('vendors', v.name, v.loc, 'SKIP', []);
      else {
        writes.vendors.create.push(v.name);
        vendorNames.add(v.name);
        this.record('vendors', v.name, v.loc, 'CREATE', [{ field: 'name', before: null, after: v.name }]);
      }
    }

    for (const pr of p.projects) {
      const cur = state.projects.get(pr.name);
      if (!cur) {
        const row = { name: pr.name, description: pr.description ?? null, color: pr.color ?? DEFAULT_PROJECT_COLOR };
        writes.projects.create.push(row);
        this.projectNames.add(pr.name);
        this.record('projects', pr.name, pr.loc, 'CREATE', diffRecord({}, row));
        continue;
      }
      const after = { description: mergeField(catalogPolicy, cur.description, pr.description), color: mergeField(catalogPolicy, cur.color, pr.color) };
      const diff = diffRecord({ description: cur.description, color: cur.color }, after);
      if (diff.length > 0) writes.projects.update.push({ id: cur.id, ...after });
      this.record('projects', pr.name, pr.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
    }

    for (const t of p.tags) {
      const cur = state.tags.get(t.name);
      this.tagNames.add(t.name);
      if (!cur) {
        const row = { name: t.name, color: t.color ?? DEFAULT_TAG_COLOR };
        writes.tags.create.push(row);
        this.record('tags', t.name, t.loc, 'CREATE', diffRecord({}, row));
        continue;
      }
      const color = mergeField(catalogPolicy, cur.color, t.color);
      const diff = diffRecord({ color: cur.color }, { color });
      if (diff.length > 0) writes.tags.update.push({ id: cur.id, color });
      this.record('tags', t.name, t.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
    }

    // Range names are unique: a name another range holds (stored or earlier in the batch) is an error.
    const rangeNames = new Map(state.rangeNames);
    const nameTaken = (name: string, cidr: string, loc: string): boolean => {
      const holder = rangeNames.get(name);
      if (holder === undefined || holder === cidr) return false;
      this.error(fieldLoc(loc, 'name'), `range name "${name}" is already used by ${holder}`);
      return true;
    };
    for (const r of p.ranges) {
      const cur = state.ranges.get(r.cidr.cidr);
      if (!cur) {
        const row = { name: r.name ?? r.cidr.cidr, notes: r.notes ?? null };
        if (nameTaken(row.name, r.cidr.cidr, r.loc)) continue;
        rangeNames.set(row.name, r.cidr.cidr);
        writes.ranges.create.push({ ...row, cidr: r.cidr });
        this.record('ranges', r.cidr.cidr, r.loc, 'CREATE', diffRecord({}, { cidr: r.cidr.cidr, ...row }));
        continue;
      }
      const after = { name: mergeField(catalogPolicy, cur.name, r.name), notes: mergeField(catalogPolicy, cur.notes, r.notes) };
      if (after.name !== cur.name) {
        if (nameTaken(after.name, cur.cidr, r.loc)) continue;
        rangeNames.delete(cur.name);
        rangeNames.set(after.name, cur.cidr);
      }
      const diff = diffRecord({ name: cur.name, notes: cur.notes }, after);
      if (diff.length > 0) writes.ranges.update.push({ id: cur.id, ...after });
      this.record('ranges', r.cidr.cidr, r.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
    }

    for (const name of state.hosts.keys()) this.hostNames.add(name);
    for (const h of p.hosts) this.hostNames.add(h.name);
    // Reference checks of the records dropped for other errors (their other problems are already listed).
    for (const r of p.droppedRefs) for (const [loc, msg] of this.badReferences(r, vendorNames)) this.error(loc, msg);
    for (const h of p.hosts) {
      const bad = this.badReferences(h, vendorNames);
      if (bad.length > 0) {
        for (const [loc, msg] of bad) this.error(loc, msg);
        continue;
      }
      const cur = state.hosts.get(h.name);
      if (!cur) {
        const row = { name: h.name, notes: h.notes ?? null, vendor_name: h.vendor_name ?? null };
        writes.hosts.create.push(row);
        this.record('hosts', h.name, h.loc, 'CREATE', diffRecord({}, { name: row.name, notes: row.notes, vendor: row.vendor_name }));
        continue;
      }
      const before = { notes: cur.notes, vendor: cur.vendor_id === null ? null : (state.vendorNames.get(cur.vendor_id) ?? null) };
      const after = { notes: mergeField(h.policy.notes, before.notes, h.notes), vendor: mergeField(h.policy.vendor, before.vendor, h.vendor_name) };
      const diff = diffRecord(before, after);
      if (diff.length > 0) writes.hosts.update.push({ id: cur.id, name: h.name, notes: after.notes, vendor_name: after.vendor });
      this.record('hosts', h.name, h.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
    }

    this.projectById = new Map([...state.projects.values()].map((pr) => [pr.id, pr.name]));
    // Reference errors are reported in record order by planAssets; knowing now that one exists
    // lets an apply write nothing at all.
    if (p.assets.some((a) => this.badReferences(a).length > 0)) this.errorsFound = true;
    return writes;
  }

  /** True once any error is known (after planCatalogs: final). A plan with errors writes nothing. */
  hasErrors(): boolean {
    return this.errorsFound;
  }

  /** Names that resolve to nothing, with the original's messages. `vendors` only when a vendor must exist. */
  private badReferences(r: { loc: string; project_name?: string | null; host_name?: string | null; vendor_name?: string | null }, vendors?: Set<string>): [string, string][] {
    const out: [string, string][] = [];
    if (r.vendor_name && vendors && this.p.vendorsMustExist && !vendors.has(r.vendor_name)) out.push([fieldLoc(r.loc, 'vendor_name'), MESSAGES.vendorMissing]);
    if (r.project_name && !this.projectNames.has(r.project_name)) out.push([fieldLoc(r.loc, 'project_name'), MESSAGES.projectMissing]);
    if (r.host_name && !this.hostNames.has(r.host_name)) out.push([fieldLoc(r.loc, 'host_name'), MESSAGES.hostMissing]);
    return out;
  }

  /**
   * Plans a chunk of assets against `state.assets` (the stored rows of this chunk's addresses)
   * and `state.hostNames` (covering the hosts those rows link to). Returns the chunk's writes.
   */
  planAssets(assets: readonly PreparedAsset[]): AssetWrites {
    const { state } = this;
    const writes: AssetWrites = { create: [], update: [] };
    for (const a of assets) {
      const bad = this.badReferences(a);
      if (bad.length > 0) {
        for (const [loc, msg] of bad) this.error(loc, msg);
        continue;
      }
      const cur = state.assets.get(a.key);
      if (!cur) {
        const values: AssetValues = {
          type: a.type ?? 'OTHER',
          project_name: a.project_name ?? null,
          host_name: a.host_name ?? null,
          notes: a.notes ?? null,
          archived: a.archived ?? false,
          last_seen_at: a.last_seen_at ?? null,
          tags: a.tags ?? [],
        };
        for (const t of values.tags) this.usedTags.add(t);
        const created = a.created_at ?? this.now;
        writes.create.push({ ip_address: a.address, ip_version: a.version, ip_key: a.key, ...values, created_at: created, updated_at: a.updated_at ?? created, history: () => describeChanges(diffRecord({}, view(values))) });
        this.record('ip_assets', a.address, a.loc, 'CREATE', () => diffRecord({}, view(values)));
        continue;
      }
      const before = currentValues(cur, this.projectById, state.hostNames);
      const after: AssetValues = {
        type: mergeField(a.policy.type, before.type, a.type),
        project_name: mergeField(a.policy.project, before.project_name, a.project_name),
        host_name: mergeField(a.policy.host, before.host_name, a.host_name),
        notes: mergeField(a.policy.notes, before.notes, a.notes),
        archived: mergeField(a.policy.archived, before.archived, a.archived),
        last_seen_at: a.last_seen_at === undefined ? before.last_seen_at : a.last_seen_at,
        tags: mergeTags(a.policy.tags, before.tags, a.tags),
      };
      const diff = diffRecord(view(before), view(after));
      if (diff.length > 0) {
        const tagsChanged = diff.some((d) => d.field === 'tags');
        if (tagsChanged) for (const t of after.tags) this.usedTags.add(t);
        writes.update.push({ id: cur.id, ip_address: cur.ip_address, ...after, tagsChanged, history: () => historyOf(diff) });
      }
      this.record('ip_assets', a.address, a.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
    }
    return writes;
  }

  /** Tags used by assets but neither stored nor listed: created with the default colour. */
  isNewTag(name: string): boolean {
    return !this.tagNames.has(name);
  }

  /** The finished plan: the tag CREATE records for tags the assets introduced come last. */
  finish(): Plan {
    for (const t of this.usedTags) {
      if (this.tagNames.has(t)) continue;
      this.tagNames.add(t);
      this.record('tags', t, this.p.source, 'CREATE', [{ field: 'name', before: null, after: t }]);
    }
    const totals = { create: 0, update: 0, skip: 0 };
    for (const e of ENTITIES) for (const k of ['create', 'update', 'skip'] as const) totals[k] += this.counts[e][k];
    return {
      source: this.p.source,
      counts: this.counts,
      totals,
      errors: this.issues.filter((i) => i.level === 'error'),
      warnings: this.issues.filter((i) => i.level === 'warning'),
      changes: this.changes,
      changesOmitted: this.omitted,
    };
  }
}

function currentValues(a: ExistingAsset, projects: Map<number, string>, hosts: Map<number, string>): AssetValues {
  return {
    type: a.type,
    project_name: a.project_id === null ? null : (projects.get(a.project_id) ?? null),
    host_name: a.host_id === null ? null : (hosts.get(a.host_id) ?? null),
    notes: a.notes,
    archived: a.archived,
    last_seen_at: a.last_seen_at,
    tags: a.tags,
  };
}

/** An update's history line; a sighting alone (last_seen_at) is not an edit and writes none. */
function historyOf(diff: FieldChange[]): string | null {
  return diff.some((d) => d.field !== 'last_seen_at') ? describeChanges(diff) : null;
}

/** The fields a diff shows, named as operators know them. */
function view(v: AssetValues): Record<string, FieldValue> {
  return { type: v.type, project: v.project_name, host: v.host_name, notes: v.notes, archived: v.archived, tags: v.tags, last_seen_at: v.last_seen_at };
}
