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
 * Counts for /metrics and dashboards, from SQL aggregates: a SUM-ready read of the counters table
 * (independent of the table size) and one statement for every range's utilization (index range
 * counts, so it grows with the assets inside ranges; callers cache it briefly).
 */
export async function collectInventoryStats(db: Db): Promise<InventoryStats> {
  // The trigger-kept counters (migration 007): a few rows, whatever the table size. project_id 0 = unassigned.
  const rows = (await db('ip_asset_counts').select('archived', 'project_id', 'type', 'n').where('n', '>', 0)) as {
    archived: unknown;
    project_id: number;
    type: AssetType;
    n: number | string;
  }[];
  const projects = new Map(((await db('projects').select('id', 'name')) as { id: number; name: string }[]).map((p) => [Number(p.id), p.name]));
  const groups = rows.map((r) => {
    const projectId = Number(r.project_id) === 0 ? null : Number(r.project_id);
    return { archived: toBool(r.archived), projectId, projectName: projectId === null ? null : (projects.get(projectId) ?? `#${projectId}`), type: r.type, count: Number(r.n) };
  });
  const ranges = await new RangesService({ db, actor: SYSTEM_ACTOR }).list();
  return { groups, ranges };
}
