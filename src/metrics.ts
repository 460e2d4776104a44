/**
 * Every Prometheus metric ipocket exposes, declared once. Each app gets its own Registry (tests
 * build many apps in one process). Inventory gauges are computed from SQL aggregates when scraped.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from './db/connection.js';
import { assetGroupCounts, type AssetGroupCount } from './services/inventory-stats.js';
import { rangeUtilizations, type RangeUtilization } from './services/ranges/utilization.js';
import { countFinishedRuns } from './services/run-stats.js';
import { SYSTEM_ACTOR } from './services/context.js';
import { PoolStatsService } from './services/pools/stats.js';
import { registerPoolGauges } from './metrics/pools.js';
import { ReconciliationService } from './services/reconciliation/report.js';


export interface AppMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Marks the cached range and pool utilization stale (after a write through this instance): the next scrape refreshes it. */
  invalidate(): void;
}

export interface MetricsOptions {
  /**
   * Range and pool utilization (the costly aggregates) are served from the last computation and
   * recomputed in the background once older than this (stale-while-revalidate); the first
   * scrape computes it. Asset counts are always fresh (they come from counters).
   */
  rangesMaxAgeMs?: number;
  /** Collect process_* and nodejs_* metrics. */
  processMetrics?: boolean;
}

/** Single-flight read: the gauges of one scrape (collected concurrently) share one query. */
function shared<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => (pending ??= load().finally(() => (pending = null)));
}

/** The last value, refreshed in the background when older than maxAgeMs; only the first call waits. */
function staleWhileRevalidate<T>(load: () => Promise<T>, maxAgeMs: number): { get(): Promise<T>; expire(): void } {
  let value: { at: number; data: T } | null = null;
  let refreshing: Promise<T> | null = null;
  const refresh = (): Promise<T> =>
    (refreshing ??= load()
      .then((data) => ((value = { at: Date.now(), data }), data))
      .finally(() => (refreshing = null)));
  return {
    async get() {
      if (!value) return refresh();
      if (Date.now() - value.at > maxAgeMs) refresh().catch((err: unknown) => console.error('metrics refresh failed:', err));
      return value.data;
    },
    expire() {
      if (value) value.at = 0;
    },
  };
}

/** Builds the registry and its metrics for one app. */
export function createMetrics(db: Db, options: MetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  const groups = shared(() => assetGroupCounts(db));
  const ranges = staleWhileRevalidate(() => rangeUtilizations(db, { inAddresses: true }), options.rangesMaxAgeMs ?? 30_000);
  const stats = async (): Promise<{ groups: AssetGroupCount[] }> => ({ groups: await groups() });

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
  // The original still exports these from before owners were dropped; always 0, kept so its dashboards find them.
  for (const [name, help] of [
    ['ipam_ip_unassigned_owner_total', 'Active IP assets without an owner (the original\'s legacy gauge; owners do not exist: always 0).'],
    ['ipam_ip_unassigned_both_total', 'Active IP assets without project and owner (the original\'s legacy gauge; always 0).'],
  ] as const) {
    new Gauge({ name, help, registers: [registry] }).set(0);
  }
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
  // One gauge per range figure; values are re-set only when a new utilization snapshot arrives.
  const rangeGauge = (name: string, help: string, value: (r: RangeUtilization) => number): void => {
    let applied: RangeUtilization[] | null = null;
    new Gauge({
      name,
      help,
      labelNames: ['range', 'cidr'] as const,
      registers: [registry],
      async collect() {
        const snapshot = await ranges.get();
        if (snapshot === applied) return;
        this.reset();
        for (const r of snapshot) this.set({ range: r.name, cidr: r.cidr }, value(r));
        applied = snapshot;
      },
    });
  };
  rangeGauge('ipocket_range_used_addresses', 'Usable addresses of a range taken by active IP assets.', (r) => r.utilization.used);
  rangeGauge('ipocket_range_usable_addresses', 'Usable addresses of a range (IPv4 excludes network and broadcast except /31 and /32).', (r) => Number(r.utilization.usable));
  rangeGauge('ipocket_range_utilization_ratio', 'Used / usable addresses of a range (0..1).', (r) => r.utilization.percent / 100);
  const httpDuration = new Histogram({
    name: 'ipocket_http_request_duration_seconds',
    help: 'API request duration by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // Read from the runs table, so every instance reports the runs of all (scheduled runs included).
  new Counter({
    name: 'ipocket_import_runs_total',
    help: 'Finished importer and connector runs by plugin and status (succeeded, failed, rejected); failed = the source or the run broke.',
    labelNames: ['plugin', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await countFinishedRuns(db)) this.inc({ plugin: r.plugin, status: r.status }, r.count);
    },
  });
  // Static IP pools by state, threshold and projected depletion (read by deploy/prometheus/ipocket-pools.rules.yml).
  // Costs a few statements per pool, so served like the range gauges (last value, refreshed in the background).
  const pools = staleWhileRevalidate(() => new PoolStatsService({ db, actor: SYSTEM_ACTOR }).metrics(), options.rangesMaxAgeMs ?? 30_000);
  registerPoolGauges(registry, () => pools.get());
  // Reconciliation report counts (issue 15), at the report's default window of 30 days; three indexed counts, served like the pool gauges.
  const reconciliation = staleWhileRevalidate(() => new ReconciliationService({ db, actor: SYSTEM_ACTOR }).counts(), options.rangesMaxAgeMs ?? 30_000);
  new Gauge({
    name: 'ipocket_reconciliation_addresses',
    help: 'Addresses the sources and the inventory disagree on, by kind: unknown (seen, not in inventory), reclaimable (not seen for 30 days), mismatch (device in another project).',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const counts = await reconciliation.get();
      this.reset();
      for (const [kind, n] of Object.entries(counts)) this.set({ kind }, n);
    },
  });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration,
    invalidate: () => {
      ranges.expire();
      pools.expire();
    },
  };
}

function sum(groups: AssetGroupCount[], pick: (g: AssetGroupCount) => boolean): number {
  let n = 0;
  for (const g of groups) if (pick(g)) n += g.count;
  return n;
}
