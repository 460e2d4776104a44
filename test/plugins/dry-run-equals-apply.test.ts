/**
 * Property: for every plugin, an apply writes exactly what its dry run showed. A varied database
 * (hosts with OS/BMC IPs, projects, tags, notes, archived rows) is seeded from a seeded PRNG, a
 * generated batch is run as a dry run and then applied, and the database diff (every row of every
 * inventory table, host_id/project_id included) must equal the dry-run plan's CREATE/UPDATE records
 * and field diffs; rows the plan does not name must be byte-identical.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { bundlePlugin } from '../../plugins/bundle/index.js';
import { csvPlugin } from '../../plugins/csv/index.js';
import { nmapPlugin } from '../../plugins/nmap/index.js';
import { prometheusPlugin } from '../../plugins/prometheus/index.js';
import { vcenterPlugin } from '../../plugins/vcenter/index.js';
import type { FieldValue } from '../../src/domain/changes.js';
import { DEFAULT_TAG_COLOR } from '../../src/domain/tags.js';
import { formatTimestamp } from '../../src/domain/time.js';
import type { Plugin, PluginFile } from '../../src/plugins/define-plugin.js';
import type { Plan } from '../../src/plugins/reconcile/index.js';
import { runPlugin } from '../../src/plugins/runner.js';
import { startFakePrometheus, vectorOf, type FakePrometheus } from '../fakes/prometheus.js';
import { startFakeVcenter, type FakeVcenter, type FakeVcenterOptions } from '../fakes/vcenter.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { EDITOR, servicesFor } from '../helpers/services.js';

/** Batches per plugin (bounded: each one reseeds, plans twice and snapshots three times). */
const ROUNDS = Number(process.env.IPOCKET_PROPERTY_ROUNDS ?? 8);

/** mulberry32: small, seeded, reproducible (a failure names its seed). */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number): boolean => next() < p;
  const some = <T,>(xs: readonly T[], p = 0.4): T[] => xs.filter(() => chance(p));
  return { int, pick, chance, some };
}
type Rng = ReturnType<typeof prng>;

const V4 = Array.from({ length: 16 }, (_, i) => `10.20.0.${i + 1}`);
const V6 = ['2001:db8:20::1', '2001:db8:20::2', '2001:db8:20::3'];
/** The addresses in the repo's real Nmap scans (plugins/nmap/fixtures). */
const NMAP_IPS = ['127.0.0.0', '127.0.0.1', '127.0.0.2', '127.0.0.3', '::1'];
const POOL = [...V4, ...V6, ...NMAP_IPS];
const PROJECTS = ['core', 'edge', 'web-prod'];
const HOSTS = ['web-01', 'web-02', 'db-01', 'esx-a'];
const TAGS = ['prod', 'db', 'lab', 'backup'];
const TYPES = ['VM', 'OS', 'BMC', 'VIP', 'OTHER'] as const;
const SEEN = ['2025-03-01 10:00:00', '2025-06-01 10:00:00'];

/** Seeds the varied database through the services (as users and earlier runs would have). */
async function clear(db: Knex): Promise<void> {
  for (const table of ['ip_asset_tags', 'ip_assets', 'hosts', 'ranges', 'tags', 'projects', 'vendors']) await db(table).del();
}

