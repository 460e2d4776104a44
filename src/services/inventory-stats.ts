import type { AssetType } from '../domain/asset-types.js';
import type { Db } from '../db/connection.js';
import { toBool } from './context.js';
import { RangesService, type RangeWithUtilization } from './ranges.js';
import { SYSTEM_ACTOR } from './context.js';

/** Assets per (archived, project, type): the one aggregate behind every inventory gauge. */
export interface AssetGroupCount {
  archived: boolean;
  projectId: number | null;
  projectName: string | null;
  type: AssetType;
  count: number;
}

export interface InventoryStats {
  groups: AssetGroupCount[];
  ranges: RangeWithUtilization[];
}

/**
 * Counts for /metrics and dashboards, from SQL aggregates: one GROUP BY over ip_assets (an
 * index-only scan of ip_assets_stats) and one statement for every range's utilization.
 * Cost grows with the number of assets (about 1 s per million on SQLite), so callers cache it.
 */
export async function collectInventoryStats(db: Db): Promise<InventoryStats> {
  const rows = (await db('ip_assets')
    .select('archived', 'project_id', 'type')
    .count({ n: '*' })
    .groupBy('archived', 'project_id', 'type')) as { archived: unknown; project_id: number | null; type: AssetType; n: number | string }[];
  const projects = new Map(((await db('projects').select('id', 'name')) as { id: number; name: string }[]).map((p) => [Number(p.id), p.name]));
  const groups = rows.map((r) => {
    const projectId = r.project_id === null ? null : Number(r.project_id);
    return { archived: toBool(r.archived), projectId, projectName: projectId === null ? null : (projects.get(projectId) ?? `#${projectId}`), type: r.type, count: Number(r.n) };
  });
  const ranges = await new RangesService({ db, actor: SYSTEM_ACTOR }).list();
  return { groups, ranges };
}
