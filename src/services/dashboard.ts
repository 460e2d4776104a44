import type { Db } from '../db/connection.js';
import { deviceCountFromCounters } from '../db/queries/device-counts.js';
import { AuditService } from './audit.js';
import { SYSTEM_ACTOR } from './context.js';
import { assetGroupCounts } from './inventory-stats.js';
import { rangeUtilizations } from './ranges/utilization.js';
import { countOf } from './rows.js';

export interface DashboardData {
  totals: { ip_assets: number; archived: number; unassigned: number; hosts: number; vendors: number; projects: number };
  ranges: { id: number; name: string; cidr: string; usable: string; used: number; free: string; percent: number; unit?: 'prefix' }[];
  audit: { id: number; at: string; user: string | null; action: string; target_type: string; target: string | null; changes: string | null }[];
}

/**
 * The panel dashboard: asset and (live) device totals from the trigger-kept counters (a few rows,
 * no table scan), plain counts of the small tables, every range's utilization (from the key-space module: block-row
 * sums, the same cost whether a range holds 10 or a million used addresses) and the ten most recent audit entries.
 */
export async function dashboardData(db: Db): Promise<DashboardData> {
  const ctx = { db, actor: SYSTEM_ACTOR };
  const [groups, hosts, vendors, projects, ranges, audit] = await Promise.all([
    assetGroupCounts(db),
    deviceCountFromCounters(db, { archived: 'exclude' }),
    countOf(db('vendors')),
    countOf(db('projects')),
    rangeRows(db),
    new AuditService(ctx).list({ limit: 10 }),
  ]);
  const sum = (pred: (g: (typeof groups)[number]) => boolean): number => groups.filter(pred).reduce((n, g) => n + g.count, 0);
  return {
    totals: { ip_assets: sum((g) => !g.archived), archived: sum((g) => g.archived), unassigned: sum((g) => !g.archived && g.projectId === null), hosts, vendors, projects },
    ranges,
    audit: audit.items.map((a) => ({ id: Number(a.id), at: a.created_at, user: a.username, action: a.action, target_type: a.target_type, target: a.target_label, changes: a.changes })),
  };
}

/** Every range's utilization in the dashboard's wire shape (counts as decimal strings). */
async function rangeRows(db: Db): Promise<DashboardData['ranges']> {
  return (await rangeUtilizations(db)).map(({ id, name, cidr, utilization: u }) => ({ id, name, cidr, usable: String(u.usable), used: u.used, free: String(u.free), percent: u.percent, ...(u.unit ? { unit: u.unit } : {}) }));
}
