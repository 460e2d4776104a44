import type { Knex } from 'knex';
import { describeChanges, diffFields, type FieldValue } from '../domain/changes.js';
import { ConflictError, NotFoundError, UnresolvedReferenceError, ValidationError } from '../domain/errors.js';
import { tryParseAddress } from '../domain/ip/address.js';
import { formatTimestamp } from '../domain/time.js';
import { containsOperator, containsPattern } from '../db/helpers/text.js';
import { forUpdate } from '../db/transaction.js';
import { AuditService } from './audit.js';
import { recordAssetChanges, snapshotAssets } from './assets/history.js';
import { inTransaction, type ServiceContext } from './context.js';
import { insertRow, requireRow, updateRow } from './rows.js';
import { HostCreateSchema, HostListQuerySchema, HostUpdateSchema, type HostCreate, type HostListQuery, type HostUpdate } from './schemas/hosts.js';
import { parseInput } from './validate.js';

/** The wire shape: `vendor` is the vendor's name, as in the original. */
export interface Host {
  id: number;
  name: string;
  notes: string | null;
  vendor_id: number | null;
  vendor: string | null;
}

export interface HostDetail extends Host {
  linked_assets: { os: string[]; bmc: string[]; other: string[] };
}

export interface HostSummary extends Host {
  os_ips: string[];
  bmc_ips: string[];
  ip_count: number;
  project_ids: number[];
}

const HOST_SELECT = ['h.id', 'h.name', 'h.notes', 'h.vendor_id', 'v.name as vendor'];

/**
 * ORDER BY of a host list sort key; the name (unique) makes every page's order stable. Hosts
 * without a vendor come last either way (spelled in SQL: knex drops the column from "nulls last" on SQLite).
 */
function orderHosts(q: Knex.QueryBuilder, sort: string): Knex.QueryBuilder {
  const order = sort.startsWith('-') ? 'desc' : 'asc';
  if (sort.replace(/^-/, '') !== 'vendor') return q.orderBy('h.name', order);
  return q.orderByRaw('CASE WHEN v.name IS NULL THEN 1 ELSE 0 END').orderBy([{ column: 'v.name', order }, { column: 'h.name', order: 'asc' }]);
}

/** Hosts (servers, devices) that carry IP assets; deleting one keeps its IPs and unlinks them. */
export class HostsService {
  constructor(private readonly ctx: ServiceContext) {}

  private base(db: ServiceContext['db'] = this.ctx.db): Knex.QueryBuilder {
    return db('hosts as h').leftJoin('vendors as v', 'v.id', 'h.vendor_id').select(HOST_SELECT);
  }

  async get(id: number): Promise<HostDetail> {
    const host = (await this.base().where('h.id', id).first()) as Host | undefined;
    if (!host) throw new NotFoundError('Host', id);
    const assets = (await this.ctx.db('ip_assets').select('ip_address', 'type').where({ host_id: id, archived: false }).orderBy([{ column: 'ip_version' }, { column: 'ip_key' }])) as { ip_address: string; type: string }[];
    const linked = { os: [] as string[], bmc: [] as string[], other: [] as string[] };
    for (const a of assets) (a.type === 'OS' ? linked.os : a.type === 'BMC' ? linked.bmc : linked.other).push(a.ip_address);
    return { ...normalize(host), linked_assets: linked };
  }

