import type { AssetType } from '../domain/asset-types.js';
import type { Db } from '../db/connection.js';
import { stringAggSql } from '../db/helpers/string-agg.js';
import { whereLive } from '../db/queries/live-assets.js';

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

/** One batch of matching active assets of one family, in address order, as a subquery. */
function batchQuery(db: Db, filter: SdFilter, projectIds: number[] | null, version: 4 | 6, afterKey: string, batchSize: number) {
  const q = db('ip_assets as a').select('a.ip_address', 'a.ip_key', 'a.type', 'a.project_id').modify(whereLive, 'a').where('a.ip_version', version).where('a.ip_key', '>', afterKey);
  if (filter.onlyAssigned) q.whereNotNull('a.project_id');
  if (projectIds) q.whereIn('a.project_id', projectIds);
  if (filter.types.length) q.whereIn('a.type', filter.types);
  return q.orderBy('a.ip_key').limit(batchSize);
}

interface ChunkRow {
  targets: string | null;
  n: number | string;
  last_key: string | null;
  type_min: string;
  type_max: string;
  project_min: number | string;
  project_max: number | string;
}

function toChunk(row: ChunkRow): SdChunk {
  return { targets: row.targets ?? '', count: Number(row.n), typeMin: row.type_min, typeMax: row.type_max, projectMin: Number(row.project_min), projectMax: Number(row.project_max) };
}

/**
 * Active assets matching the filter as `"ip:port"` strings, in address order, in keyset batches
 * per family ("ip_version = ? AND ip_key > ?": an index range, read in table order). The database
 * concatenates each batch, so a million targets cost under a second of SQLite time and no per-row
 * JS objects. With `byProject`, each batch is split per project (one chunk per project present in
 * it, projectMin = projectMax = the project, 0 = unassigned): one pass serves the grouped answer.
 */
export async function* sdTargetChunks(db: Db, filter: SdFilter, projectIds: number[] | null, port: number, options: { byProject?: boolean; batchSize?: number } = {}): AsyncGenerator<SdChunk[]> {
  if (projectIds && projectIds.length === 0) return;
  const batchSize = options.batchSize ?? 50_000;
  for (const version of [4, 6] as const) {
    // IPv6 targets are bracketed: "[2001:db8::1]:9100".
    const [open, close] = version === 6 ? ['"[', `]:${port}"`] : ['"', `:${port}"`];
    const agg = stringAggSql(db, `(? || b.ip_address || ?)`, ',', 'b.ip_key');
    let lastKey = '';
    for (;;) {
      let batch = batchQuery(db, filter, projectIds, version, lastKey, batchSize);
      // Grouping re-sorts by project; keep address order inside each project for group_concat.
      if (options.byProject) batch = db.select('*').from(batch.as('k')).orderBy([{ column: 'k.project_id' }, { column: 'k.ip_key' }]);
      const q = db
        .select(
          db.raw(`${agg} AS targets`, [open, close]),
          db.raw('COUNT(*) AS n'),
          db.raw('MAX(b.ip_key) AS last_key'),
          db.raw('MIN(b.type) AS type_min'),
          db.raw('MAX(b.type) AS type_max'),
          db.raw('MIN(COALESCE(b.project_id, 0)) AS project_min'),
          db.raw('MAX(COALESCE(b.project_id, 0)) AS project_max'),
        )
        .from(batch.as('b'));
      if (options.byProject) q.groupBy(db.raw('COALESCE(b.project_id, 0)'));
      const rows = ((await q) as ChunkRow[]).filter((r) => Number(r.n) > 0);
      const n = rows.reduce((sum, r) => sum + Number(r.n), 0);
      if (n === 0) break;
      yield rows.map(toChunk);
      if (n < batchSize) break;
      lastKey = rows.reduce((max, r) => (r.last_key! > max ? r.last_key! : max), '');
    }
  }
}

/** Assigned pool addresses of one pool, serialised like SdChunk targets. */
export interface SdPoolChunk {
  poolId: number;
  poolName: string;
  targets: string;
}

/**
 * ASSIGNED single-address pool reservations (issue 19: assigned addresses are live targets;
 * merely reserved ones are not), one chunk per pool and batch, in pool then address order,
 * serialised by the database in keyset batches like the assets above.
 */
export async function* sdAssignedChunks(db: Db, port: number, batchSize = 50_000): AsyncGenerator<SdPoolChunk> {
  const pools = (await db('ip_reservations as v').join('ranges as r', 'r.id', 'v.pool_id').distinct('v.pool_id', 'r.name').where('v.status', 'ASSIGNED').whereNot('v.ip_type', 'ipv6_prefix').orderBy('r.name')) as {
    pool_id: number;
    name: string;
  }[];
  for (const pool of pools) {
    for (const version of [4, 6] as const) {
      const [open, close] = version === 6 ? ['"[', `]:${port}"`] : ['"', `:${port}"`];
      const agg = stringAggSql(db, `(? || b.ip_address || ?)`, ',', 'b.ip_key');
      let lastKey = '';
      for (;;) {
        const batch = db('ip_reservations as v')
          .select('v.ip_address', 'v.ip_key')
          .where({ 'v.pool_id': pool.pool_id, 'v.status': 'ASSIGNED', 'v.ip_version': version })
          .whereNot('v.ip_type', 'ipv6_prefix')
          .where('v.ip_key', '>', lastKey)
          .orderBy('v.ip_key')
          .limit(batchSize);
        const row = (await db.select(db.raw(`${agg} AS targets`, [open, close]), db.raw('COUNT(*) AS n'), db.raw('MAX(b.ip_key) AS last_key')).from(batch.as('b')).first()) as ChunkRow;
        const n = Number(row.n);
        if (n === 0) break;
        yield { poolId: Number(pool.pool_id), poolName: pool.name, targets: row.targets ?? '' };
        if (n < batchSize) break;
        lastKey = row.last_key!;
      }
    }
  }
}
