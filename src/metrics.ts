/**
 * Every Prometheus metric ipocket exposes, declared once. Each app gets its own Registry (tests
 * build many apps in one process). Inventory gauges are computed from SQL aggregates when scraped.
 */
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from './db/connection.js';
import { collectInventoryStats, type InventoryStats } from './services/inventory-stats.js';

export interface AppMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Drops cached inventory counts (after a write through this instance), so the next scrape is fresh. */
  invalidate(): void;
}

export interface MetricsOptions {
  /**
   * A scrape reuses inventory counts computed less than this long ago (one SQL pass serves
   * concurrent and rapid scrapes; the aggregate costs ~1 s per million assets on SQLite). 0 = always fresh.
   */
  maxAgeMs?: number;
  /** Collect process_* and nodejs_* metrics. */
  processMetrics?: boolean;
}

/** Builds the registry and its metrics for one app. */
export function createMetrics(db: Db, options: MetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  const maxAgeMs = options.maxAgeMs ?? 5000;
  let cached: { at: number; stats: Promise<InventoryStats> } | null = null;
  /** Single-flight: every gauge of one scrape (and scrapes within maxAgeMs) share one computation. */
  const stats = (): Promise<InventoryStats> => {
    const now = Date.now();
    if (!cached || now - cached.at > Math.max(maxAgeMs, 1000)) {
      const promise = collectInventoryStats(db);
      cached = { at: now, stats: promise };
      promise.catch(() => (cached = null));
    }
    return cached.stats;
  };

  // The original ipocket's gauge names (kept so existing dashboards and alerts work).
  new Gauge({
    name: 'ipam_ip_total',
    help: 'IP assets in the inventory, archived included (as the original ipocket counts).',
    registers: [registry],
    async collect() {
      this.set(sum((await stats()).groups, () => true));
    },
  });
  new Gauge({
    name: 'ipam_ip_archived_total',
    help: 'Archived IP assets.',
    registers: [registry],
    async collect() {
      this.set(sum((await stats()).groups, (g) => g.archived));
    },
  });
  new Gauge({
    name: 'ipam_ip_unassigned_project_total',
    help: 'Active IP assets without a project.',
    registers: [registry],
    async collect() {
      this.set(sum((await stats()).groups, (g) => !g.archived && g.projectId === null));
    },
  });
  new Gauge({
    name: 'ipocket_ip_assets',
    help: 'Active IP assets per project ("unassigned" for none) and type.',
    labelNames: ['project', 'type'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const g of (await stats()).groups) if (!g.archived) this.inc({ project: g.projectName ?? 'unassigned', type: g.type }, g.count);
    },
  });
  const rangeLabels = ['range', 'cidr'] as const;
  new Gauge({
    name: 'ipocket_range_used_addresses',
    help: 'Usable addresses of a range taken by active IP assets.',
    labelNames: rangeLabels,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await stats()).ranges) this.set({ range: r.name, cidr: r.cidr }, r.utilization.used);
    },
  });
  new Gauge({
    name: 'ipocket_range_usable_addresses',
    help: 'Usable addresses of a range (IPv4 excludes network and broadcast except /31 and /32).',
    labelNames: rangeLabels,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await stats()).ranges) this.set({ range: r.name, cidr: r.cidr }, Number(r.utilization.usable));
    },
  });
  new Gauge({
    name: 'ipocket_range_utilization_ratio',
    help: 'Used / usable addresses of a range (0..1).',
    labelNames: rangeLabels,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of (await stats()).ranges) this.set({ range: r.name, cidr: r.cidr }, r.utilization.percent / 100);
    },
  });
  const httpDuration = new Histogram({
    name: 'ipocket_http_request_duration_seconds',
    help: 'API request duration by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return { registry, httpDuration, invalidate: () => void (cached = null) };
}

function sum(groups: InventoryStats['groups'], pick: (g: InventoryStats['groups'][number]) => boolean): number {
  let n = 0;
  for (const g of groups) if (pick(g)) n += g.count;
  return n;
}
