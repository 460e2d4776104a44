import type { Db } from '../../../db/connection.js';
import { selectIn, selectRaw } from '../../../db/helpers/bulk-write.js';
import type { AssetType } from '../../../domain/asset-types.js';
import { toBool } from '../../../services/context.js';

/*
 * What the database holds for the records a batch names, loaded in bulk (never a query per
 * record): the catalogs whole (they are small), hosts by name, ranges by CIDR, addresses by key
 * one chunk at a time.
 */

export interface StoredVendor {
  id: number;
  name: string;
}

export interface StoredProject {
  id: number;
  name: string;
  description: string | null;
  color: string;
}

export interface StoredTag {
  id: number;
  name: string;
  color: string;
}

export interface StoredRange {
  id: number;
  name: string;
  cidr: string;
  notes: string | null;
}

export interface StoredHost {
  id: number;
  name: string;
  notes: string | null;
  vendor_id: number | null;
}

export interface StoredAsset {
  id: number;
  ip_address: string;
  ip_key: string;
  type: AssetType;
  project_id: number | null;
  host_id: number | null;
  notes: string | null;
  archived: boolean;
  last_seen_at: string | null;
  /** Sorted names. */
  tags: string[];
}

export async function loadVendors(db: Db): Promise<StoredVendor[]> {
  const rows = (await db('vendors').select('id', 'name')) as StoredVendor[];
  return rows.map((v) => ({ ...v, id: Number(v.id) }));
}

export async function loadProjects(db: Db): Promise<StoredProject[]> {
  const rows = (await db('projects').select('id', 'name', 'description', 'color')) as StoredProject[];
  return rows.map((p) => ({ ...p, id: Number(p.id) }));
}

export async function loadTags(db: Db): Promise<StoredTag[]> {
  const rows = (await db('tags').select('id', 'name', 'color')) as StoredTag[];
  return rows.map((t) => ({ ...t, id: Number(t.id) }));
}

/** The ranges of these CIDRs, and every stored range's CIDR by its (unique) name (only when any CIDR is asked for). */
export async function loadRanges(db: Db, cidrs: readonly string[]): Promise<{ rows: StoredRange[]; names: Map<string, string> }> {
  const rows = (await selectIn<StoredRange>(db, 'ranges', ['id', 'name', 'cidr', 'notes'], 'cidr', [...new Set(cidrs)])).map((r) => ({ ...r, id: Number(r.id) }));
  const named = cidrs.length > 0 ? ((await db('ranges').select('name', 'cidr')) as { name: string; cidr: string }[]) : [];
  return { rows, names: new Map(named.map((r) => [r.name, r.cidr])) };
}

/** Hosts by name or by id. */
export async function loadHosts(db: Db, by: 'name' | 'id', values: readonly (string | number)[]): Promise<StoredHost[]> {
  const rows = await selectIn<StoredHost>(db, 'hosts', ['id', 'name', 'notes', 'vendor_id'], by, [...new Set(values)]);
  return rows.map((h) => ({ id: Number(h.id), name: h.name, notes: h.notes, vendor_id: h.vendor_id === null ? null : Number(h.vendor_id) }));
}

/**
 * The stored assets of these keys, with sorted tag names (`tagNames`: tag id → name, from the
 * catalog), and the hosts they link to that `knownHosts` lacks. One query per 5,000 keys for the
 * assets, one for their tag links (as tag ids), so 100k assets cost a few dozen statements; the
 * caller holds only one chunk's rows at a time.
 */
export async function loadAssetChunk(db: Db, assetKeys: readonly string[], tagNames: ReadonlyMap<number, string>, knownHosts: ReadonlyMap<number, string>): Promise<{ rows: StoredAsset[]; hosts: StoredHost[] }> {
  const keys = [...new Set(assetKeys)];
  const out: StoredAsset[] = [];
  const byId = new Map<number, StoredAsset>();
  for (let i = 0; i < keys.length; i += 5000) {
    const chunk = keys.slice(i, i + 5000);
    const marks = chunk.map(() => '?').join(', ');
    const rows = await selectRaw<Omit<StoredAsset, 'tags' | 'archived'> & { archived: unknown }>(
      db,
      `SELECT id, ip_address, ip_key, type, project_id, host_id, notes, archived, last_seen_at FROM ip_assets WHERE ip_key IN (${marks})`,
      chunk,
    );
    const ids: number[] = [];
    for (const r of rows) {
      const asset: StoredAsset = {
        id: Number(r.id),
        ip_address: r.ip_address,
        ip_key: r.ip_key,
        type: r.type,
        project_id: r.project_id === null ? null : Number(r.project_id),
        host_id: r.host_id === null ? null : Number(r.host_id),
        notes: r.notes,
        archived: toBool(r.archived),
        last_seen_at: r.last_seen_at,
        tags: [],
      };
      out.push(asset);
      byId.set(asset.id, asset);
      ids.push(asset.id);
    }
    if (ids.length === 0) continue;
    const links = await selectRaw<{ a: number; t: number }>(db, `SELECT ip_asset_id AS a, tag_id AS t FROM ip_asset_tags WHERE ip_asset_id IN (${ids.map(() => '?').join(', ')})`, ids);
    for (const l of links) {
      const name = tagNames.get(Number(l.t));
      if (name) byId.get(Number(l.a))?.tags.push(name);
    }
  }
  for (const a of out) if (a.tags.length > 1) a.tags.sort();
  const missing = new Set<number>();
  for (const a of out) if (a.host_id !== null && !knownHosts.has(a.host_id)) missing.add(a.host_id);
  return { rows: out, hosts: missing.size > 0 ? await loadHosts(db, 'id', [...missing]) : [] };
}
