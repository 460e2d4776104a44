/**
 * GraphQL (issue 16): 100 pools with utilization and counts, and 1,000 reservations with their
 * pool, on the 1M-asset dataset (SQLite). Runs on a private copy of the cached dataset (this
 * branch's migrations are applied to it; the shared cache is left as it is). Target: < 100 ms.
 * Measures execution through the GraphQL server (parse, limits, resolvers, loaders, SQL), no HTTP.
 * IPOCKET_BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL instead: a database is created
 * there (IPOCKET_BENCH_KEEP=1 keeps it), given the same number of assets (10.0.0.0/8, through the counters' triggers as an import
 * writes them) and dropped again.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { openDatabase } from '../src/db/connection.js';
import { bulkInsert } from '../src/db/helpers/bulk-write.js';
import { migrateLatest } from '../src/db/migrate.js';
import { buildContext } from '../src/graphql/context.js';
import { graphqlServer } from '../src/graphql/server.js';
import { servicesConfig } from '../src/plugins/catalog.js';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/services/index.js';
import { SYSTEM_ACTOR, type Actor } from '../src/services/context.js';
import { bigIntToKey } from '../src/domain/ip/address.js';
import { formatTimestamp } from '../src/domain/time.js';
import { benchDbFile } from './dataset.js';
import { pgBenchDataset } from './pg-dataset.js';
import { fmt, measure } from './stats.js';

const QUERIES: Record<string, string> = {
  'ipPools (100) + utilization': '{ ipPools(filters: { q: "gql-bench-" }) { id poolName networkCidr status utilization { used usable percent } } }',
  'ipPools (100) + seed counters': '{ ipPools(filters: { q: "gql-bench-" }) { id poolName totalAddresses reservedCount assignedCount availableCount utilizationPercent } }',
  'ipReservations (1,000) + pool': '{ ipReservations(filters: { limit: 1000, live: true }) { id ipAddress subscriberId status pool { poolName } } }',
  'both (issue 16 query)': '{ ipPools(filters: { q: "gql-bench-" }) { id poolName utilization { used usable percent } } ipReservations(filters: { limit: 1000, live: true }) { id ipAddress subscriberId pool { poolName } } }',
  'ipAssets (100) + project, host, tags': '{ ipAssets(limit: 100, offset: 500000) { total items { ipAddress type project { name } host { name } tagChips { name color } } } }',
};

const PG_URL = process.env.IPOCKET_BENCH_DATABASE_URL ?? '';
const RUNS = 20;
const WARMUP = 3;

/** n IP assets in 10.0.0.0/8, through the counters' triggers as an import writes them. */
async function fillAssets(db: Knex, n: number): Promise<void> {
  const now = formatTimestamp(new Date());
  const started = Date.now();
  for (let from = 0; from < n; from += 10_000) {
    const rows = Array.from({ length: Math.min(10_000, n - from) }, (_, k) => {
      const v4 = 0x0a000000 + from + k;
      const ip = [v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255].join('.');
      return { ip_address: ip, ip_version: 4, ip_key: bigIntToKey(0xffff00000000n + BigInt(v4)), type: 'OS', project_id: null, host_id: null, notes: null, archived: false, last_seen_at: null, created_at: now, updated_at: now };
    });
    await db.transaction((trx) => bulkInsert(trx, 'ip_assets', rows));
    process.stderr.write(`\r  ${(from + rows.length).toLocaleString('en')} assets`);
  }
  await db.raw('VACUUM ANALYZE');
  process.stderr.write(`\r  ${n.toLocaleString('en')} assets in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

/**
 * CPU seconds the database's server processes have used so far: on PostgreSQL the backends of this
 * database (a server on this machine: their /proc/<pid>/stat), NaN elsewhere. With the machine
 * shared, CPU per query says more than wall-clock time.
 */
async function dbCpuSeconds(db: Knex): Promise<number> {
  if (!PG_URL) return Number.NaN;
  const { rows } = (await db.raw('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')) as { rows: { pid: number }[] };
  let sum = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      sum += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return Number.NaN;
    }
  }
  return sum;
}

export async function run(): Promise<void> {
  const n = Number(process.env.IPOCKET_BENCH_GRAPHQL_ASSETS ?? 1_000_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'ipocket-gql-bench-'));
  let db: Knex;
  let drop: () => Promise<void>;
  if (PG_URL) ({ db, drop } = await pgBenchDataset(PG_URL, 'ipocket_bench_graphql', n, (pg) => fillAssets(pg, n)));
  else {
    const file = path.join(dir, 'bench.sqlite');
    copyFileSync(await benchDbFile(n), file);
    const sqlite = openDatabase({ client: 'sqlite', filename: file });
    await migrateLatest(sqlite);
    db = sqlite;
    drop = () => sqlite.destroy();
  }
  try {
    const settings = servicesConfig(loadConfig({ IPOCKET_DATA_DIR: dir }));
    const s = createServices({ db, actor: SYSTEM_ACTOR }, settings);
    // A kept PostgreSQL dataset (IPOCKET_BENCH_KEEP=1) has its pools from the run that built it.
    const made = (await db('ranges').where('name', 'like', 'gql-bench-%').count({ n: '*' })) as { n: number | string }[];
    for (let i = Number(made[0]?.n ?? 0) === 100 ? 100 : 0; i < 100; i++) {
      const p = await s.pools.create({ pool_name: `gql-bench-${i}`, pool_type: 'IPV4_PRIVATE', network_cidr: `172.20.${i}.0/24` });
      await s.reservations.reserveBatch({ pool_id: p.id, subscriber_id: `gql-bench-sub-${i}`, count: 10 });
    }
    const viewer: Actor = { userId: null, username: 'bench', role: 'viewer' };
    const yoga = graphqlServer();
    console.log(`\nGraphQL on ${PG_URL ? 'PostgreSQL' : 'SQLite'}, ${n.toLocaleString('en')} assets, 100 pools, 1,000 reservations (ms, p50 / p90 / p95 of ${RUNS}; CPU per query: this process, and on PostgreSQL its backends; the load average is printed: the machine is shared)`);
    const rows: Record<string, string>[] = [];
    for (const [name, query] of Object.entries(QUERIES)) {
      let statements = 0;
      const count = () => void statements++;
      const once = async () => {
        const res = await yoga.fetch('http://127.0.0.1/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }, buildContext(viewer, createServices({ db, actor: viewer }, settings), false));
        const body = (await res.json()) as { errors?: unknown };
        if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
      };
      db.on('query', count);
      await once();
      db.off('query', count);
      const cpu0 = process.cpuUsage();
      const db0 = await dbCpuSeconds(db);
      const st = await measure(once, RUNS, WARMUP);
      const db1 = await dbCpuSeconds(db);
      const cpu = process.cpuUsage(cpu0);
      const calls = RUNS + WARMUP;
      rows.push({
        query: name,
        statements: String(statements),
        p50: fmt(st.median),
        p90: fmt(st.p90),
        p95: fmt(st.p95),
        'app CPU ms': fmt((cpu.user + cpu.system) / 1000 / calls),
        'db CPU ms': Number.isNaN(db0) || Number.isNaN(db1) ? '-' : fmt(((db1 - db0) * 1000) / calls),
      });
    }
    console.table(rows);
    console.log(`load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  } finally {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
