import type { Knex } from 'knex';
import { describeChanges, diffFields, type FieldValue } from '../../domain/changes.js';
import type { Db } from '../../db/connection.js';
import { AuditService } from '../audit.js';
import { toBool, type ServiceContext } from '../context.js';

/** An asset's fields as its history shows them (names, not ids). */
export interface AssetSnapshot {
  id: number;
  ip_address: string;
  view: Record<string, FieldValue>;
}

/**
 * The assets a query selects (over `ip_assets as a`), keyed by id, for writes that change assets
 * from elsewhere (a host linking or unlinking its IPs): snapshot before, snapshot after, and
 * `recordAssetChanges` writes each address's entry.
 */
export async function snapshotAssets(db: Db, where: (q: Knex.QueryBuilder) => void): Promise<Map<number, AssetSnapshot>> {
  const q = db('ip_assets as a')
    .leftJoin('projects as p', 'p.id', 'a.project_id')
    .leftJoin('hosts as h', 'h.id', 'a.host_id')
    .select('a.id', 'a.ip_address', 'a.type', 'a.archived', 'p.name as project', 'h.name as host')
    .where(where);
  const rows = (await q) as { id: number; ip_address: string; type: string; archived: unknown; project: string | null; host: string | null }[];
  return new Map(rows.map((r) => [Number(r.id), { id: Number(r.id), ip_address: r.ip_address, view: { type: r.type, project: r.project, host: r.host, archived: toBool(r.archived) } }]));
}

/** One IP_ASSET entry per address that appeared (CREATE) or changed (UPDATE) between two snapshots. */
export async function recordAssetChanges(ctx: ServiceContext, before: Map<number, AssetSnapshot>, after: Map<number, AssetSnapshot>): Promise<void> {
  const entries = [];
  for (const a of after.values()) {
    const was = before.get(a.id);
    const changes = diffFields(was?.view ?? {}, a.view);
    if (changes.length === 0) continue;
    entries.push({ targetType: 'IP_ASSET', targetId: a.id, targetLabel: a.ip_address, action: was ? ('UPDATE' as const) : ('CREATE' as const), changes: describeChanges(changes) });
  }
  await new AuditService(ctx).record(entries);
}