  /** Hosts by name with their linked IPs; search covers name, vendor, notes and linked addresses. */
  async list(query: HostListQuery = {}): Promise<{ items: HostSummary[]; total: number }> {
    const f = parseInput(HostListQuerySchema, query, 'query');
    const { db } = this.ctx;
    const filtered = (): Knex.QueryBuilder => {
      const q = db('hosts as h').leftJoin('vendors as v', 'v.id', 'h.vendor_id');
      if (f.vendor_id) q.where('h.vendor_id', f.vendor_id);
      if (f.q) {
        const op = containsOperator(db);
        const p = containsPattern(f.q);
        q.where((b) => {
          b.whereRaw(`h.name ${op} ? ESCAPE '\\'`, [p])
            .orWhereRaw(`v.name ${op} ? ESCAPE '\\'`, [p])
            .orWhereRaw(`h.notes ${op} ? ESCAPE '\\'`, [p])
            .orWhereExists(db('ip_assets as a').select(db.raw('1')).whereRaw('a.host_id = h.id').whereRaw(`a.ip_address ${op} ? ESCAPE '\\'`, [p]));
        });
      }
      return q;
    };
    const hosts = (await orderHosts(filtered().select(HOST_SELECT), f.sort).limit(f.limit).offset(f.offset)) as Host[];
    const [{ n }] = (await filtered().count({ n: '*' })) as [{ n: number }];
    const ids = hosts.map((h) => Number(h.id));
    const assets = ids.length
      ? ((await db('ip_assets').select('host_id', 'ip_address', 'type', 'project_id').whereIn('host_id', ids).where('archived', false).orderBy([{ column: 'ip_version' }, { column: 'ip_key' }])) as { host_id: number; ip_address: string; type: string; project_id: number | null }[])
      : [];
    const items = hosts.map((h) => {
      const mine = assets.filter((a) => Number(a.host_id) === Number(h.id));
      return {
        ...normalize(h),
        os_ips: mine.filter((a) => a.type === 'OS').map((a) => a.ip_address),
        bmc_ips: mine.filter((a) => a.type === 'BMC').map((a) => a.ip_address),
        ip_count: mine.length,
        project_ids: [...new Set(mine.map((a) => a.project_id).filter((p): p is number => p !== null).map(Number))],
      };
    });
    return { items, total: Number(n) };
  }

