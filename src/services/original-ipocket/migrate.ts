import type { Knex } from 'knex';
import { ConflictError } from '../../domain/errors.js';
import { formatTimestamp } from '../../domain/time.js';
import { AuditService } from '../audit.js';
import type { Actor } from '../context.js';
import { uniqueName } from '../../domain/unique-name.js';
import { cidrColumns } from '../ranges/service.js';
import type { OriginalData } from './read.js';

export const MIGRATED_TABLES = ['users', 'projects', 'vendors', 'tags', 'hosts', 'ip_assets', 'ip_asset_tags', 'ranges', 'audit_log'] as const;
export type MigratedTable = (typeof MIGRATED_TABLES)[number];

export interface TableSummary {
  /** Rows in the original's database. */
  source: number;
  /** Rows written (in a dry run: that would be written). */
  created: number;
  /** Rows kept as they are in the target (same name/address/CIDR/username; only with --force, and users). */
  kept: number;
}

export interface MigrationSummary {
  dryRun: boolean;
  tables: Record<MigratedTable, TableSummary>;
  /** API tokens of the original, not carried over. */
  tokensLeftBehind: number;
}

export interface MigrateOptions {
  dryRun: boolean;
  /** Merge into a target that already holds inventory (see README: existing records win). */
  force: boolean;
  /** Shown in the audit entry: the file migrated from. */
  source: string;
  onProgress?: (table: MigratedTable, done: number, total: number) => void;
}

/** Rolls the dry run's transaction back after it did all the work. */
class DryRunDone extends Error {
  constructor(readonly summary: MigrationSummary) {
    super('dry run');
  }
}

const INVENTORY = ['projects', 'vendors', 'tags', 'hosts', 'ip_assets', 'ranges'] as const;
const CHUNK = 500;

/**
 * Writes the original's data into this database in ONE transaction: users (hashes as they are),
 * catalogs, hosts, assets with their tags and timestamps, ranges, the audit log, then one APPLY
 * audit entry for the migration. Ids are new; references are remapped. A target that already
 * holds inventory is refused unless `force`, which merges: a record whose natural key (name,
 * address, CIDR) exists is kept as it is and the source's references resolve to it. A username
 * that exists is always kept with its own password. A dry run does the same work and rolls back.
 */
export async function migrateFromOriginal(db: Knex, actor: Actor, data: OriginalData, opts: MigrateOptions): Promise<MigrationSummary> {
  const tables = Object.fromEntries(MIGRATED_TABLES.map((t) => [t, { source: 0, created: 0, kept: 0 }])) as Record<MigratedTable, TableSummary>;
  const summary: MigrationSummary = { dryRun: opts.dryRun, tables, tokensLeftBehind: data.tokens };
  try {
    return await db.transaction(async (trx) => {
      if (!opts.force) {
        const filled: string[] = [];
        for (const t of INVENTORY) if (await trx(t).first('id')) filled.push(t);
        if (filled.length) throw new ConflictError(`The target database already holds inventory (${filled.join(', ')}). Migrate into an empty database, or pass --force to merge (records that exist are kept as they are).`);
      }
      const w = new Writer(trx, summary, opts);
      const users = await w.byKey('users', 'username', data.users, (u) => u.username, (u, now) => ({ username: u.username, password_hash: u.password_hash, role: u.role, is_active: u.is_active, created_at: now, updated_at: now }));
      const projects = await w.byKey('projects', 'name', data.projects, (p) => p.name, (p, now) => ({ name: p.name, description: p.description, color: p.color, created_at: now, updated_at: now }));
      const vendors = await w.byKey('vendors', 'name', data.vendors, (v) => v.name, (v) => ({ name: v.name, created_at: v.created_at, updated_at: v.updated_at }));
      const tags = await w.byKey('tags', 'name', data.tags, (t) => t.name, (t) => ({ name: t.name, color: t.color, created_at: t.created_at, updated_at: t.updated_at }));
      const hosts = await w.byKey('hosts', 'name', data.hosts, (h) => h.name, (h) => ({ name: h.name, notes: h.notes, vendor_id: h.vendor_id === null ? null : vendors.get(h.vendor_id)!, created_at: h.created_at, updated_at: h.updated_at }));
      const assets = await w.byKey('ip_assets', 'ip_key', data.assets, (a) => a.ip.key, (a) => ({
        ip_address: a.ip.address,
        ip_version: a.ip.version,
        ip_key: a.ip.key,
        type: a.type,
        project_id: a.project_id === null ? null : projects.get(a.project_id)!,
        host_id: a.host_id === null ? null : hosts.get(a.host_id)!,
        notes: a.notes,
        archived: a.archived,
        created_at: a.created_at,
        updated_at: a.updated_at,
      }));
      // Tags only for the assets this run created (a kept asset keeps its own set).
      const links: { ip_asset_id: number; tag_id: number }[] = [];
      for (const a of data.assets) {
        if (!w.wasCreated('ip_assets', a.id)) continue;
        for (const t of a.tag_ids) links.push({ ip_asset_id: assets.get(a.id)!, tag_id: tags.get(t)! });
      }
      tables.ip_asset_tags.source = data.assets.reduce((n, a) => n + a.tag_ids.length, 0);
      tables.ip_asset_tags.kept = tables.ip_asset_tags.source - links.length;
      await w.insertAll('ip_asset_tags', links);
      // Range names are unique here (the original allowed duplicates): a new range whose name is taken gets " (2)", … .
      const rangeNames = new Set(((await trx('ranges').select('name')) as { name: string }[]).map((r) => r.name));
      const storedCidrs = new Set(((await trx('ranges').select('cidr')) as { cidr: string }[]).map((r) => r.cidr));
      const nameOf = new Map(data.ranges.filter((r) => !storedCidrs.has(r.cidr.cidr)).map((r) => [r.id, uniqueName(r.name, rangeNames)]));
      await w.byKey('ranges', 'cidr', data.ranges, (r) => r.cidr.cidr, (r) => ({ name: nameOf.get(r.id) ?? r.name, notes: r.notes, ...cidrColumns(r.cidr), created_at: r.created_at, updated_at: r.updated_at }));
      // The audit log as it was; ids it points at are remapped where they still exist.
      const auditRows = data.audit.map((e) => ({
        user_id: e.user_id === null ? null : (users.get(e.user_id) ?? null),
        username: e.username,
        target_type: e.target_type,
        target_id: e.target_id === null ? null : e.target_type === 'IP_ASSET' ? (assets.get(e.target_id) ?? null) : e.target_type === 'USER' ? (users.get(e.target_id) ?? null) : null,
        target_label: e.target_label,
        action: e.action,
        changes: e.changes,
        created_at: e.created_at,
      }));
      tables.audit_log.source = auditRows.length;
      const fresh = opts.force ? await withoutCopied(trx, auditRows) : auditRows;
      tables.audit_log.kept = auditRows.length - fresh.length;
      await w.insertAll('audit_log', fresh);
      const counts = MIGRATED_TABLES.filter((t) => t !== 'audit_log').map((t) => `${t}=${tables[t].created}`).join('; ');
      await new AuditService({ db: trx, actor }).record({
        targetType: 'IMPORT_RUN',
        targetId: null,
        targetLabel: 'migrate_from_ipocket',
        action: 'APPLY',
        changes: `Migration from the original ipocket: input=${opts.source}; ${counts}; audit_log=${tables.audit_log.created}; kept=${MIGRATED_TABLES.reduce((n, t) => n + tables[t].kept, 0)}.`,
      });
      if (opts.dryRun) throw new DryRunDone(summary);
      return summary;
    });
  } catch (err) {
    if (err instanceof DryRunDone) return err.summary;
    throw err;
  }
}

