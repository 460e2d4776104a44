import type { Db } from '../db/connection.js';
import { AuditService } from './audit.js';
import { SYSTEM_ACTOR } from './context.js';
import { assetGroupCounts } from './inventory-stats.js';
import { tryParseCidr } from '../domain/ip/cidr.js';
import { countOf } from './rows.js';

export interface DashboardData {
  totals: { ip_assets: number; archived: number; unassigned: number; hosts: number; vendors: number; projects: number };
  ranges: { id: number; name: string; cidr: string; usable: string; used: number; free: string; percent: number }[];
  audit: { id: number; at: string; user: string | null; action: string; target_type: string; target: string | null; changes: string | null }[];
}

/**
 * The panel dashboard: asset totals from the trigger-kept counters (a few rows, no table scan),
 * plain counts of the small tables, every range's utilization (block-count sums, see
 * rangeUtilizations: the same cost whether a range holds 10 or a million used addresses) and the ten most recent audit entries.
 */
export async function dashboardData(db: Db): Promise<DashboardData> {
  const ctx = { db, actor: SYSTEM_ACTOR };
  const [groups, hosts, vendors, projects, ranges, audit] = await Promise.all([
    assetGroupCounts(db),
    countOf(db('hosts')),
    countOf(db('vendors')),
    countOf(db('projects')),
    rangeUtilizations(db),
    new AuditService(ctx).list({ limit: 10 }),
  ]);
  const sum = (pred: (g: (typeof groups)[number]) => boolean): number => groups.filter(pred).reduce((n, g) => n + g.count, 0);
  return {
    totals: { ip_assets: sum((g) => !g.archived), archived: sum((g) => g.archived), unassigned: sum((g) => !g.archived && g.projectId === null), hosts, vendors, projects },
    ranges,
    audit: audit.items.map((a) => ({ id: Number(a.id), at: a.created_at, user: a.username, action: a.action, target_type: a.target_type, target: a.target_label, changes: a.changes })),
  };
}

/**
 * Every range by family and network with its used count, in one statement: a range aligned to
 * 65,536- or 256-address blocks sums its ip_key_blocks rows and subtracts the (at most two)
 * assets on its network/broadcast keys; a smaller range counts its ≤ 256 index entries.
 */
async function rangeUtilizations(db: Db): Promise<DashboardData['ranges']> {
  const blocks = (level: number, digits: number): string =>
    `(SELECT COALESCE(SUM(b.n), 0) FROM ip_key_blocks b WHERE b.level = ${level} AND b.block >= substr(r.first_key, 1, ${digits}) AND b.block <= substr(r.last_key, 1, ${digits}))`;
  const assets = (cond: string): string => `(SELECT COUNT(*) FROM ip_assets a WHERE a.archived = ? AND a.ip_version = r.ip_version AND ${cond})`;
  const outside = `${assets('a.ip_key >= r.first_key AND a.ip_key < r.usable_first_key')} - ${assets('a.ip_key > r.usable_last_key AND a.ip_key <= r.last_key')}`;
  const used = `CASE
    WHEN r.prefix <= (CASE WHEN r.ip_version = 4 THEN 16 ELSE 112 END) THEN ${blocks(2, 28)} - ${outside}
    WHEN r.prefix <= (CASE WHEN r.ip_version = 4 THEN 24 ELSE 120 END) THEN ${blocks(1, 30)} - ${outside}
    ELSE ${assets('a.ip_key >= r.usable_first_key AND a.ip_key <= r.usable_last_key')} END`;
  const rows = (await db('ranges as r')
    .select('r.id', 'r.name', 'r.cidr', db.raw(`${used} AS used`, [false, false, false, false, false]))
    .orderBy([{ column: 'r.ip_version' }, { column: 'r.first_key' }, { column: 'r.prefix' }])) as { id: number; name: string; cidr: string; used: number | string }[];
  return rows.map((r) => {
    const usable = tryParseCidr(r.cidr)!.usable;
    const u = BigInt(String(r.used));
    const percent = usable === 0n ? 0 : Number((u * 1_000_000n) / usable) / 10_000;
    return { id: Number(r.id), name: r.name, cidr: r.cidr, usable: usable.toString(), used: Number(u), free: (usable - u).toString(), percent: Math.round(percent * 100) / 100 };
  });
}