async function seed(db: Knex, rng: Rng): Promise<void> {
  await clear(db);
  const s = servicesFor(db);
  const vendors = [await s.vendors.create({ name: 'Dell' }), await s.vendors.create({ name: 'HPE' })];
  const projects = new Map<string, number>();
  for (const name of PROJECTS) projects.set(name, (await s.projects.create({ name, description: rng.chance(0.5) ? `${name} services` : null, color: rng.pick(['#102030', '#405060']) })).id);
  for (const name of TAGS.slice(0, 3)) await s.tags.create({ name, color: rng.pick(['#aa0000', '#00aa00']) });
  await s.ranges.create({ name: 'lab', cidr: '10.20.0.0/24', notes: rng.chance(0.5) ? 'lab range' : null });
  const hosts = new Map<string, number>();
  for (const name of HOSTS) {
    const vendor = rng.chance(0.6) ? rng.pick(vendors).id : null;
    hosts.set(name, (await s.hosts.create({ name, notes: rng.chance(0.5) ? `${name} notes` : null, vendor_id: vendor })).id);
  }
  const seen: string[] = [];
  for (const ip of POOL) {
    if (!rng.chance(0.7)) continue;
    const type = rng.pick(TYPES);
    const host = rng.chance(0.6) ? rng.pick(HOSTS) : null;
    await s.assets.create({
      ip_address: ip,
      type,
      project_id: rng.chance(0.6) ? projects.get(rng.pick(PROJECTS))! : null,
      host_id: host ? hosts.get(host)! : null,
      notes: rng.chance(0.5) ? `note for ${ip}` : null,
      tags: rng.some(TAGS),
      auto_host: rng.chance(0.5),
    });
    if (rng.chance(0.2)) await s.assets.archive(ip);
    if (rng.chance(0.3)) seen.push(ip);
  }
  if (seen.length) {
    const keys = (await db('ip_assets').select('ip_key').whereIn('ip_address', seen)) as { ip_key: string }[];
    await s.assets.touchLastSeen(keys.map((k) => k.ip_key), rng.pick(SEEN));
  }
}

type Row = Record<string, unknown>;
type Snapshot = Record<string, Map<string, Row>>;

/** Every row of every inventory table, keyed as the plan keys them (address, name, CIDR). */
async function snapshot(db: Knex): Promise<Snapshot> {
  const all = async (table: string): Promise<Row[]> => (await db(table).select('*').orderBy('id')) as Row[];
  const tagNames = new Map((await all('tags')).map((t) => [Number(t.id), String(t.name)]));
  const tagsOf = new Map<number, string[]>();
  for (const l of (await db('ip_asset_tags').select('*')) as { ip_asset_id: number; tag_id: number }[]) {
    const list = tagsOf.get(Number(l.ip_asset_id)) ?? [];
    list.push(tagNames.get(Number(l.tag_id))!);
    tagsOf.set(Number(l.ip_asset_id), list);
  }
  const keyed = (rows: Row[], key: string) => new Map(rows.map((r) => [String(r[key]), normalizeRow(r)]));
  const assets = await all('ip_assets');
  for (const a of assets) a.tags = (tagsOf.get(Number(a.id)) ?? []).sort();
  return {
    vendors: keyed(await all('vendors'), 'name'),
    projects: keyed(await all('projects'), 'name'),
    tags: keyed(await all('tags'), 'name'),
    ranges: keyed(await all('ranges'), 'cidr'),
    hosts: keyed(await all('hosts'), 'name'),
    ip_assets: keyed(assets, 'ip_address'),
  };
}

/** Same values on both databases (bigint ids, 0/1 booleans). */
function normalizeRow(r: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) {
    if (k === 'archived') out[k] = v === true || v === 1 || v === '1';
    else if ((k === 'id' || k.endsWith('_id')) && v !== null) out[k] = Number(v);
    else out[k] = v;
  }
  return out;
}

/** A row as the plan names its fields (project/host/vendor by name). */
function viewOf(entity: string, r: Row, s: Snapshot): Record<string, FieldValue> {
  const nameById = (table: string, id: unknown): string | null => {
    if (id === null || id === undefined) return null;
    for (const row of s[table]!.values()) if (row.id === id) return String(row.name);
    return `#${String(id)}`;
  };
  switch (entity) {
    case 'vendors':
      return { name: r.name as string };
    case 'projects':
      return { name: r.name as string, description: r.description as string | null, color: r.color as string };
    case 'tags':
      return { name: r.name as string, color: r.color as string };
    case 'ranges':
      return { cidr: r.cidr as string, name: r.name as string, notes: r.notes as string | null };
    case 'hosts':
      return { name: r.name as string, notes: r.notes as string | null, vendor: nameById('vendors', r.vendor_id) };
    default:
      return {
        type: r.type as string,
        project: nameById('projects', r.project_id),
        host: nameById('hosts', r.host_id),
        notes: r.notes as string | null,
        archived: r.archived as boolean,
        tags: r.tags as string[],
        last_seen_at: r.last_seen_at as string | null,
      };
  }
}

