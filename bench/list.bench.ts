/** The IP list service (issue 2): first page, deep page, text search, tag filter, project filter. */
import { AssetsService } from '../src/services/assets/service.js';
import { SYSTEM_ACTOR } from '../src/services/context.js';
import type { AssetListQuery } from '../src/services/schemas/assets.js';
import { openBenchDb } from './dataset.js';
import { benchSizes, fmt, measure } from './stats.js';

const CASES: [string, (n: number) => AssetListQuery][] = [
  ['first page (20)', () => ({ limit: 20 })],
  ['deep page (offset n/2)', (n) => ({ limit: 20, offset: Math.floor(n / 2) })],
  ['text search "database"', () => ({ q: 'database', limit: 20 })],
  ['text search rare "gateway ldap 9"', () => ({ q: 'gateway ldap 9', limit: 20 })],
  ['IP prefix search "10.1.2."', () => ({ q: '10.1.2.', limit: 20 })],
  ['IP prefix search "10.1.2" (3 windows)', () => ({ q: '10.1.2', limit: 20 })],
  ['CIDR search "10.1.0.0/16"', () => ({ q: '10.1.0.0/16', limit: 20 })],
  ['CIDR search "10.0.128.0/24"', () => ({ q: '10.0.128.0/24', limit: 20 })],
  ['host name search "host-000123"', () => ({ q: 'host-000123', limit: 20 })],
  ['host name search "host-0001" (many)', () => ({ q: 'host-0001', limit: 20 })],
  ['not seen for 30 days', () => ({ not_seen_days: 30, limit: 20 }) as AssetListQuery],
  ['tag any [critical]', () => ({ tags: ['critical'] as never, limit: 20 })],
  ['tag all [prod, web]', () => ({ tags: ['prod', 'web'] as never, tag_match: 'all', limit: 20 })],
  ['tag not [prod]', () => ({ tags: ['prod'] as never, tag_match: 'not', limit: 20 })],
  ['project 7', () => ({ project_id: 7, limit: 20 })],
  ['unassigned', () => ({ project_id: 'unassigned', limit: 20 })],
  ['type BMC', () => ({ type: ['BMC'] as never, limit: 20 })],
  ['project 7 + type VM + tag web', () => ({ project_id: 7, type: ['VM'] as never, tags: ['web'] as never, limit: 20 })],
];

export async function run(): Promise<void> {
  for (const n of benchSizes()) {
    const db = await openBenchDb(n);
    const assets = new AssetsService({ db, actor: SYSTEM_ACTOR });
    console.log(`\nAssetsService.list on SQLite, ${n.toLocaleString('en')} assets (ms, median / p95 of 20)`);
    const rows: Record<string, string>[] = [];
    for (const [name, q] of CASES) {
      let total = 0;
      const s = await measure(async () => {
        total = (await assets.list(q(n))).total;
      });
      rows.push({ case: name, median: fmt(s.median), p95: fmt(s.p95), total: total.toLocaleString('en') });
    }
    console.table(rows);
    await db.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
