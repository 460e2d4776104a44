import type { AssetType } from '../domain/asset-types.js';
import type { Db } from '../db/connection.js';
import { toBool } from './context.js';

/** Assets per (archived, project, type): the one aggregate behind every inventory gauge. */
export interface AssetGroupCount {
  archived: boolean;
  projectId: number | null;
  projectName: string | null;
  type: AssetType;
  count: number;
}

/**
 * Asset counts per (archived, project, type) from the trigger-kept counters (migration 007):
 * a few rows, whatever the table size.
 */
export async function assetGroupCounts(db: Db): Promise<AssetGroupCount[]> {
  // project_id 0 stands for "unassigned" in the counters table.
  const rows = (await db('ip_asset_counts').select('archived', 'project_id', 'type', 'n').where('n', '>', 0)) as {
    archived: unknown;
    project_id: number;
    type: AssetType;
    n: number | string;
  }[];
  const projects = new Map(((await db('projects').select('id', 'name')) as { id: number; name: string }[]).map((p) => [Number(p.id), p.name]));
  return rows.map((r) => {
    const projectId = Number(r.project_id) === 0 ? null : Number(r.project_id);
    return { archived: toBool(r.archived), projectId, projectName: projectId === null ? null : (projects.get(projectId) ?? `#${projectId}`), type: r.type, count: Number(r.n) };
  });
}