/** Columns a CREATE/UPDATE may legitimately change besides the plan's fields. */
const STAMPS = new Set(['updated_at']);
/**
 * Columns the run's sightings keep, not its plan (ip_assets.last_sighted_at, migration 410: when
 * any source last saw the address, moved with each ip_asset_sightings upsert even on a SKIP).
 */
const SIGHTED = new Set(['last_sighted_at']);
const unsighted = (r: Row): Row => Object.fromEntries(Object.entries(r).filter(([k]) => !SIGHTED.has(k)));
const VIEW_COLUMNS: Record<string, string[]> = {
  vendors: ['name'],
  projects: ['description', 'color'],
  tags: ['color'],
  ranges: ['name', 'notes'],
  hosts: ['notes', 'vendor_id'],
  ip_assets: ['type', 'project_id', 'host_id', 'notes', 'archived', 'tags', 'last_seen_at'],
};

const isEmpty = (v: unknown): boolean => v === null || v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0);

interface Change {
  action: 'CREATE' | 'UPDATE';
  fields: Record<string, [FieldValue, FieldValue]>;
}

/**
 * The run's own time differs by a second or so between the dry run and the apply (each run has
 * its `now`), so last-seen values written by the run compare as one token; seeded ones stay exact.
 */
function stamp(field: string, v: FieldValue, runStart: string): FieldValue {
  return field === 'last_seen_at' && typeof v === 'string' && v >= runStart ? '<run time>' : v;
}

function planChanges(plan: Plan, runStart: string): Map<string, Change> {
  const out = new Map<string, Change>();
  for (const c of plan.changes) {
    // No MISSING here: these batches carry no complete device inventory (test/plugins/missing-devices.test.ts covers it).
    if (c.action === 'SKIP' || c.action === 'MISSING') continue;
    const fields: Change['fields'] = {};
    for (const f of c.changes) {
      if (c.action === 'CREATE' && isEmpty(f.after)) continue;
      fields[f.field] = [c.action === 'CREATE' ? null : stamp(f.field, f.before, runStart), stamp(f.field, f.after, runStart)];
    }
    // A tag created because an asset uses it lists only its name; it gets the default colour.
    if (c.entity === 'tags' && c.action === 'CREATE' && !fields.color) fields.color = [null, DEFAULT_TAG_COLOR];
    out.set(`${c.entity} ${c.key}`, { action: c.action, fields });
  }
  return out;
}

function dbChanges(beforeS: Snapshot, afterS: Snapshot, runStart: string): Map<string, Change> {
  const out = new Map<string, Change>();
  for (const entity of Object.keys(VIEW_COLUMNS)) {
    const b = beforeS[entity]!;
    const a = afterS[entity]!;
    for (const key of b.keys()) assert.ok(a.has(key), `${entity} ${key} was deleted by an import`);
    for (const [key, row] of a) {
      const prior = b.get(key);
      const after = viewOf(entity, row, afterS);
      const fields: Change['fields'] = {};
      if (!prior) {
        for (const [f, v] of Object.entries(after)) if (!isEmpty(v)) fields[f] = [null, stamp(f, v, runStart)];
        out.set(`${entity} ${key}`, { action: 'CREATE', fields });
        continue;
      }
      const was = viewOf(entity, prior, beforeS);
      for (const [f, v] of Object.entries(after)) {
        if (JSON.stringify(was[f] ?? null) !== JSON.stringify(v ?? null)) fields[f] = [stamp(f, was[f] ?? null, runStart), stamp(f, v, runStart)];
      }
      // Everything but the plan's fields and the update stamp must be untouched (ids, keys, created_at).
      const rest = (r: Row) => Object.fromEntries(Object.entries(r).filter(([k]) => !VIEW_COLUMNS[entity]!.includes(k) && !STAMPS.has(k) && !SIGHTED.has(k)));
      assert.deepEqual(rest(row), rest(prior), `${entity} ${key}: columns outside the plan changed`);
      if (Object.keys(fields).length > 0) out.set(`${entity} ${key}`, { action: 'UPDATE', fields });
      else assert.deepEqual(unsighted(row), unsighted(prior), `${entity} ${key}: not in the plan, yet its row changed`);
    }
  }
  return out;
}

