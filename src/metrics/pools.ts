import { Gauge, type Registry } from 'prom-client';

/** One pool's figures for /metrics (from the pool stats service, see src/services/pools/stats.ts). */
export interface PoolMetric {
  pool: string;
  cidr: string;
  pool_type: string;
  status: string;
  total: number;
  reserved: number;
  assigned: number;
  available: number;
  /** 0..1 */
  utilization: number;
  /** 0..1 (the pool's utilization alert threshold) */
  threshold: number;
  projectedDepletion: Date | null;
}

/**
 * The per-pool gauges the alerting rules in deploy/prometheus/ipocket-pools.rules.yml read (a
 * test checks every name they use is declared here). All gauges of one scrape share one load.
 */
export function registerPoolGauges(registry: Registry, load: () => Promise<PoolMetric[]>): void {
  let pending: Promise<PoolMetric[]> | null = null;
  const snapshot = (): Promise<PoolMetric[]> => (pending ??= load().finally(() => setImmediate(() => (pending = null))));
  const gauge = (name: string, help: string, labels: readonly string[], fill: (g: Gauge<string>, p: PoolMetric) => void): void => {
    new Gauge({
      name,
      help,
      labelNames: labels,
      registers: [registry],
      async collect() {
        const pools = await snapshot();
        this.reset();
        for (const p of pools) fill(this, p);
      },
    });
  };
  gauge('ipocket_pool_addresses', 'Addresses (or delegable prefixes) of an IP pool by state: total, reserved, assigned, available.', ['pool', 'state'], (g, p) => {
    for (const state of ['total', 'reserved', 'assigned', 'available'] as const) g.set({ pool: p.pool, state }, p[state]);
  });
  gauge('ipocket_pool_utilization_ratio', 'Used / usable addresses of an IP pool (0..1; reserved, assigned and other used).', ['pool', 'cidr', 'pool_type'], (g, p) =>
    g.set({ pool: p.pool, cidr: p.cidr, pool_type: p.pool_type }, p.utilization),
  );
  gauge('ipocket_pool_alert_threshold_ratio', 'The utilization alert threshold of an IP pool (0..1, default 0.8).', ['pool'], (g, p) => g.set({ pool: p.pool }, p.threshold));
  gauge('ipocket_pool_depleted', '1 when an IP pool has no free address (status DEPLETED), else 0.', ['pool'], (g, p) => g.set({ pool: p.pool }, p.available <= 0 ? 1 : 0));
  gauge(
    'ipocket_pool_projected_depletion_timestamp_seconds',
    'When an IP pool runs out at the assignment rate of the last 30 days (Unix seconds); absent when nothing was assigned lately.',
    ['pool'],
    (g, p) => {
      if (p.projectedDepletion) g.set({ pool: p.pool }, Math.floor(p.projectedDepletion.getTime() / 1000));
    },
  );
}
