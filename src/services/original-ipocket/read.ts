import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ASSET_TYPES, type AssetType } from '../../domain/asset-types.js';
import { DEFAULT_PROJECT_COLOR, normalizeHexColor } from '../../domain/colors.js';
import { AppError } from '../../domain/errors.js';
import { tryParseAddress, type ParsedAddress } from '../../domain/ip/address.js';
import { tryParseCidr, type ParsedCidr } from '../../domain/ip/cidr.js';
import { DEFAULT_TAG_COLOR, normalizeTagName } from '../../domain/tags.js';
import { formatTimestamp, parseTimestamp } from '../../domain/time.js';
import type { AuditEntry } from '../audit.js';
import type { Role } from '../context.js';

/** The original's database cannot be read, or holds rows this version cannot take: nothing is written. */
export class OriginalDbError extends AppError {
  readonly status = 400;
  readonly code = 'original_db';
  constructor(message: string, readonly problems: string[] = []) {
    super(problems.length ? `${message}\n  ${problems.slice(0, 50).join('\n  ')}${problems.length > 50 ? `\n  … and ${problems.length - 50} more` : ''}` : message);
  }
}

/** The tables (and the columns we read) of the original's schema at its last Alembic revision. */
const TABLES = {
  users: ['id', 'username', 'hashed_password', 'role', 'is_active'],
  projects: ['id', 'name', 'description', 'color'],
  vendors: ['id', 'name', 'created_at', 'updated_at'],
  tags: ['id', 'name', 'color', 'created_at', 'updated_at'],
  hosts: ['id', 'name', 'notes', 'vendor_id', 'created_at', 'updated_at'],
  ip_assets: ['id', 'ip_address', 'type', 'project_id', 'host_id', 'notes', 'archived', 'created_at', 'updated_at'],
  ip_asset_tags: ['ip_asset_id', 'tag_id'],
  ip_ranges: ['id', 'name', 'cidr', 'notes', 'created_at', 'updated_at'],
  audit_logs: ['id', 'user_id', 'username', 'target_type', 'target_id', 'target_label', 'action', 'changes', 'created_at'],
} as const;
export type OriginalTable = keyof typeof TABLES;

const ROLE: Readonly<Record<string, Role>> = { Admin: 'superuser', Editor: 'editor', Viewer: 'viewer' };

export interface OriginalUser { id: number; username: string; password_hash: string; role: Role; is_active: boolean }
export interface OriginalProject { id: number; name: string; description: string | null; color: string }
export interface OriginalVendor { id: number; name: string; created_at: string; updated_at: string }
export interface OriginalTag { id: number; name: string; color: string; created_at: string; updated_at: string }
export interface OriginalHost { id: number; name: string; notes: string | null; vendor_id: number | null; created_at: string; updated_at: string }
export interface OriginalAsset {
  id: number;
  ip: ParsedAddress;
  type: AssetType;
  project_id: number | null;
  host_id: number | null;
  notes: string | null;
  archived: boolean;
  created_at: string;
  updated_at: string;
  tag_ids: number[];
}
export interface OriginalRange { id: number; name: string; cidr: ParsedCidr; notes: string | null; created_at: string; updated_at: string }
/** An audit entry as the original stored it (ids are the original's, remapped on write). */
export type OriginalAudit = Omit<AuditEntry, 'id' | 'run_id' | 'run' | 'client_address' | 'user_agent'>;

/** Everything the migration carries over, validated; API tokens (`sessions`) are deliberately left behind. */
export interface OriginalData {
  revision: string | null;
  users: OriginalUser[];
  projects: OriginalProject[];
  vendors: OriginalVendor[];
  tags: OriginalTag[];
  hosts: OriginalHost[];
  assets: OriginalAsset[];
  ranges: OriginalRange[];
  audit: OriginalAudit[];
  /** The original's API tokens and UI cookies (never expiring there): counted, not carried over. */
  tokens: number;
}

type Row = Record<string, unknown>;

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const optText = (v: unknown): string | null => (v === null || v === undefined || String(v).trim() === '' ? null : String(v));
const optId = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Reads the original ipocket's SQLite file read-only and checks every row against our rules
 * (addresses, types, CIDRs, colours, tag names, references). Any problem refuses the whole
 * migration with the list of them: a partial copy would be worse than none.
 */