const sorted = (m: Map<string, Change>) => Object.fromEntries([...m].sort(([x], [y]) => (x < y ? -1 : 1)));

interface Generated {
  plugin: Plugin;
  files: PluginFile[];
  options: Record<string, unknown>;
  /** Starts the fake the connector reads (loopback only); closed after the round. */
  serve?: () => Promise<{ options: Record<string, unknown>; close(): Promise<void> }>;
}

/** Runs the property for one plugin: `ROUNDS` seeded rounds of seed → dry run → apply → compare. */
async function property(db: Knex, name: string, gen: (rng: Rng) => Generated): Promise<{ applied: number; updates: number; creates: number }> {
  const tally = { applied: 0, updates: 0, creates: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const seedValue = hashSeed(`${name}:${round}`);
    const rng = prng(seedValue);
    await seed(db, rng);
    const g = gen(rng);
    const server = g.serve ? await g.serve() : null;
    try {
      const options = { ...g.options, ...server?.options };
      const run = (dryRun: boolean) => runPlugin(db, EDITOR, { plugin: g.plugin, input: { files: g.files.map((f) => ({ ...f, data: Buffer.from(f.data) })) }, options, dryRun, chunkSize: 7 });
      const runStart = formatTimestamp(new Date(Date.now() - 1000));
      const s0 = await snapshot(db);
      const dry = await run(true);
      const where = `${name} round ${round} (seed ${seedValue})`;
      assert.ok(dry.plan, `${where}: ${dry.error?.message}`);
      assert.deepEqual(await snapshot(db), s0, `${where}: the dry run wrote`);
      assert.deepEqual(dry.plan.changesOmitted, { changed: 0, skipped: 0 });
      const audits = await countImportAudits(db);
      const applied = await run(false);
      assert.ok(applied.plan, `${where}: ${applied.error?.message}`);
      const s1 = await snapshot(db);
      const expected = dry.plan.errors.length > 0 ? new Map<string, Change>() : planChanges(dry.plan, runStart);
      assert.deepEqual(sorted(dbChanges(s0, s1, runStart)), sorted(expected), `${where}: the apply wrote something other than the dry run showed`);
      assert.deepEqual(sorted(planChanges(applied.plan, runStart)), sorted(planChanges(dry.plan, runStart)), `${where}: the apply planned differently`);
      assert.equal(applied.applied, dry.plan.errors.length === 0, where);
      assert.equal(await countImportAudits(db), audits + (applied.applied ? 1 : 0), `${where}: one IMPORT_RUN audit entry per apply`);
      if (applied.applied) tally.applied++;
      for (const c of expected.values()) tally[c.action === 'CREATE' ? 'creates' : 'updates']++;
    } finally {
      await server?.close();
    }
  }
  return tally;
}

async function countImportAudits(db: Knex): Promise<number> {
  const [row] = (await db('audit_log').where({ target_type: 'IMPORT_RUN' }).count({ n: '*' })) as { n: number | string }[];
  return Number(row?.n ?? 0);
}