/** Inserts in chunks and maps the source's ids to the new ones by natural key. */
class Writer {
  /** Source ids of the rows this run inserted (not kept), per table. */
  private readonly created = new Map<MigratedTable, Set<number>>();
  private readonly now = formatTimestamp();

  constructor(private readonly trx: Knex.Transaction, private readonly summary: MigrationSummary, private readonly opts: MigrateOptions) {}

  async byKey<T extends { id: number }>(table: MigratedTable, keyColumn: string, rows: readonly T[], key: (r: T) => string, values: (r: T, now: string) => Record<string, unknown>): Promise<Map<number, number>> {
    const stats = this.summary.tables[table];
    stats.source = rows.length;
    const ids = new Map<number, number>();
    const created = this.created.get(table) ?? new Set<number>();
    this.created.set(table, created);
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const keys = chunk.map(key);
      const existing = await this.idsByKey(table, keyColumn, keys);
      const fresh = chunk.filter((r) => !existing.has(key(r)));
      if (fresh.length) await this.trx(table).insert(fresh.map((r) => values(r, this.now)));
      const after = fresh.length ? await this.idsByKey(table, keyColumn, fresh.map(key)) : new Map<string, number>();
      for (const r of chunk) {
        const k = key(r);
        ids.set(r.id, existing.get(k) ?? after.get(k)!);
        if (!existing.has(k)) created.add(r.id);
      }
      stats.created += fresh.length;
      stats.kept += chunk.length - fresh.length;
      this.opts.onProgress?.(table, Math.min(i + CHUNK, rows.length), rows.length);
    }
    return ids;
  }

  wasCreated(table: MigratedTable, sourceId: number): boolean {
    return this.created.get(table)?.has(sourceId) ?? false;
  }

  async insertAll(table: MigratedTable, rows: readonly Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.trx(table).insert(rows.slice(i, i + CHUNK));
      this.opts.onProgress?.(table, Math.min(i + CHUNK, rows.length), rows.length);
    }
    this.summary.tables[table].created += rows.length;
  }

  private async idsByKey(table: string, column: string, keys: string[]): Promise<Map<string, number>> {
    const rows = (await this.trx(table).select('id', column).whereIn(column, keys)) as Record<string, unknown>[];
    return new Map(rows.map((r) => [String(r[column]), Number(r.id)]));
  }
}

type AuditRow = { username: string | null; target_type: string; target_label: string | null; action: string; changes: string | null; created_at: string };
const auditKey = (r: AuditRow): string => JSON.stringify([r.username, r.target_type, r.target_label, r.action, r.changes, r.created_at]);

/** A merge run again must not copy the history twice: entries already present (same text and time) are left out. */
async function withoutCopied<T extends AuditRow>(trx: Knex.Transaction, rows: T[]): Promise<T[]> {
  if (rows.length === 0) return rows;
  const times = rows.map((r) => r.created_at).sort();
  const present = (await trx('audit_log').select('username', 'target_type', 'target_label', 'action', 'changes', 'created_at').whereBetween('created_at', [times[0]!, times[times.length - 1]!])) as AuditRow[];
  const keys = new Set(present.map(auditKey));
  return rows.filter((r) => !keys.has(auditKey(r)));
}
