import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { applyAssetFilter, resolveFilter } from '../assets/list.js';
import { tagsByAsset } from '../assets/records.js';
import { toBool } from '../context.js';
import type { AssetListFilter } from '../schemas/assets.js';

/** Records as the bundle and the CSVs carry them (names instead of ids), as the original exports them. */
export interface ExportAsset {
  ip_address: string;
  type: string;
  project_name: string | null;
  host_name: string | null;
  notes: string | null;
  archived: boolean;
  created_at: string;
  updated_at: string;
  tags: string[];
  /** Extra to the original's record: kept last so its column order holds. */
  last_seen_at: string | null;
}
export interface ExportHost {
  name: string;
  notes: string | null;
  vendor_name: string | null;
  project_name: string | null;
  os_ip: string | null;
  bmc_ip: string | null;
}
export interface ExportProject {
  name: string;
  description: string | null;
  color: string;
}
export interface ExportVendor {
  name: string;
}
export interface ExportTag {
  name: string;
  color: string;
}
export interface ExportRange {
  name: string;
  cidr: string;
  notes: string | null;
}

/** The export filters resolved: the asset list filter plus a host name. */
export interface ExportFilter {
  includeArchived: boolean;
  types?: string[];
  /** A project name, a numeric id, or "unassigned". */
  project?: string;
  /** A host name or numeric id. */
  host?: string;
}

const PAGE = 2000;

/**
 * IP assets in numeric address order, read in keyset pages of 2,000 (never the whole table in
 * memory): one query per page plus one per 500 assets for their tags.
 */
export async function* exportAssets(db: Db, f: ExportFilter): AsyncGenerator<ExportAsset[]> {
  const filter: AssetListFilter = { archived: f.includeArchived ? 'all' : 'active', tag_match: 'any', limit: PAGE, offset: 0 };
  if (f.types?.length) filter.type = f.types as AssetListFilter['type'];
  if (f.project) {
    if (/^\d+$/.test(f.project)) filter.project_id = Number(f.project);
    else filter.project = f.project;
  }
  const resolved = await resolveFilter(db, filter);
  if (f.host) {
    const row = (await db('hosts').select('id').where(/^\d+$/.test(f.host) ? { id: Number(f.host) } : { name: f.host }).first()) as { id: number } | undefined;
    if (!row) return;
    resolved.filter.host_id = Number(row.id);
  }
  let last: { v: number; k: string } | null = null;
  for (;;) {
    const q: Knex.QueryBuilder = applyAssetFilter(db, db('ip_assets as a'), resolved)
      .leftJoin('projects as p', 'p.id', 'a.project_id')
      .leftJoin('hosts as h', 'h.id', 'a.host_id')
      .select('a.id', 'a.ip_address', 'a.ip_version', 'a.ip_key', 'a.type', 'p.name as project_name', 'h.name as host_name', 'a.notes', 'a.archived', 'a.created_at', 'a.updated_at', 'a.last_seen_at')
      .orderBy([{ column: 'a.ip_version' }, { column: 'a.ip_key' }])
      .limit(PAGE);
    if (last) {
      const { v, k } = last;
      q.where((b) => b.where('a.ip_version', '>', v).orWhere((c) => c.where('a.ip_version', v).andWhere('a.ip_key', '>', k)));
    }
    const rows = (await q) as (Omit<ExportAsset, 'tags' | 'archived'> & { id: number; ip_version: number; ip_key: string; archived: unknown })[];
    if (rows.length === 0) return;
    const tags = await tagsByAsset(db, rows.map((r) => Number(r.id)));
    yield rows.map((r) => ({
      ip_address: r.ip_address,
      type: r.type,
      project_name: r.project_name,
      host_name: r.host_name,
      notes: r.notes,
      archived: toBool(r.archived),
      created_at: r.created_at,
      updated_at: r.updated_at,
      tags: tags.get(Number(r.id)) ?? [],
      last_seen_at: r.last_seen_at ?? null,
    }));
    const tail = rows[rows.length - 1]!;
    last = { v: Number(tail.ip_version), k: tail.ip_key };
    if (rows.length < PAGE) return;
  }
}

/**
 * Hosts by name with their vendor, first OS and BMC address and, as the original picks it, the
 * alphabetically first project among the host's active IPs that have one; in keyset pages.
 */