function hashSeed(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

// ---- generators: each draws a batch the way its source would send it, empty cells included ----

const maybe = <T,>(rng: Rng, v: () => T, p = 0.5): T | undefined => (rng.chance(p) ? v() : undefined);
const addresses = (rng: Rng, pool: readonly string[], max: number): string[] => rng.some(pool, max / pool.length).slice(0, max);

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function genCsv(rng: Rng): Generated {
  const cols = ['ip_address', ...rng.some(['type', 'project_name', 'host_name', 'tags', 'notes', 'archived', 'preserve_existing_notes', 'preserve_existing_type', 'merge_tags'], 0.6)];
  const value = (c: string): string => {
    switch (c) {
      case 'type': return rng.pick(['VM', 'OS', 'BMC', 'IPMI_iLO', '']);
      case 'project_name': return rng.pick([...PROJECTS, '', '', 'newproj']);
      case 'host_name': return rng.pick([...HOSTS, '', '', 'web-09']);
      case 'tags': return rng.some(['prod', 'lab', 'fresh', 'db']).join(', ');
      case 'notes': return rng.pick(['', 'hello', 'has, comma', 'note for 10.20.0.1']);
      case 'archived': return rng.pick(['False', 'true', '']);
      default: return rng.pick(['', 'true', 'false']);
    }
  };
  const rows = addresses(rng, [...V4, ...V6], 8).map((ip) => [ip, ...cols.slice(1).map(value)].map(csvCell).join(','));
  const files: PluginFile[] = [{ name: 'ip-assets.csv', field: 'ip_assets', data: Buffer.from(`${cols.join(',')}\n${rows.join('\n')}\n`) }];
  if (rng.chance(0.6)) {
    const hostRows = rng.some([...HOSTS, 'web-09', 'bmc-07'], 0.4).map((h) =>
      [h, rng.pick(['', 'racked']), rng.pick(['', 'Dell', 'Supermicro']), rng.pick(['', ...PROJECTS]), rng.pick(['', ...V4]), rng.pick(['', '', ...V4])].join(','),
    );
    files.push({ name: 'hosts.csv', field: 'hosts', data: Buffer.from(`name,notes,vendor_name,project_name,os_ip,bmc_ip\n${hostRows.join('\n')}\n`) });
  }
  if (rng.chance(0.4)) files.push({ name: 'projects.csv', field: 'projects', data: Buffer.from(`name,description,color\nnewproj,${rng.pick(['', 'new'])},#123456\n${rng.pick(PROJECTS)},${rng.pick(['', 'changed'])},\n`) });
  return { plugin: csvPlugin as unknown as Plugin, files, options: { merge_tags: rng.chance(0.3), preserve_existing_notes: rng.chance(0.3), preserve_existing_type: rng.chance(0.3) } };
}

function genBundle(rng: Rng): Generated {
  const pickNull = <T,>(xs: readonly T[]): T | null | undefined => rng.pick([...xs, null, undefined]);
  const data = {
    vendors: rng.some(['Dell', 'Lenovo']).map((name) => ({ name })),
    projects: rng.some([...PROJECTS, 'bundled']).map((name) => ({ name, description: pickNull(['from bundle', '']), color: pickNull(['#abcdef', '#102030']) })),
    tags: rng.some([...TAGS, 'fresh']).map((name) => ({ name, color: pickNull(['#ff0000', '#00aa00']) })),
    ranges: rng.chance(0.5) ? [{ name: pickNull(['lab', 'lab2']), cidr: rng.pick(['10.20.0.0/24', '2001:db8:20::/64']), notes: pickNull(['range notes']) }] : [],
    hosts: rng.some([...HOSTS, 'web-09'], 0.3).map((name) => ({ name, notes: pickNull(['host notes', '']), vendor_name: pickNull(['Dell', 'Lenovo']), project_name: pickNull(PROJECTS), os_ip: pickNull(V4), bmc_ip: pickNull(V4) })),
    ip_assets: addresses(rng, [...V4, ...V6], 8).map((ip) => {
      const a: Record<string, unknown> = { ip_address: ip };
      for (const [k, v] of Object.entries<() => unknown>({
        type: () => rng.pick([...TYPES, 'IPMI_iLO']),
        project_name: () => pickNull([...PROJECTS, '']),
        host_name: () => pickNull([...HOSTS, '']),
        notes: () => pickNull(['bundle note', '']),
        archived: () => rng.chance(0.2),
        tags: () => rng.some([...TAGS, 'fresh']),
        merge_tags: () => rng.chance(0.5),
        preserve_existing_notes: () => rng.chance(0.5),
        preserve_existing_type: () => rng.chance(0.5),
      })) {
        const got = maybe(rng, v, 0.6);
        if (got !== undefined) a[k] = got;
      }
      return a;
    }),
  };
  const doc = { app: 'ipocket', schema_version: '1', exported_at: '2026-01-01T00:00:00Z', data };
  return { plugin: bundlePlugin as unknown as Plugin, files: [{ name: 'bundle.json', field: 'file', data: Buffer.from(JSON.stringify(doc)) }], options: { merge_tags: rng.chance(0.3), preserve_existing_notes: rng.chance(0.3) } };
}

const NMAP_DIR = path.join(import.meta.dirname, '../../plugins/nmap/fixtures');
const NMAP_FIXTURES = readdirSync(NMAP_DIR).filter((f) => f.endsWith('.xml')).sort();

function genNmap(rng: Rng): Generated {
  const file = rng.pick(NMAP_FIXTURES);
  const options: Record<string, unknown> = { vendor_tag: rng.chance(0.5), mark_last_seen: rng.chance(0.5), tags: rng.pick([[], ['nmap'], ['nmap', 'lab']]) };
  if (rng.chance(0.5)) options.project = rng.pick([...PROJECTS, 'scanned']);
  if (rng.chance(0.3)) options.type = rng.pick(TYPES);
  return { plugin: nmapPlugin as unknown as Plugin, files: [{ name: file, field: 'file', data: readFileSync(path.join(NMAP_DIR, file)) }], options };
}

function genPrometheus(rng: Rng): Generated {
  const instances = addresses(rng, [...V4, ...V6, '127.0.0.1'], 8).map((ip) => (ip.includes(':') ? `[${ip}]:9100` : `${ip}:9100`));
  const options: Record<string, unknown> = { update_type: rng.chance(0.3), mark_last_seen: rng.chance(0.5), include_loopback: rng.chance(0.3), tags: rng.pick([['prometheus'], [], ['prometheus', 'prod']]) };
  if (rng.chance(0.5)) options.project = rng.pick([...PROJECTS, 'monitored']);
  if (rng.chance(0.4)) options.type = rng.pick(TYPES);
  return {
    plugin: prometheusPlugin as unknown as Plugin,
    files: [],
    options,
    async serve() {
      const fake: FakePrometheus = await startFakePrometheus(vectorOf(instances));
      return { options: { url: fake.url }, close: () => fake.close() };
    },
  };
}

function genVcenter(rng: Rng): Generated {
  const hostNames = rng.some(['10.20.0.1', '10.20.0.2', 'esx-a', 'esx02.lab.example'], 0.5);
  const hosts = hostNames.map((name, i) => ({ host: `host-${10 + i}`, name }));
  const free = V4.filter((ip) => !hostNames.includes(ip));
  const vms: FakeVcenterOptions['vms'] = hosts.length === 0 ? [] : Array.from({ length: rng.int(5) }, (_, i) => ({
    vm: `vm-${40 + i}`,
    name: rng.pick(['web-01', 'db-01', `vm${i}`]),
    host: rng.pick(hosts).host,
    power_state: rng.pick(['POWERED_ON', 'POWERED_OFF'] as const),
    tools: rng.chance(0.8),
    ips: rng.some([...free, ...V6], 0.15).slice(0, 3),
  }));
  const options: Record<string, unknown> = { username: 'administrator@vsphere.local', password: 'VMware1!', mark_last_seen: rng.chance(0.5), tags: rng.pick([['vcenter'], [], ['vcenter', 'lab']]) };
  if (rng.chance(0.5)) options.project = rng.pick([...PROJECTS, 'virtual']);
  return {
    plugin: vcenterPlugin as unknown as Plugin,
    files: [],
    options,
    async serve() {
      const fake: FakeVcenter = await startFakeVcenter({ hosts, vms });
      return { options: { url: fake.url }, close: () => fake.close() };
    },
  };
}

describe('dry run = apply, for every plugin', () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(() => t.cleanup());

  const cases: [string, (rng: Rng) => Generated][] = [
    ['bundle', genBundle],
    ['csv', genCsv],
    ['nmap', genNmap],
    ['prometheus', genPrometheus],
    ['vcenter', genVcenter],
  ];
  for (const [name, gen] of cases) {
    test(`${name}: the apply writes exactly the dry run's CREATE/UPDATE records and field diffs, and nothing else`, async () => {
      const tally = await property(t.db, name, gen);
      // The rounds must exercise the property, not pass vacuously.
      assert.ok(tally.applied > 0 && tally.updates > 0, `${name}: ${JSON.stringify(tally)}`);
    });
  }

  test('csv: an empty host_name keeps the host link (10.20.0.11 stays on web-01; only the notes change)', async () => {
    await clear(t.db);
    const s = servicesFor(t.db);
    const host = await s.hosts.create({ name: 'web-01' });
    await s.assets.create({ ip_address: '10.20.0.11', type: 'OS', host_id: host.id });
    const file = { name: 'ip-assets.csv', field: 'ip_assets', data: Buffer.from('ip_address,type,project_name,host_name,notes,archived\n10.20.0.11,OS,,,hello,False\n') };
    const run = (dryRun: boolean) => runPlugin(t.db, EDITOR, { plugin: csvPlugin as unknown as Plugin, input: { files: [file] }, dryRun });
    const dry = await run(true);
    assert.deepEqual(dry.plan!.changes.map((c) => [c.key, c.action, c.changes]), [['10.20.0.11', 'UPDATE', [{ field: 'notes', before: null, after: 'hello' }]]]);
    const applied = await run(false);
    assert.equal(applied.status, 'succeeded');
    const asset = await s.assets.getByAddress('10.20.0.11');
    assert.deepEqual([asset.host_id, asset.notes], [host.id, 'hello']);
  });

  test('prometheus: a run that only merges tags keeps every host and project link', async () => {
    await clear(t.db);
    const s = servicesFor(t.db);
    const host = await s.hosts.create({ name: 'web-01' });
    const project = await s.projects.create({ name: 'web-prod' });
    await s.assets.create({ ip_address: '10.20.0.12', type: 'OS', host_id: host.id, project_id: project.id, tags: ['prod'] });
    const fake = await startFakePrometheus(vectorOf(['10.20.0.12:9100']));
    try {
      const out = await runPlugin(t.db, EDITOR, { plugin: prometheusPlugin as unknown as Plugin, input: { files: [] }, options: { url: fake.url }, dryRun: false });
      assert.equal(out.status, 'succeeded', out.error?.message);
      assert.deepEqual(out.plan!.changes.find((c) => c.key === '10.20.0.12')!.changes.map((c) => c.field), ['notes', 'tags']);
    } finally {
      await fake.close();
    }
    const asset = await s.assets.getByAddress('10.20.0.12');
    assert.deepEqual([asset.host_id, asset.project_id, asset.tags], [host.id, project.id, ['prod', 'prometheus']]);
  });
});