  async create(input: HostCreate): Promise<HostDetail> {
    const data = parseInput(HostCreateSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      await checkVendor(trx, data.vendor_id);
      const now = formatTimestamp();
      const id = await insertRow(trx, 'hosts', { name: data.name, notes: data.notes ?? null, vendor_id: data.vendor_id ?? null, created_at: now, updated_at: now }, conflict(data.name));
      const self = new HostsService({ ...this.ctx, db: trx });
      await self.linkAddresses(id, data);
      const after = await self.get(id);
      await self.audit('CREATE', after, describeChanges(diffFields({}, view(after))));
      return after;
    });
  }

  async update(id: number, input: HostUpdate): Promise<HostDetail> {
    const patch = parseInput(HostUpdateSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const self = new HostsService({ ...this.ctx, db: trx });
      const before = await self.get(id);
      await checkVendor(trx, patch.vendor_id);
      const set: Record<string, unknown> = {};
      for (const key of ['name', 'notes', 'vendor_id'] as const) if (patch[key] !== undefined && patch[key] !== before[key]) set[key] = patch[key];
      if (Object.keys(set).length > 0) await updateRow(trx, 'hosts', id, { ...set, updated_at: formatTimestamp() }, conflict(String(patch.name)));
      await self.linkAddresses(id, patch);
      const after = await self.get(id);
      const changes = diffFields(view(before), view(after));
      if (changes.length > 0) await self.audit('UPDATE', after, describeChanges(changes));
      return after;
    });
  }

  /** Deletes the host; its IP assets stay and lose the link. */
  async delete(id: number): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const self = new HostsService({ ...this.ctx, db: trx });
      const host = await self.get(id);
      const before = await snapshotAssets(trx, (q) => q.where('a.host_id', id));
      await trx('ip_assets').where({ host_id: id }).update({ host_id: null, updated_at: formatTimestamp() });
      await recordAssetChanges(self.ctx, before, await snapshotAssets(trx, (q) => q.whereIn('a.id', [...before.keys()])));
      await trx('hosts').where({ id }).delete();
      await self.audit('DELETE', host, describeChanges(diffFields(view(host), {})));
    });
  }

  /**
   * Links the OS/BMC addresses given (creating missing assets of that type; `null` unlinks the
   * current one, keeping the asset) and applies project_id to every linked IP. Without a
   * project_id, an IP newly linked to a host whose IPs share one project gets that project when
   * it has none (the host is "in" that project; an IP of another project keeps its own). Each
   * address that changes gets its own entry, so its history shows the host edit.
   */
  private async linkAddresses(hostId: number, data: { os_ip?: string | null; bmc_ip?: string | null; project_id?: number | null }): Promise<void> {
    const { db } = this.ctx;
    const keys = [data.os_ip, data.bmc_ip].map((v) => (v ? tryParseAddress(v)?.key : undefined)).filter((k): k is string => k !== undefined);
    const touched = (q: Knex.QueryBuilder): void => void q.where('a.host_id', hostId).orWhereIn('a.ip_key', keys);
    const before = await snapshotAssets(db, touched);
    if (data.project_id != null && !(await db('projects').where({ id: data.project_id }).first('id'))) {
      throw new UnresolvedReferenceError('project_id', 'Project not found.', `Project ${data.project_id} does not exist.`);
    }
    // Read before the current links are replaced: the host's project is that of the IPs it has now.
    const hostProject = data.project_id !== undefined ? data.project_id : await this.soleProject(hostId);
    const now = formatTimestamp();
    for (const [field, type] of [['os_ip', 'OS'], ['bmc_ip', 'BMC']] as const) {
      const value = data[field];
      if (value === undefined) continue;
      await db('ip_assets').where({ host_id: hostId, type }).update({ host_id: null, updated_at: now });
      if (value === null || value === '') continue;
      const parsed = tryParseAddress(value);
      if (!parsed) throw ValidationError.field(field, 'Invalid IP address.');
      // Locked (and the insert's unique key checked): of hosts linking one address in parallel, one wins, the rest get 409.
      const taken = new ConflictError(`${parsed.address} is already linked to another host.`, field);
      const existing = (await forUpdate(db, db('ip_assets').select('id', 'host_id').where({ ip_key: parsed.key }).first())) as { id: number; host_id: number | null } | undefined;
      if (existing && existing.host_id !== null && Number(existing.host_id) !== hostId) throw taken;
      if (existing) {
        await db('ip_assets').where({ id: existing.id }).update({ host_id: hostId, type, archived: false, updated_at: now });
        if (hostProject !== null) await db('ip_assets').where({ id: existing.id }).whereNull('project_id').update({ project_id: hostProject });
      } else {
        const row = { ip_address: parsed.address, ip_version: parsed.version, ip_key: parsed.key, type, host_id: hostId, project_id: hostProject, archived: false, created_at: now, updated_at: now };
        await insertRow(db, 'ip_assets', row, taken);
      }
    }
    if (data.project_id !== undefined) await db('ip_assets').where({ host_id: hostId }).update({ project_id: data.project_id, updated_at: now });
    await recordAssetChanges(this.ctx, before, await snapshotAssets(db, (q) => (touched(q), void q.orWhereIn('a.id', [...before.keys()]))));
  }

  /** The one project every active IP of the host is in; null when it has none, an unassigned IP, or several projects. */
  private async soleProject(hostId: number): Promise<number | null> {
    const rows = (await this.ctx.db('ip_assets').distinct('project_id').where({ host_id: hostId, archived: false })) as { project_id: number | null }[];
    return rows.length === 1 && rows[0]!.project_id !== null ? Number(rows[0]!.project_id) : null;
  }

  private async audit(action: 'CREATE' | 'UPDATE' | 'DELETE', host: Host, changes: string): Promise<void> {
    await new AuditService(this.ctx).record({ targetType: 'HOST', targetId: host.id, targetLabel: host.name, action, changes });
  }
}

function normalize<T extends Host>(h: T): T {
  return { ...h, id: Number(h.id), vendor_id: h.vendor_id === null ? null : Number(h.vendor_id) };
}

function view(h: HostDetail): Record<string, FieldValue> {
  return { name: h.name, notes: h.notes, vendor: h.vendor, os_ips: h.linked_assets.os, bmc_ips: h.linked_assets.bmc };
}

function conflict(name: string): ConflictError {
  return new ConflictError(`Host "${name}" already exists.`, 'name');
}

async function checkVendor(db: ServiceContext['db'], vendorId: number | null | undefined): Promise<void> {
  if (vendorId != null) await requireRow(db, 'vendors', vendorId, 'Vendor').catch(() => {
    throw new UnresolvedReferenceError('vendor_id', 'Selected vendor does not exist.', `Vendor ${vendorId} does not exist.`);
  });
}
