import type { FieldChange, FieldValue } from '../../domain/changes.js';
import { DEFAULT_PROJECT_COLOR } from '../../domain/colors.js';
import { DEFAULT_TAG_COLOR } from '../../domain/tags.js';
import { formatTimestamp } from '../../domain/time.js';
import type { ExistingAsset, ExistingState } from '../../services/imports/state.js';
import { emptyWrites, type AssetValues, type PlanWrites } from '../../services/imports/types.js';
import type { BatchIssue } from '../batch.js';
import { diffRecord, fieldLoc, mergeField, mergeTags } from './diff.js';
import type { PreparedBatch } from './prepare.js';

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
  counts: Record<Entity, Counts>;
  totals: Counts;
  errors: BatchIssue[];
  warnings: BatchIssue[];
  changes: PlannedChange[];
  writes: PlanWrites;
}

/** What a batch's prepare step asks the database for. */
export function wantedState(p: PreparedBatch): { hostNames: string[]; assetKeys: string[]; cidrs: string[] } {
  const hostNames = new Set<string>(p.hosts.map((h) => h.name));
  for (const a of p.assets) if (a.host_name) hostNames.add(a.host_name);
  return { hostNames: [...hostNames], assetKeys: p.assets.map((a) => a.ip.key), cidrs: p.ranges.map((r) => r.cidr.cidr) };
}

/**
 * Compares a prepared batch with the existing state: CREATE/UPDATE/SKIP per record with field
 * diffs, merge policies applied, references checked. Pure: the same inputs give the same plan.
 */
