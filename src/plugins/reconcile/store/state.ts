import type { Db } from '../../../db/connection.js';
import { selectIn, selectRaw } from '../../../db/helpers/bulk-write.js';
import type { AssetType } from '../../../domain/asset-types.js';
import { toBool } from '../../../services/context.js';

/** What the database holds for the records a batch names, loaded in bulk (never a query per record). */
export interface ExistingState {
  projects: Map<string, { id: number; name: string; description: string | null; color: string }>;
  vendors: Map<string, { id: number; name: string }>;
  vendorNames: Map<number, string>;
  tags: Map<string, { id: number; name: string; color: string }>;
  ranges: Map<string, { id: number; name: string; cidr: string; notes: string | null }>;
  /** Every stored range's CIDR by its (unique) name; loaded only when the batch carries ranges. */
  rangeNames: Map<string, string>;
  /** Hosts by name: those the batch names plus those the loaded assets link to. */
  hosts: Map<string, ExistingHost>;
  hostNames: Map<number, string>;
  /** The current chunk's stored assets by ip_key, with sorted tag names (see loadAssetChunk). */
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
 * Loads the catalogs whole (they are small), hosts by the names given and ranges by CIDR. The
 * assets come later, chunk by chunk (loadAssetChunk): `assets` starts empty.
 */
export async function loadCatalogState(db: Db, want: { hostNames: readonly string[]; cidrs: readonly string[] }): Promise<ExistingState> {
  const projects = (await db('projects').select('id', 'name', 'description', 'color')) as { id: number; name: string; description: string | null; color: string }[];
  const vendors = (await db('vendors').select('id', 'name')) as { id: number; name: string }[];
  const tags = (await db('tags').select('id', 'name', 'color')) as { id: number; name: string; color: string }[];
  const ranges = (await selectIn(db, 'ranges', ['id', 'name', 'cidr', 'notes'], 'cidr', [...new Set(want.cidrs)])) as { id: number; name: string; cidr: string; notes: string | null }[];
  const named = want.cidrs.length > 0 ? ((await db('ranges').select('name', 'cidr')) as { name: string; cidr: string }[]) : [];
  const state: ExistingState = {
    projects: new Map(projects.map((p) => [p.name, { ...p, id: Number(p.id) }])),
    vendors: new Map(vendors.map((v) => [v.name, { ...v, id: Number(v.id) }])),
    vendorNames: new Map(vendors.map((v) => [Number(v.id), v.name])),
    tags: new Map(tags.map((t) => [t.name, { ...t, id: Number(t.id) }])),
    ranges: new Map(ranges.map((r) => [r.cidr, { ...r, id: Number(r.id) }])),
    rangeNames: new Map(named.map((r) => [r.name, r.cidr])),
    hosts: new Map(),
    hostNames: new Map(),
    assets: new Map(),
  };
  addHosts(state, await selectIn<ExistingHost>(db, 'hosts', ['id', 'name', 'notes', 'vendor_id'], 'name', [...new Set(want.hostNames)]));
  return state;
}

function addHosts(state: ExistingState, rows: readonly ExistingHost[]): void {
  for (const h of rows) {
    const host = { id: Number(h.id), name: h.name, notes: h.notes, vendor_id: h.vendor_id === null ? null : Number(h.vendor_id) };
    state.hosts.set(host.name, host);
    state.hostNames.set(host.id, host.name);
  }
}

/**
 * Replaces `state.assets` with the stored assets of these keys (with sorted tag names) and loads
 * the hosts they link to that the state lacks. One query per 5,000 keys for the assets, one for
 * their tag links (as tag ids: names come from the catalog), so 100k assets cost a few dozen
 * statements; only one chunk's rows are in memory at a time.
 */
export async function loadAssetChunk(db: Db, state: ExistingState, assetKeys: readonly string[]): Promise<void> {
  const tagNameById = new Map([...state.tags.values()].map((t) => [t.id, t.name]));
  const keys = [...new Set(assetKeys)];
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
  state.assets = assets;
  const missing = new Set<number>();
  for (const a of byId.values()) if (a.host_id !== null && !state.hostNames.has(a.host_id)) missing.add(a.host_id);
  if (missing.size > 0) addHosts(state, await selectIn<ExistingHost>(db, 'hosts', ['id', 'name', 'notes', 'vendor_id'], 'id', [...missing]));
}