export async function* exportHosts(db: Db): AsyncGenerator<ExportHost[]> {
  let last: string | null = null;
  for (;;) {
    const q = db('hosts as h').leftJoin('vendors as v', 'v.id', 'h.vendor_id').select('h.id', 'h.name', 'h.notes', 'v.name as vendor_name').orderBy('h.name').limit(PAGE);
    if (last !== null) q.where('h.name', '>', last);
    const hosts = (await q) as { id: number; name: string; notes: string | null; vendor_name: string | null }[];
    if (hosts.length === 0) return;
    const ids = hosts.map((h) => Number(h.id));
    const links: { host_id: number; ip_address: string; type: string; project_name: string | null }[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      links.push(
        ...((await db('ip_assets as a')
          .leftJoin('projects as p', 'p.id', 'a.project_id')
          .select('a.host_id', 'a.ip_address', 'a.type', 'p.name as project_name')
          .whereIn('a.host_id', ids.slice(i, i + 500))
          .where('a.archived', false)
          .orderBy([{ column: 'a.ip_version' }, { column: 'a.ip_key' }])) as typeof links),
      );
    }
    const byHost = new Map<number, typeof links>();
    for (const l of links) {
      const list = byHost.get(Number(l.host_id)) ?? [];
      list.push(l);
      byHost.set(Number(l.host_id), list);
    }
    yield hosts.map((h) => {
      const mine = byHost.get(Number(h.id)) ?? [];
      let project: string | null = null;
      for (const l of mine) if (l.project_name !== null && (project === null || l.project_name < project)) project = l.project_name;
      return {
        name: h.name,
        notes: h.notes,
        vendor_name: h.vendor_name,
        project_name: project,
        os_ip: mine.find((l) => l.type === 'OS')?.ip_address ?? null,
        bmc_ip: mine.find((l) => l.type === 'BMC')?.ip_address ?? null,
      };
    });
    last = hosts[hosts.length - 1]!.name;
    if (hosts.length < PAGE) return;
  }
}

/** A small catalog table by name (projects, vendors, tags), in keyset pages. */
async function* byName<T>(db: Db, table: string, columns: string[]): AsyncGenerator<T[]> {
  let last: string | null = null;
  for (;;) {
    const q = db(table).select(columns).orderBy('name').limit(PAGE);
    if (last !== null) q.where('name', '>', last);
    const rows = (await q) as (T & { name: string })[];
    if (rows.length === 0) return;
    yield rows;
    last = rows[rows.length - 1]!.name;
    if (rows.length < PAGE) return;
  }
}

export const exportProjects = (db: Db): AsyncGenerator<ExportProject[]> => byName<ExportProject>(db, 'projects', ['name', 'description', 'color']);
export const exportVendors = (db: Db): AsyncGenerator<ExportVendor[]> => byName<ExportVendor>(db, 'vendors', ['name']);
export const exportTags = (db: Db): AsyncGenerator<ExportTag[]> => byName<ExportTag>(db, 'tags', ['name', 'color']);

/** Ranges in address order (family, network, prefix). */
export async function* exportRanges(db: Db): AsyncGenerator<ExportRange[]> {
  let lastId = 0;
  // Ranges are few; page by id for memory, then order each page (the whole set is sorted below).
  const all: (ExportRange & { ip_version: number; first_key: string; prefix: number })[] = [];
  for (;;) {
    const rows = (await db('ranges').select('id', 'name', 'cidr', 'notes', 'ip_version', 'first_key', 'prefix').where('id', '>', lastId).orderBy('id').limit(PAGE)) as (ExportRange & { id: number; ip_version: number; first_key: string; prefix: number })[];
    if (rows.length === 0) break;
    all.push(...rows);
    lastId = Number(rows[rows.length - 1]!.id);
  }
  all.sort((a, b) => a.ip_version - b.ip_version || (a.first_key < b.first_key ? -1 : a.first_key > b.first_key ? 1 : a.prefix - b.prefix));
  for (let i = 0; i < all.length; i += PAGE) yield all.slice(i, i + PAGE).map((r) => ({ name: r.name, cidr: r.cidr, notes: r.notes }));
}
