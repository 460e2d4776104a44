/**
 * Range drill-down (issue 6): first, middle and last pages of all/used/free for the /8 with
 * ~870k used addresses and for the IPv6 /64 of the 1M-asset dataset. Target: < 50 ms each.
 */
import { SYSTEM_ACTOR } from '../src/services/context.js';
import { RangeAddressesService } from '../src/services/ranges/addresses.js';
import { RangesService } from '../src/services/ranges/service.js';
import { openBenchDb } from './dataset.js';
import { fmt, measure } from './stats.js';

export async function run(): Promise<void> {
  const n = Number(process.env.IPOCKET_BENCH_RANGE_ASSETS ?? 1_000_000);
  const db = await openBenchDb(n);
  const ctx = { db, actor: SYSTEM_ACTOR };
  const drill = new RangeAddressesService(ctx);
  const ranges = (await db('ranges').select('id', 'cidr').whereIn('cidr', ['10.0.0.0/8', '2001:db8::/64'])) as { id: number; cidr: string }[];
  console.log(`\nRange drill-down on SQLite, ${n.toLocaleString('en')} assets, 50 rows a page (ms, median / p95 of 20)`);
  const rows: Record<string, string>[] = [];
  for (const r of ranges) {
    for (const status of ['all', 'used', 'free'] as const) {
      const total = BigInt((await drill.list(r.id, { status, limit: 1 })).total);
      const pages: [string, bigint][] = [['first', 0n], ['middle', total / 2n], ['last', total > 50n ? total - 50n : 0n]];
      for (const [where, offset] of pages) {
        let shown = '';
        const s = await measure(async () => {
          const page = await drill.list(r.id, { status, limit: 50, offset: offset.toString() });
          shown = page.items[0]?.ip_address ?? '-';
        });
        rows.push({ range: r.cidr, status, page: where, offset: offset.toString(), first: shown, total: total.toString(), median: fmt(s.median), p95: fmt(s.p95) });
      }
    }
  }
  console.table(rows);
  const u = await measure(() => new RangesService(ctx).get(ranges[0]!.id), 5, 1);
  console.log(`(for comparison: RangesService.get of the /8, an index COUNT, ${fmt(u.median)} ms)`);
  await db.destroy();
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
