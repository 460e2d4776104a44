import type { Knex } from 'knex';
import { describeChanges, diffFields, type FieldValue } from '../domain/changes.js';
import { ConflictError, NotFoundError, UnresolvedReferenceError } from '../domain/errors.js';
import { formatTimestamp } from '../domain/time.js';
import { containsOperator, containsPattern } from '../db/helpers/text.js';
import { AuditService } from './audit.js';
import { activeIpCounts, linkHostAddresses, unlinkHostAddresses } from './assets/host-links.js';
import { inTransaction, type ServiceContext } from './context.js';
import { createdRow, fieldChangeRows, writeChanges, type ChangeAuthor } from './devices/history.js';
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

  /** Several hosts by id (missing ids are left out), in one statement: GraphQL's host loader. */
  async byIds(ids: readonly number[]): Promise<Host[]> {
    if (ids.length === 0) return [];
    return ((await this.base().whereIn('h.id', [...ids])) as Host[]).map(normalize);
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
    // The total rides along with the page (one round trip); an empty page (offset past the end)
    // counts apart. Unfiltered it is a count of the table, so the page reads only its own rows
    // from the name index; a window over the filtered rows would join and count every host first.
    const total = f.vendor_id || f.q ? db.raw('count(*) OVER () AS total') : db('hosts').count('*').as('total');
    const page = (await orderHosts(filtered().select([...HOST_SELECT, total]), f.sort).limit(f.limit).offset(f.offset)) as (Host & { total: number | string })[];
    const n = page.length > 0 ? Number(page[0]!.total) : Number(((await filtered().count({ n: '*' })) as [{ n: number | string }])[0].n);
    const hosts: Host[] = page.map(({ total: _total, ...h }) => h);
    const ids = hosts.map((h) => Number(h.id));
    const assets = ids.length
      ? ((await db('ip_assets').select('host_id', 'ip_address', 'type', 'project_id', 'ip_version', 'ip_key').whereIn('host_id', ids).where('archived', false)) as { host_id: number; ip_address: string; type: string; project_id: number | null; ip_version: number; ip_key: string }[])
      : [];
    // Sorted here, not in SQL: an ORDER BY on the list index's columns made SQLite walk every live
    // asset in address order instead of reading the page's hosts through ip_assets_host.
    assets.sort((a, b) => a.ip_version - b.ip_version || (a.ip_key < b.ip_key ? -1 : a.ip_key > b.ip_key ? 1 : 0));
    // Grouped once: a filter of all the page's addresses per host was the hosts page's largest
    // self time in the server's CPU profile under load (hosts × addresses comparisons).
    const byHost = new Map<number, typeof assets>();
    for (const a of assets) {
      const list = byHost.get(Number(a.host_id));
      if (list) list.push(a);
      else byHost.set(Number(a.host_id), [a]);
    }
    const items = hosts.map((h) => {
      const mine = byHost.get(Number(h.id)) ?? [];
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
      const id = await insertRow(trx, 'hosts', { name: data.name, notes: data.notes ?? null, vendor_id: data.vendor_id ?? null, created_at: now, updated_at: now }, hostNameConflict(data.name));
      const self = new HostsService({ ...this.ctx, db: trx });
      await linkHostAddresses(self.ctx, id, data);
      const after = await self.get(id);
      await self.audit('CREATE', after, describeChanges(diffFields({}, view(after))));
      await writeChanges(trx, [createdRow(id, self.author())]);
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
      if (Object.keys(set).length > 0) await updateRow(trx, 'hosts', id, { ...set, updated_at: formatTimestamp() }, hostNameConflict(String(patch.name)));
      await linkHostAddresses(self.ctx, id, patch);
      const after = await self.get(id);
      const changes = diffFields(view(before), view(after));
      if (changes.length > 0) {
        await self.audit('UPDATE', after, describeChanges(changes));
        await writeChanges(trx, fieldChangeRows(id, changes, self.author()));
      }
      return after;
    });
  }

  /**
   * The host of that name, created (with its CREATE entry) when missing: the BMC auto-host
   * (`server_<ip>`, IPOCKET_AUTO_HOST_FOR_BMC) of AssetsService.create. A parallel create of the
   * same name may insert it first: then that one is used (no 500, no second audit entry).
   */
  async ensureNamed(name: string): Promise<number> {
    const { db } = this.ctx;
    const existing = (await db('hosts').select('id').where({ name }).first()) as { id: number } | undefined;
    if (existing) return Number(existing.id);
    const now = formatTimestamp();
    const [row] = await db('hosts').insert({ name, notes: null, vendor_id: null, created_at: now, updated_at: now }).onConflict('name').ignore().returning('id');
    if (!row) return Number(((await db('hosts').select('id').where({ name }).first()) as { id: number }).id);
    const id = Number((row as { id: number }).id);
    await new AuditService(this.ctx).record({ targetType: 'HOST', targetId: id, targetLabel: name, action: 'CREATE', changes: `name: (empty) → "${name}"` });
    await writeChanges(db, [createdRow(id, this.author())]);
    return id;
  }

  /** Active linked IPs per host (the panel's host list column); hosts with none are absent. */
  ipCounts(hostIds: readonly number[]): Promise<Map<number, number>> {
    return activeIpCounts(this.ctx.db, hostIds);
  }

  /** Deletes the host; its IP assets stay and lose the link. */
  async delete(id: number): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const self = new HostsService({ ...this.ctx, db: trx });
      const host = await self.get(id);
      await unlinkHostAddresses(self.ctx, id);
      await trx('hosts').where({ id }).delete();
      await self.audit('DELETE', host, describeChanges(diffFields(view(host), {})));
    });
  }

  /** A host IS a device: its edits are the device's history too, by this actor. */
  private author(): ChangeAuthor {
    return { changedBy: this.ctx.actor.username, runId: null, source: null };
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

/** The one rule for a taken name, shared by hosts and devices (they are one table). */
export function hostNameConflict(name: string): ConflictError {
  return new ConflictError(`Host "${name}" already exists.`, 'name');
}

async function checkVendor(db: ServiceContext['db'], vendorId: number | null | undefined): Promise<void> {
  if (vendorId != null) await requireRow(db, 'vendors', vendorId, 'Vendor').catch(() => {
    throw new UnresolvedReferenceError('vendor_id', 'Selected vendor does not exist.', `Vendor ${vendorId} does not exist.`);
  });
}
