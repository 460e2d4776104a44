import type { AssetType } from '../../domain/asset-types.js';
import type { Db } from '../../db/connection.js';
import { toBool } from '../context.js';
import { selectIn, selectRaw } from './sql.js';

/** What the database holds for the records a batch names, loaded in bulk (never a query per record). */
export interface ExistingState {
  projects: Map<string, { id: number; name: string; description: string | null; color: string }>;
  vendors: Map<string, { id: number; name: string }>;
  vendorNames: Map<number, string>;
  tags: Map<string, { id: number; name: string; color: string }>;
  ranges: Map<string, { id: number; name: string; cidr: string; notes: string | null }>;
  /** Hosts by name: those the batch names plus those the loaded assets link to. */
  hosts: Map<string, ExistingHost>;
  hostNames: Map<number, string>;
  /** Assets by ip_key, with sorted tag names. */
  assets: Map<string, ExistingAsset>;
}

export interface ExistingHost {
  id: number;
  name: string;
  notes: string | null;
  vendor_id: number | null;
}

export interface ExistingAsset {
  id: number;
  ip_address: string;
  ip_key: string;
  type: AssetType;
  project_id: number | null;
  host_id: number | null;
  notes: string | null;
  archived: boolean;
  last_seen_at: string | null;
  tags: string[];
}

/**
 * Loads the catalogs whole (they are small) and hosts/assets by the names and keys given,
 * in chunked IN queries. Cost: a few queries per 5,000 keys.
 */
export async function loadExistingState(db: Db, want: { hostNames: readonly string[]; assetKeys: readonly string[]; cidrs: readonly string[] }): Promise<ExistingState> {
  const projects = (await db('projects').select('id', 'name', 'description', 'color')) as { id: number; name: string; description: string | null; color: string }[];
  const vendors = (await db('vendors').select('id', 'name')) as { id: number; name: string }[];
  const tags = (await db('tags').select('id', 'name', 'color')) as { id: number; name: string; color: string }[];
  const ranges = (await selectIn(db, 'ranges', ['id', 'name', 'cidr', 'notes'], 'cidr', [...new Set(want.cidrs)])) as { id: number; name: string; cidr: string; notes: string | null }[];

  // One query per 5,000 keys for the assets, one for their tag links (as tag ids: names come from
  // the catalog loaded above), so 100k assets cost a few dozen statements.
  const tagNameById = new Map(tags.map((t) => [Number(t.id), t.name]));
  const keys = [...new Set(want.assetKeys)];
  const assets = new Map<string, ExistingAsset>();
  const byId = new Map<number, ExistingAsset>();
  for (let i = 0; i < keys.length; i += 5000) {
    const chunk = keys.slice(i, i + 5000);
    const marks = chunk.map(() => '?').join(', ');
    const rows = await selectRaw<Omit<ExistingAsset, 'tags' | 'archived'> & { archived: unknown }>(
      db,
      `SELECT id, ip_address, ip_key, type, project_id, host_id, notes, archived, last_seen_at FROM ip_assets WHERE ip_key IN (${marks})`,
      chunk,
    );
    const ids: number[] = [];
    for (const r of rows) {
      const asset: ExistingAsset = {
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
      assets.set(asset.ip_key, asset);
      byId.set(asset.id, asset);
      ids.push(asset.id);
    }
    if (ids.length === 0) continue;
    const links = await selectRaw<{ a: number; t: number }>(db, `SELECT ip_asset_id AS a, tag_id AS t FROM ip_asset_tags WHERE ip_asset_id IN (${ids.map(() => '?').join(', ')})`, ids);
    for (const l of links) {
      const name = tagNameById.get(Number(l.t));
      if (name) byId.get(Number(l.a))?.tags.push(name);
    }
  }
  for (const a of byId.values()) if (a.tags.length > 1) a.tags.sort();
  const assetRows = [...assets.values()];

  const hostIds = [...new Set(assetRows.map((r) => r.host_id).filter((h): h is number => h !== null).map(Number))];
  const hostRows = [
    ...(await selectIn<ExistingHost>(db, 'hosts', ['id', 'name', 'notes', 'vendor_id'], 'name', [...new Set(want.hostNames)])),
    ...(await selectIn<ExistingHost>(db, 'hosts', ['id', 'name', 'notes', 'vendor_id'], 'id', hostIds)),
  ];
  const hosts = new Map<string, ExistingHost>();
  const hostNames = new Map<number, string>();
  for (const h of hostRows) {
    const host = { id: Number(h.id), name: h.name, notes: h.notes, vendor_id: h.vendor_id === null ? null : Number(h.vendor_id) };
    hosts.set(host.name, host);
    hostNames.set(host.id, host.name);
  }
  return {
    projects: new Map(projects.map((p) => [p.name, { ...p, id: Number(p.id) }])),
    vendors: new Map(vendors.map((v) => [v.name, { ...v, id: Number(v.id) }])),
    vendorNames: new Map(vendors.map((v) => [Number(v.id), v.name])),
    tags: new Map(tags.map((t) => [t.name, { ...t, id: Number(t.id) }])),
    ranges: new Map(ranges.map((r) => [r.cidr, { ...r, id: Number(r.id) }])),
    hosts,
    hostNames,
    assets,
  };
}