export function planImport(p: PreparedBatch, state: ExistingState, now = formatTimestamp()): Plan {
  const writes = emptyWrites();
  const changes: PlannedChange[] = [];
  const issues = [...p.issues];
  const counts = Object.fromEntries(ENTITIES.map((e) => [e, { create: 0, update: 0, skip: 0 }])) as Record<Entity, Counts>;
  const record = (entity: Entity, key: string, location: string, action: Action, diff: FieldChange[] | (() => FieldChange[])): void => {
    if (typeof diff === 'function') {
      // A CREATE's diff is every field it sets: built only when read (a 100k-row plan rarely shows them all).
      let cached: FieldChange[] | undefined;
      changes.push({ entity, key, action, location, get changes() { return (cached ??= diff()); } });
    } else changes.push({ entity, key, action, location, changes: diff });
    counts[entity][action === 'CREATE' ? 'create' : action === 'UPDATE' ? 'update' : 'skip']++;
  };
  const catalogPolicy = p.catalogPolicy.fields;

  // Vendors: the named ones, plus any a host refers to (vendors are bare names, created on demand).
  const vendorNames = new Set(state.vendors.keys());
  const vendorRecords = [...p.vendors];
  const listed = new Set(p.vendors.map((v) => v.name));
  for (const h of p.hosts) if (h.vendor_name && !listed.has(h.vendor_name)) {
    listed.add(h.vendor_name);
    vendorRecords.push({ loc: fieldLoc(h.loc, 'vendor_name'), name: h.vendor_name });
  }
  for (const v of vendorRecords) {
    if (vendorNames.has(v.name)) record('vendors', v.name, v.loc, 'SKIP', []);
    else {
      writes.vendors.create.push(v.name);
      vendorNames.add(v.name);
      record('vendors', v.name, v.loc, 'CREATE', [{ field: 'name', before: null, after: v.name }]);
    }
  }

  const projectNames = new Set(state.projects.keys());
  for (const pr of p.projects) {
    const cur = state.projects.get(pr.name);
    if (!cur) {
      const row = { name: pr.name, description: pr.description ?? null, color: pr.color ?? DEFAULT_PROJECT_COLOR };
      writes.projects.create.push(row);
      projectNames.add(pr.name);
      record('projects', pr.name, pr.loc, 'CREATE', diffRecord({}, row));
      continue;
    }
    const after = { description: mergeField(catalogPolicy, cur.description, pr.description), color: mergeField(catalogPolicy, cur.color, pr.color) };
    const diff = diffRecord({ description: cur.description, color: cur.color }, after);
    if (diff.length > 0) writes.projects.update.push({ id: cur.id, ...after });
    record('projects', pr.name, pr.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
  }

  const batchTags = new Map(p.tags.map((t) => [t.name, t]));
  const tagNames = new Set(state.tags.keys());
  for (const t of p.tags) {
    const cur = state.tags.get(t.name);
    if (!cur) {
      const row = { name: t.name, color: t.color ?? DEFAULT_TAG_COLOR };
      writes.tags.create.push(row);
      tagNames.add(t.name);
      record('tags', t.name, t.loc, 'CREATE', diffRecord({}, row));
      continue;
    }
    const color = mergeField(catalogPolicy, cur.color, t.color);
    const diff = diffRecord({ color: cur.color }, { color });
    if (diff.length > 0) writes.tags.update.push({ id: cur.id, color });
    record('tags', t.name, t.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
  }

  for (const r of p.ranges) {
    const cur = state.ranges.get(r.cidr.cidr);
    if (!cur) {
      const row = { name: r.name ?? r.cidr.cidr, notes: r.notes ?? null };
      writes.ranges.create.push({ ...row, cidr: r.cidr });
      record('ranges', r.cidr.cidr, r.loc, 'CREATE', diffRecord({}, { cidr: r.cidr.cidr, ...row }));
      continue;
    }
    const after = { name: mergeField(catalogPolicy, cur.name, r.name), notes: mergeField(catalogPolicy, cur.notes, r.notes) };
    const diff = diffRecord({ name: cur.name, notes: cur.notes }, after);
    if (diff.length > 0) writes.ranges.update.push({ id: cur.id, ...after });
    record('ranges', r.cidr.cidr, r.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
  }

  const hostNames = new Set(state.hosts.keys());
  for (const h of p.hosts) hostNames.add(h.name);
  for (const h of p.hosts) {
    if (h.project_name && !projectNames.has(h.project_name)) {
      issues.push({ level: 'error', location: fieldLoc(h.loc, 'project_name'), message: `unknown project "${h.project_name}"` });
      continue;
    }
    const cur = state.hosts.get(h.name);
    if (!cur) {
      const row = { name: h.name, notes: h.notes ?? null, vendor_name: h.vendor_name ?? null };
      writes.hosts.create.push(row);
      record('hosts', h.name, h.loc, 'CREATE', diffRecord({}, { name: row.name, notes: row.notes, vendor: row.vendor_name }));
      continue;
    }
    const before = { notes: cur.notes, vendor: cur.vendor_id === null ? null : (state.vendorNames.get(cur.vendor_id) ?? null) };
    const after = { notes: mergeField(h.policy.notes, before.notes, h.notes), vendor: mergeField(h.policy.vendor, before.vendor, h.vendor_name) };
    const diff = diffRecord(before, after);
    if (diff.length > 0) writes.hosts.update.push({ id: cur.id, name: h.name, notes: after.notes, vendor_name: after.vendor });
    record('hosts', h.name, h.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
  }

  const projectById = new Map([...state.projects.values()].map((pr) => [pr.id, pr.name]));
  const usedTags = new Set<string>();
  for (const a of p.assets) {
    if (a.project_name && !projectNames.has(a.project_name)) {
      issues.push({ level: 'error', location: fieldLoc(a.loc, 'project_name'), message: `unknown project "${a.project_name}"` });
      continue;
    }
    if (a.host_name && !hostNames.has(a.host_name)) {
      issues.push({ level: 'error', location: fieldLoc(a.loc, 'host_name'), message: `unknown host "${a.host_name}"` });
      continue;
    }
    const cur = state.assets.get(a.ip.key);
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
      for (const t of values.tags) usedTags.add(t);
      const created = a.created_at ?? now;
      writes.assets.create.push({ ip_address: a.ip.address, ip_version: a.ip.version, ip_key: a.ip.key, ...values, created_at: created, updated_at: a.updated_at ?? created });
      record('ip_assets', a.ip.address, a.loc, 'CREATE', () => diffRecord({}, view(values)));
      continue;
    }
    const before = currentValues(cur, projectById, state.hostNames);
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
      if (tagsChanged) for (const t of after.tags) usedTags.add(t);
      writes.assets.update.push({ id: cur.id, ...after, tagsChanged });
    }
    record('ip_assets', a.ip.address, a.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
  }
  // Tags used by assets but not listed are created with the default colour.
  for (const t of usedTags) {
    if (tagNames.has(t) || batchTags.has(t)) continue;
    tagNames.add(t);
    writes.tags.create.push({ name: t, color: DEFAULT_TAG_COLOR });
    record('tags', t, p.source, 'CREATE', [{ field: 'name', before: null, after: t }]);
  }

  const totals = { create: 0, update: 0, skip: 0 };
  for (const e of ENTITIES) for (const k of ['create', 'update', 'skip'] as const) totals[k] += counts[e][k];
  return {
    source: p.source,
    counts,
    totals,
    errors: issues.filter((i) => i.level === 'error'),
    warnings: issues.filter((i) => i.level === 'warning'),
    changes,
    writes,
  };
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

/** The fields a diff shows, named as operators know them. */
function view(v: AssetValues): Record<string, FieldValue> {
  return { type: v.type, project: v.project_name, host: v.host_name, notes: v.notes, archived: v.archived, tags: v.tags, last_seen_at: v.last_seen_at };
}
