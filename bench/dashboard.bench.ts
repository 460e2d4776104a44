/** The panel dashboard's data (issue 6) with 1,000 ranges and 1M assets. Target: < 500 ms. */
import { dashboardData } from '../src/services/dashboard.js';
import { openBenchDb } from './dataset.js';
import { fmt, measure } from './stats.js';

export async function run(): Promise<void> {
  const n = Number(process.env.IPOCKET_BENCH_DASHBOARD_ASSETS ?? 1_000_000);
  const db = await openBenchDb(n);
  const data = await dashboardData(db);
  const s = await measure(() => dashboardData(db), 10, 2);
  console.log(`\nDashboard data on SQLite: ${n.toLocaleString('en')} assets, ${data.ranges.length} ranges (ms, median / p95 of 10)`);
  console.table([{ case: 'dashboardData', median: fmt(s.median), p95: fmt(s.p95), ranges: data.ranges.length, ip_assets: data.totals.ip_assets, used_in_ranges: data.ranges.reduce((t, r) => t + r.used, 0) }]);
  await db.destroy();
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
