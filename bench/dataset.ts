/**
 * Benchmark datasets: a migrated SQLite file with N assets (projects, tags, hosts, ranges),
 * generated once into /tmp/ipocket-bench and reused. Deterministic for a given N.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { openDatabase } from '../src/db/connection.js';
import { migrateLatest } from '../src/db/migrate.js';
import { bigIntToKey, keyToAddress } from '../src/domain/ip/address.js';
import { tryParseCidr } from '../src/domain/ip/cidr.js';
import { formatTimestamp } from '../src/domain/time.js';

export const BENCH_DIR = process.env.IPOCKET_BENCH_DIR ?? '/tmp/ipocket-bench';

export interface DatasetShape {
  assets: number;
  projects: number;
  tags: number;
  hosts: number;
  ranges: number;
}

export function shapeFor(assets: number): DatasetShape {
  return { assets, projects: 20, tags: 40, hosts: Math.max(10, Math.floor(assets / 50)), ranges: 1000 };
}

/** Path of the cached SQLite file for N assets, generating it on first use (about 10 s per million). */
export async function benchDbFile(assets: number): Promise<string> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const file = path.join(BENCH_DIR, `assets-${assets}.sqlite`);
  if (existsSync(file)) return file;
  const tmp = `${file}.tmp`;
  rmSync(tmp, { force: true });
  const knex = openDatabase({ client: 'sqlite', filename: tmp });
  await migrateLatest(knex);
  await knex.destroy();
  const started = Date.now();
  generate(tmp, shapeFor(assets));
  renameSync(tmp, file);
  for (const ext of ['-wal', '-shm']) rmSync(tmp + ext, { force: true });
  console.error(`generated ${assets} assets in ${((Date.now() - started) / 1000).toFixed(1)} s → ${file}`);
  return file;
}

/** A knex handle on the cached dataset for N assets. */
export async function openBenchDb(assets: number): Promise<Knex> {
  const file = await benchDbFile(assets);
  const db = openDatabase({ client: 'sqlite', filename: file });
  await migrateLatest(db);
  return db;
}

/** Seeded PRNG (mulberry32) so every run builds the same data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['VM', 'VM', 'VM', 'OS', 'OS', 'BMC', 'VIP', 'OTHER'];
const WORDS = ['web', 'frontend', 'database', 'replica', 'rack', 'backup', 'cache', 'worker', 'gateway', 'storage', 'ldap', 'mail'];

function generate(file: string, shape: DatasetShape): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const rnd = prng(shape.assets);
  const now = formatTimestamp(new Date('2026-01-01T00:00:00Z'));
  db.transaction(() => {
    const project = db.prepare('INSERT INTO projects (name, description, color, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
    for (let i = 1; i <= shape.projects; i++) project.run(`project-${i}`, `Project ${i}`, `#${(0x224466 + i * 0x0a0b0c).toString(16).slice(-6)}`, now, now);
    const tag = db.prepare('INSERT INTO tags (name, color, created_at, updated_at) VALUES (?, ?, ?, ?)');
    for (let i = 1; i <= shape.tags; i++) tag.run(i <= 4 ? ['prod', 'dev', 'critical', 'web'][i - 1] : `tag-${i}`, '#e2e8f0', now, now);
    const vendor = db.prepare('INSERT INTO vendors (name, created_at, updated_at) VALUES (?, ?, ?)');
    for (const v of ['Dell', 'HPE', 'Supermicro', 'Lenovo', 'Cisco']) vendor.run(v, now, now);
    const host = db.prepare('INSERT INTO hosts (name, notes, vendor_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
    for (let i = 1; i <= shape.hosts; i++) host.run(`host-${String(i).padStart(6, '0')}`, null, 1 + (i % 5), now, now);
    const asset = db.prepare('INSERT INTO ip_assets (ip_address, ip_version, ip_key, type, project_id, host_id, notes, archived, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const assetTag = db.prepare('INSERT INTO ip_asset_tags (ip_asset_id, tag_id) VALUES (?, ?)');
    const v4Base = 0x0a000000n; // 10.0.0.0, IPv4 assets fill 10.0.0.0/8 densely from the bottom
    const v6Base = BigInt('0x20010db8000000000000000000000000');
    const v4Count = Math.floor(shape.assets * 0.9);
    for (let i = 0; i < shape.assets; i++) {
      const isV4 = i < v4Count;
      const key = isV4 ? bigIntToKey(0xffff00000000n + v4Base + BigInt(i) + 1n) : bigIntToKey(v6Base + BigInt(i - v4Count) * 7n + 1n);
      const version = isV4 ? 4 : 6;
      const type = TYPES[Math.floor(rnd() * TYPES.length)]!;
      const projectId = rnd() < 0.85 ? 1 + Math.floor(rnd() * shape.projects) : null;
      const hostId = type === 'OS' || type === 'BMC' ? 1 + Math.floor(rnd() * shape.hosts) : null;
      const notes = rnd() < 0.3 ? `${WORDS[Math.floor(rnd() * WORDS.length)]} ${WORDS[Math.floor(rnd() * WORDS.length)]} ${i}` : null;
      const archived = rnd() < 0.03 ? 1 : 0;
      const info = asset.run(keyToAddress(key, version), version, key, type, projectId, hostId, notes, archived, now, now);
      const id = Number(info.lastInsertRowid);
      const tagCount = Math.floor(rnd() * 4);
      const used = new Set<number>();
      for (let k = 0; k < tagCount; k++) {
        const tagId = 1 + Math.floor(rnd() ** 2 * shape.tags);
        if (used.has(tagId)) continue;
        assetTag.run(id, tagId);
        used.add(tagId);
      }
    }
    const range = db.prepare('INSERT INTO ranges (name, cidr, ip_version, prefix, first_key, last_key, usable_first_key, usable_last_key, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const cidrs = ['10.0.0.0/8', '2001:db8::/64'];
    for (let i = 0; cidrs.length < shape.ranges; i++) cidrs.push(`10.${Math.floor(i / 256) % 256}.${i % 256}.0/24`);
    for (const text of cidrs) {
      const c = tryParseCidr(text)!;
      range.run(`range ${text}`, c.cidr, c.version, c.prefix, c.firstKey, c.lastKey, c.usableFirstKey, c.usableLastKey, null, now, now);
    }
  })();
  db.exec('ANALYZE');
  db.close();
}
