import type { AssetType } from '../../domain/asset-types.js';
import type { Db } from '../../db/connection.js';
import { toBool } from '../context.js';
import { selectIn } from './sql.js';

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

  const assetRows = await selectIn<ExistingAsset & { archived: unknown }>(
    db,
    'ip_assets',
    ['id', 'ip_address', 'ip_key', 'type', 'project_id', 'host_id', 'notes', 'archived', 'last_seen_at'],
    'ip_key',
    [...new Set(want.assetKeys)],
  );
  const assets = new Map<string, ExistingAsset>();
  const byId = new Map<number, ExistingAsset>();
  for (const r of assetRows) {
    const a: ExistingAsset = {
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
    assets.set(a.ip_key, a);
    byId.set(a.id, a);
  }
  const ids = [...byId.keys()];
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = (await db('ip_asset_tags as at')
      .join('tags as t', 't.id', 'at.tag_id')
      .select('at.ip_asset_id as id', 't.name')
      .whereIn('at.ip_asset_id', ids.slice(i, i + 5000))) as { id: number; name: string }[];
    for (const r of rows) byId.get(Number(r.id))?.tags.push(r.name);
  }
  for (const a of byId.values()) if (a.tags.length > 1) a.tags.sort();

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
