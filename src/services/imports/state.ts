import type { AssetType } from '../../domain/asset-types.js';
import type { Db } from '../../db/connection.js';
import { toBool } from '../context.js';
import { isPostgres } from '../../db/connection.js';
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

  // One query per 5,000 keys, tags folded into a comma list (names are [a-z0-9_-], so ',' is safe):
  // 100k existing assets load as 100k rows instead of 100k + one row per tag link.
  const tagList = isPostgres(db) ? `string_agg(t.name, ',')` : `group_concat(t.name, ',')`;
  const keys = [...new Set(want.assetKeys)];
  const assets = new Map<string, ExistingAsset>();
  for (let i = 0; i < keys.length; i += 5000) {
    const chunk = keys.slice(i, i + 5000);
    const rows = await selectRaw<Omit<ExistingAsset, 'tags' | 'archived'> & { archived: unknown; tag_names: string | null }>(
        db,
        `SELECT a.id, a.ip_address, a.ip_key, a.type, a.project_id, a.host_id, a.notes, a.archived, a.last_seen_at,
           (SELECT ${tagList} FROM ip_asset_tags at JOIN tags t ON t.id = at.tag_id WHERE at.ip_asset_id = a.id) AS tag_names
         FROM ip_assets a WHERE a.ip_key IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
    );
    for (const r of rows) {
      assets.set(r.ip_key, {
        id: Number(r.id),
        ip_address: r.ip_address,
        ip_key: r.ip_key,
        type: r.type,
        project_id: r.project_id === null ? null : Number(r.project_id),
        host_id: r.host_id === null ? null : Number(r.host_id),
        notes: r.notes,
        archived: toBool(r.archived),
        last_seen_at: r.last_seen_at,
        tags: r.tag_names ? r.tag_names.split(',').sort() : [],
      });
    }
  }
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
