import type { AssetType } from '../domain/asset-types.js';
import type { Db } from '../db/connection.js';
import { stringAggSql } from '../db/helpers/string-agg.js';

/** Which active assets Prometheus service discovery should list. */
export interface SdFilter {
  onlyAssigned: boolean;
  /** Project names (the original's `project` parameter); unknown names match nothing. */
  projects: string[];
  types: AssetType[];
}

/** One batch of targets, already serialised by the database, with what the group labels need. */
export interface SdChunk {
  /** `"a:port","b:port",…` (JSON strings joined by commas; addresses never need escaping). */
  targets: string;
  count: number;
  typeMin: string;
  typeMax: string;
  /** Project ids, 0 standing for unassigned. */
  projectMin: number;
  projectMax: number;
}

/** Projects by id (small table), for labels; and the ids the name filter selects. */
export async function sdProjects(db: Db, filter: SdFilter): Promise<{ names: Map<number, string>; ids: number[] | null }> {
  const rows = (await db('projects').select('id', 'name')) as { id: number; name: string }[];
  const names = new Map(rows.map((r) => [Number(r.id), r.name]));
  const ids = filter.projects.length ? rows.filter((r) => filter.projects.includes(r.name)).map((r) => Number(r.id)) : null;
  return { names, ids };
}

/**
 * Active assets matching the filter as `"ip:port"` strings, in address order, in keyset batches
 * per family ("ip_version = ? AND ip_key > ?": an index range). The database concatenates each
 * batch, so a million targets cost about a second of SQLite time and no per-row JS objects.
 * `scope` narrows to one project (null = unassigned) for grouped output.
 */
export async function* sdTargetChunks(
  db: Db,
  filter: SdFilter,
  projectIds: number[] | null,
  port: number,
  scope?: { projectId: number | null },
  batchSize = 50_000,
): AsyncGenerator<SdChunk> {
  if (projectIds && projectIds.length === 0) return;
  for (const version of [4, 6] as const) {
    // IPv6 targets are bracketed: "[2001:db8::1]:9100".
    const [open, close] = version === 6 ? ['"[', `]:${port}"`] : ['"', `:${port}"`];
    const agg = stringAggSql(db, `(? || b.ip_address || ?)`, ',', 'b.ip_key');
    let lastKey = '';
    for (;;) {
      const inner = db('ip_assets as a').select('a.ip_address', 'a.ip_key', 'a.type', 'a.project_id').where('a.archived', false).where('a.ip_version', version).where('a.ip_key', '>', lastKey);
      if (filter.onlyAssigned) inner.whereNotNull('a.project_id');
      if (projectIds) inner.whereIn('a.project_id', projectIds);
      if (filter.types.length) inner.whereIn('a.type', filter.types);
      if (scope) {
        if (scope.projectId === null) inner.whereNull('a.project_id');
        else inner.where('a.project_id', scope.projectId);
      }
      inner.orderBy('a.ip_key').limit(batchSize);
      const row = (await db
        .select(
          db.raw(`${agg} AS targets`, [open, close]),
          db.raw('COUNT(*) AS n'),
          db.raw('MAX(b.ip_key) AS last_key'),
          db.raw('MIN(b.type) AS type_min'),
          db.raw('MAX(b.type) AS type_max'),
          db.raw('MIN(COALESCE(b.project_id, 0)) AS project_min'),
          db.raw('MAX(COALESCE(b.project_id, 0)) AS project_max'),
        )
        .from(inner.as('b'))
        .first()) as { targets: string | null; n: number | string; last_key: string | null; type_min: string; type_max: string; project_min: number | string; project_max: number | string } | undefined;
      const n = Number(row?.n ?? 0);
      if (!row || n === 0) break;
      yield { targets: row.targets ?? '', count: n, typeMin: row.type_min, typeMax: row.type_max, projectMin: Number(row.project_min), projectMax: Number(row.project_max) };
      if (n < batchSize) break;
      lastKey = row.last_key!;
    }
  }
}

/** The projects (null = unassigned) that have matching active assets, from the trigger-kept counters (a few rows). */
export async function sdProjectIdsPresent(db: Db, filter: SdFilter, projectIds: number[] | null): Promise<(number | null)[]> {
  if (projectIds && projectIds.length === 0) return [];
  // ip_asset_counts (migration 007): project_id 0 stands for unassigned.
  const q = db('ip_asset_counts').distinct('project_id').where('archived', false).where('n', '>', 0);
  if (filter.onlyAssigned) q.whereNot('project_id', 0);
  if (projectIds) q.whereIn('project_id', projectIds);
  if (filter.types.length) q.whereIn('type', filter.types);
  const rows = (await q) as { project_id: number }[];
  return rows.map((r) => (Number(r.project_id) === 0 ? null : Number(r.project_id)));
}