export function readOriginalDb(file: string): OriginalData {
  if (!existsSync(file)) throw new OriginalDbError(`${file}: no such file.`);
  // Read from a private copy (with the write-ahead log, if the original left one): opening a WAL
  // database, even read-only, creates -shm/-wal files beside it, and the original's folder is not ours.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipocket-original-'));
  try {
    const copy = path.join(dir, 'original.db');
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    let src: Database.Database;
    try {
      src = new Database(copy, { fileMustExist: true });
      src.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    } catch (err) {
      throw new OriginalDbError(`${file}: not a readable SQLite database (${(err as Error).message}).`);
    }
    try {
      return readAll(src, file);
    } finally {
      src.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readAll(src: Database.Database, file: string): OriginalData {
  const missing: string[] = [];
  for (const [table, columns] of Object.entries(TABLES)) {
    const have = new Set((src.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name));
    if (have.size === 0) missing.push(`table ${table} is missing`);
    else for (const c of columns) if (!have.has(c)) missing.push(`column ${table}.${c} is missing`);
  }
  if (missing.length) throw new OriginalDbError(`${file}: not a database of the original ipocket (or of an unsupported revision).`, missing);
  const revision = (() => {
    try {
      return (src.prepare('SELECT version_num FROM alembic_version').get() as { version_num?: string } | undefined)?.version_num ?? null;
    } catch {
      return null;
    }
  })();
  const all = (table: OriginalTable): Row[] => src.prepare(`SELECT ${TABLES[table].map((c) => `"${c}"`).join(', ')} FROM "${table}" ORDER BY 1`).all() as Row[];
  const problems: string[] = [];
  const bad = (where: string, msg: string): void => void problems.push(`${where}: ${msg}`);
  const stamp = (where: string, v: unknown): string => {
    const d = parseTimestamp(str(v));
    if (!d) {
      bad(where, `unreadable timestamp "${str(v)}"`);
      return formatTimestamp();
    }
    return formatTimestamp(d);
  };
  const name = (where: string, v: unknown, max: number): string => {
    const n = str(v).trim();
    if (!n) bad(where, 'empty name');
    else if (n.length > max) bad(where, `name longer than ${max} characters`);
    return n;
  };

  const users = all('users').map((r): OriginalUser => {
    const where = `users id ${str(r.id)}`;
    const role = ROLE[str(r.role)];
    if (!role) bad(where, `unknown role "${str(r.role)}"`);
    const hash = str(r.hashed_password);
    if (!/^\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash) && !/^[0-9a-f]{64}$/i.test(hash)) bad(where, 'password hash is neither bcrypt nor a legacy SHA-256 digest');
    return { id: Number(r.id), username: name(where, r.username, 64), password_hash: hash, role: role ?? 'viewer', is_active: Number(r.is_active) !== 0 };
  });
  const projects = all('projects').map((r): OriginalProject => {
    const where = `projects id ${str(r.id)}`;
    const color = r.color ? normalizeHexColor(str(r.color)) : DEFAULT_PROJECT_COLOR;
    if (!color) bad(where, `invalid colour "${str(r.color)}"`);
    return { id: Number(r.id), name: name(where, r.name, 128), description: optText(r.description), color: color ?? DEFAULT_PROJECT_COLOR };
  });
  const vendors = all('vendors').map((r): OriginalVendor => {
    const where = `vendors id ${str(r.id)}`;
    return { id: Number(r.id), name: name(where, r.name, 128), created_at: stamp(where, r.created_at), updated_at: stamp(where, r.updated_at) };
  });
  const tags = all('tags').map((r): OriginalTag => {
    const where = `tags id ${str(r.id)}`;
    const n = normalizeTagName(str(r.name));
    if (!n || n !== str(r.name)) bad(where, `tag name "${str(r.name)}" is not a valid tag name`);
    const color = r.color ? normalizeHexColor(str(r.color)) : DEFAULT_TAG_COLOR;
    if (!color) bad(where, `invalid colour "${str(r.color)}"`);
    return { id: Number(r.id), name: n ?? str(r.name), color: color ?? DEFAULT_TAG_COLOR, created_at: stamp(where, r.created_at), updated_at: stamp(where, r.updated_at) };
  });
  const vendorIds = new Set(vendors.map((v) => v.id));
  const hosts = all('hosts').map((r): OriginalHost => {
    const where = `hosts id ${str(r.id)}`;
    const vendorId = optId(r.vendor_id);
    if (vendorId !== null && !vendorIds.has(vendorId)) bad(where, `vendor_id ${vendorId} does not exist`);
    return { id: Number(r.id), name: name(where, r.name, 255), notes: optText(r.notes), vendor_id: vendorId, created_at: stamp(where, r.created_at), updated_at: stamp(where, r.updated_at) };
  });
  const tagIds = new Set(tags.map((t) => t.id));
  const tagsOf = new Map<number, number[]>();
  for (const r of all('ip_asset_tags')) {
    const assetId = Number(r.ip_asset_id);
    const tagId = Number(r.tag_id);
    if (!tagIds.has(tagId)) {
      bad(`ip_asset_tags (${assetId}, ${tagId})`, `tag_id ${tagId} does not exist`);
      continue;
    }
    const list = tagsOf.get(assetId) ?? [];
    list.push(tagId);
    tagsOf.set(assetId, list);
  }
  const projectIds = new Set(projects.map((p) => p.id));
  const hostIds = new Set(hosts.map((h) => h.id));
  const seenKeys = new Map<string, number>();
  const assets: OriginalAsset[] = [];
  for (const r of all('ip_assets')) {
    const where = `ip_assets id ${str(r.id)}`;
    const ip = tryParseAddress(str(r.ip_address));
    const type = str(r.type) as AssetType;
    const projectId = optId(r.project_id);
    const hostId = optId(r.host_id);
    if (!ip) bad(where, `invalid IP address "${str(r.ip_address)}"`);
    if (!ASSET_TYPES.includes(type)) bad(where, `invalid type "${type}"`);
    if (projectId !== null && !projectIds.has(projectId)) bad(where, `project_id ${projectId} does not exist`);
    if (hostId !== null && !hostIds.has(hostId)) bad(where, `host_id ${hostId} does not exist`);
    if (ip) {
      const prior = seenKeys.get(ip.key);
      if (prior !== undefined) bad(where, `${ip.address} is the same address as ip_assets id ${prior}`);
      seenKeys.set(ip.key, Number(r.id));
    }
    if (!ip) continue;
    assets.push({
      id: Number(r.id),
      ip,
      type,
      project_id: projectId,
      host_id: hostId,
      notes: optText(r.notes),
      archived: Number(r.archived) !== 0,
      created_at: stamp(where, r.created_at),
      updated_at: stamp(where, r.updated_at),
      tag_ids: tagsOf.get(Number(r.id)) ?? [],
    });
  }
  const ranges: OriginalRange[] = [];
  for (const r of all('ip_ranges')) {
    const where = `ip_ranges id ${str(r.id)}`;
    const cidr = tryParseCidr(str(r.cidr));
    if (!cidr) {
      bad(where, `invalid CIDR "${str(r.cidr)}"`);
      continue;
    }
    ranges.push({ id: Number(r.id), name: name(where, r.name, 128), cidr, notes: optText(r.notes), created_at: stamp(where, r.created_at), updated_at: stamp(where, r.updated_at) });
  }
  const audit = all('audit_logs').map((r): OriginalAudit => ({
    user_id: optId(r.user_id),
    username: optText(r.username),
    target_type: str(r.target_type).slice(0, 32),
    target_id: optId(r.target_id),
    target_label: optText(r.target_label)?.slice(0, 255) ?? null,
    action: str(r.action).slice(0, 16),
    changes: optText(r.changes),
    created_at: stamp(`audit_logs id ${str(r.id)}`, r.created_at),
  }));
  if (problems.length) throw new OriginalDbError(`${file}: ${problems.length} row(s) cannot be migrated; nothing was written.`, problems);
  const tokens = (() => {
    try {
      return Number((src.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n);
    } catch {
      return 0;
    }
  })();
  return { revision, users, projects, vendors, tags, hosts, assets, ranges, audit, tokens };
}
