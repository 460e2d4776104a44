import type { AssetType } from '../domain/asset-types.js';
import type { Db } from '../db/connection.js';
import type { IpVersion } from '../domain/ip/address.js';

/** Which active assets Prometheus service discovery should list. */
export interface SdFilter {
  onlyAssigned: boolean;
  /** Project names (the original's `project` parameter); unknown names match nothing. */
  projects: string[];
  types: AssetType[];
}

export interface SdTarget {
  address: string;
  version: IpVersion;
  type: AssetType;
  projectId: number | null;
}

/** Projects by id (small table), for labels; and the ids the name filter selects. */
export async function sdProjects(db: Db, filter: SdFilter): Promise<{ names: Map<number, string>; ids: number[] | null }> {
  const rows = (await db('projects').select('id', 'name')) as { id: number; name: string }[];
  const names = new Map(rows.map((r) => [Number(r.id), r.name]));
  const ids = filter.projects.length ? rows.filter((r) => filter.projects.includes(r.name)).map((r) => Number(r.id)) : null;
  return { names, ids };
}

/**
 * Active assets matching the filter, in address order, in keyset batches. `scope` narrows to one
 * project (null = unassigned) for grouped output. Each batch is an index range walk.
 */
export async function* sdTargetBatches(
  db: Db,
  filter: SdFilter,
  projectIds: number[] | null,
  scope?: { projectId: number | null },
  batchSize = 10_000,
): AsyncGenerator<SdTarget[]> {
  if (projectIds && projectIds.length === 0) return;
  // Keyset per family: "ip_version = ? AND ip_key > ?" is an index range on every (…, archived, ip_version, ip_key) index.
  for (const version of [4, 6] as const) {
    let lastKey: string | null = null;
    for (;;) {
      const q = db('ip_assets as a').select('a.ip_address', 'a.ip_key', 'a.type', 'a.project_id').where('a.archived', false).where('a.ip_version', version);
      if (filter.onlyAssigned) q.whereNotNull('a.project_id');
      if (projectIds) q.whereIn('a.project_id', projectIds);
      if (filter.types.length) q.whereIn('a.type', filter.types);
      if (scope) {
        if (scope.projectId === null) q.whereNull('a.project_id');
        else q.where('a.project_id', scope.projectId);
      }
      if (lastKey !== null) q.where('a.ip_key', '>', lastKey);
      const rows = (await q.orderBy('a.ip_key').limit(batchSize)) as { ip_address: string; ip_key: string; type: AssetType; project_id: number | null }[];
      if (rows.length > 0) yield rows.map((r) => ({ address: r.ip_address, version, type: r.type, projectId: r.project_id === null ? null : Number(r.project_id) }));
      if (rows.length < batchSize) break;
      lastKey = rows[rows.length - 1]!.ip_key;
    }
  }
}

/** The distinct projects (null = unassigned) that have matching active assets. */
export async function sdProjectIdsPresent(db: Db, filter: SdFilter, projectIds: number[] | null): Promise<(number | null)[]> {
  if (projectIds && projectIds.length === 0) return [];
  const q = db('ip_assets').distinct('project_id').where('archived', false);
  if (filter.onlyAssigned) q.whereNotNull('project_id');
  if (projectIds) q.whereIn('project_id', projectIds);
  if (filter.types.length) q.whereIn('type', filter.types);
  const rows = (await q) as { project_id: number | null }[];
  return rows.map((r) => (r.project_id === null ? null : Number(r.project_id)));
}
