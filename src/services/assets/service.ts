import type { Knex } from 'knex';
import { bmcHostName, type AssetType } from '../../domain/asset-types.js';
import { describeChanges, diffFields, type FieldValue } from '../../domain/changes.js';
import { ConflictError, NotFoundError, UnresolvedReferenceError, ValidationError } from '../../domain/errors.js';
import { parseAddress } from '../../domain/ip/address.js';
import { formatTimestamp } from '../../domain/time.js';
import { isUniqueViolation } from '../../db/errors.js';
import { isPostgres } from '../../db/helpers/dialect.js';
import { forUpdate } from '../../db/transaction.js';
import { AuditService } from '../audit.js';
import { HostsService } from '../hosts.js';
import { inTransaction, toBool, type ServiceContext } from '../context.js';
import {
  AssetBulkUpdateSchema,
  AssetCreateSchema,
  AssetListQuerySchema,
  AssetUpdateSchema,
  type AssetBulkUpdate,
  type AssetCreate,
  type AssetListQuery,
  type AssetUpdate,
} from '../schemas/assets.js';
import { ensureTagIds } from '../tags.js';
import { assertNotReserved } from '../pools/holders.js';
import { parseInput } from '../validate.js';
import { planAssetList, resolveFilter } from './list.js';
import { listSeenBy } from './seen-by.js';
import type { AssetSeenBy } from './wire.js';
import { ASSET_COLUMNS, assetColumnsWithTags, tagChipsByAsset, toAsset, toTaggedAsset, withTags, type Asset, type AssetRow, type TagChip } from './records.js';

export interface AssetsOptions {
  /** Link a BMC created without host to server_<ip> (IPOCKET_AUTO_HOST_FOR_BMC). */
  autoHostForBmc?: boolean;
  /** Totals of text/tag filters stop counting here (tests lower it). */
  countCap?: number;
  /** Below this many structural matches a search walks the rows in order (tests lower it to drive the index path). */
  walkLimit?: number;
}

/** A row selected with assetColumnsWithTags. */
type TaggedRow = AssetRow & { tag_names: string | null };

/** IP assets: the inventory's core records, with tags, audit and the list every surface shows. */
export class AssetsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: AssetsOptions = {},
  ) {}

  private scoped(db: Knex.Transaction): AssetsService {
    return new AssetsService({ ...this.ctx, db }, this.options);
  }

  /** One asset by address (any spelling), archived or not; null when unknown. */
  async findByAddress(address: string): Promise<Asset | null> {
    const parsed = parseAddress(address);
    const row = (await this.tagged().where('a.ip_key', parsed.key).first()) as TaggedRow | undefined;
    return row ? toTaggedAsset(row) : null;
  }

  /** Like findByAddress but NotFoundError when unknown. */
  async getByAddress(address: string): Promise<Asset> {
    const asset = await this.findByAddress(address);
    if (!asset) throw new NotFoundError('IP address', address);
    return asset;
  }

  /**
   * The sources that report the address (archived or not), most recently seen first; NotFoundError when
   * unknown, and when archived with `activeOnly` — decided before the sightings are read, so a 404 reads no sightings.
   */
  async seenBy(address: string, opts: { activeOnly?: boolean } = {}): Promise<{ asset: Asset; seen_by: AssetSeenBy[] }> {
    const asset = await this.getByAddress(address);
    if (opts.activeOnly && asset.archived) throw new NotFoundError('IP address', address);
    return { asset, seen_by: await listSeenBy(this.ctx.db, asset.id) };
  }

  async getById(id: number): Promise<Asset> {
    const row = (await this.tagged().where('a.id', id).first()) as TaggedRow | undefined;
    if (!row) throw new NotFoundError('IP asset', id);
    return toTaggedAsset(row);
  }

  /** `ip_assets AS a` selecting an asset's columns and tags in one query. */
  private tagged(): Knex.QueryBuilder {
    return this.ctx.db('ip_assets as a').select(assetColumnsWithTags(this.ctx.db, 'a'));
  }

  /** Each asset's tags with their colours (chips), by asset id; every id given is a key. */
  tagChips(ids: readonly number[]): Promise<Map<number, TagChip[]>> {
    return tagChipsByAsset(this.ctx.db, ids);
  }

  /**
   * The filtered list in numeric address order (IPv4 first), one page, plus the total
   * (exact, or "at least COUNT_CAP" when `total_exact` is false). See planAssetList for costs.
   */
  async list(query: AssetListQuery = {}): Promise<{ items: Asset[]; total: number; total_exact: boolean }> {
    const filter = parseInput(AssetListQuerySchema, query, 'query');
    const { db } = this.ctx;
    const plan = planAssetList(db, await resolveFilter(db, filter), this.options.countCap, this.options.walkLimit);
    const items = plan.pageRows ? ((await plan.pageRows(assetColumnsWithTags(db, 'a'), filter.limit, filter.offset)) as TaggedRow[]).map(toTaggedAsset) : await this.rowsOf(await plan.pageIds(filter.limit, filter.offset));
    // A short page needs no count unless it is empty past the start (the offset may be beyond the end).
    if (items.length < filter.limit && (items.length > 0 || filter.offset === 0)) return { items, total: filter.offset + items.length, total_exact: true };
    const { total, exact } = await plan.count();
    return { items, total, total_exact: exact };
  }

  /** The assets of `ids`, in their order. */
  private async rowsOf(ids: readonly number[]): Promise<Asset[]> {
    const rows = ids.length ? ((await this.tagged().whereIn('a.id', [...ids])) as TaggedRow[]) : [];
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    return ids.map((id) => toTaggedAsset(byId.get(id)!));
  }

  /** Creates an asset, or restores the archived row of the same address. */
  async create(input: AssetCreate): Promise<Asset> {
    const data = parseInput(AssetCreateSchema, input);
    const parsed = parseAddress(data.ip_address);
    return inTransaction(this.ctx.db, async (trx) => {
      const self = this.scoped(trx);
      await self.checkReferences(data.project_id, data.host_id);
      // Locked: of parallel restores of one archived address only the first finds it archived.
      const existing = (await forUpdate(trx, trx('ip_assets').select(ASSET_COLUMNS).where({ ip_key: parsed.key }).first())) as AssetRow | undefined;
      if (existing && !toBool(existing.archived)) throw new ConflictError('IP address already exists.', 'ip_address');
      await assertNotReserved(trx, parsed);
      if (existing && data.if_archived === 'conflict') {
        throw new ConflictError(`IP address ${parsed.address} is archived.`, 'ip_address', { archived_asset: await self.getById(Number(existing.id)) });
      }
      let hostId = data.host_id ?? null;
      const autoHost = data.auto_host ?? this.options.autoHostForBmc ?? true;
      if (data.type === 'BMC' && hostId === null && autoHost) hostId = await new HostsService(self.ctx).ensureNamed(bmcHostName(parsed.address));
      const now = formatTimestamp();
      const fields = { type: data.type, project_id: data.project_id ?? null, host_id: hostId, notes: data.notes ?? null };
      if (existing) {
        const before = await self.getById(Number(existing.id));
        await trx('ip_assets').where({ id: existing.id }).update({ ...fields, archived: false, updated_at: now });
        if (data.tags) await self.replaceTags(Number(existing.id), data.tags);
        const after = await self.getById(Number(existing.id));
        await self.audit('UPDATE', after, await self.describe(before, after));
        return after;
      }
      let row: AssetRow;
      try {
        [row] = (await trx('ip_assets')
          .insert({ ip_address: parsed.address, ip_version: parsed.version, ip_key: parsed.key, ...fields, archived: false, created_at: now, updated_at: now })
          .returning(ASSET_COLUMNS)) as [AssetRow];
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError('IP address already exists.', 'ip_address');
        throw err;
      }
      // The row as stored, and exactly the tags linked just now: no read back.
      if (isPostgres(trx) && data.tags && data.tags.length > 0) {
        const asset = toAsset(row, [...new Set(data.tags)].sort());
        await self.linkFreshTagsAndAudit(asset, await self.describe(null, asset));
        return asset;
      }
      const asset = toAsset(row, data.tags && data.tags.length > 0 ? await self.replaceTags(Number(row.id), data.tags, true) : []);
      await self.audit('CREATE', asset, await self.describe(null, asset));
      return asset;
    });
  }

  /** Changes only the fields present; null clears project, host or notes; tags replace the set. */
  async update(address: string, input: AssetUpdate): Promise<Asset> {
    const patch = parseInput(AssetUpdateSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const self = this.scoped(trx);
      const before = await self.lockByAddress(address);
      return self.applyUpdate(before, patch);
    });
  }

  private async applyUpdate(before: Asset, patch: ReturnType<typeof AssetUpdateSchema.parse>): Promise<Asset> {
    const { db } = this.ctx;
    await this.checkReferences(patch.project_id, patch.host_id);
    const set: Record<string, unknown> = {};
    for (const key of ['type', 'project_id', 'host_id', 'notes', 'archived'] as const) {
      if (patch[key] !== undefined && patch[key] !== before[key]) set[key] = patch[key];
    }
    const tagsChanged = patch.tags !== undefined && patch.tags.join(',') !== before.tags.join(',');
    if (Object.keys(set).length === 0 && !tagsChanged) return before;
    const updatedAt = formatTimestamp();
    await db('ip_assets').where({ id: before.id }).update({ ...set, updated_at: updatedAt });
    const tags = tagsChanged ? await this.replaceTags(before.id, patch.tags!) : before.tags;
    // The row is locked since `before` was read: it now holds exactly before + this change (no re-read).
    const after: Asset = { ...before, ...(set as Partial<Asset>), tags, updated_at: updatedAt };
    await this.audit('UPDATE', after, await this.describe(before, after));
    return after;
  }

  /** Soft delete; idempotent (no audit entry when already archived). */
  async archive(address: string): Promise<Asset> {
    return inTransaction(this.ctx.db, async (trx) => {
      const self = this.scoped(trx);
      const before = await self.lockByAddress(address);
      return self.applyUpdate(before, { archived: true });
    });
  }

  /**
   * Brings an archived asset back as it was: project, host, tags, notes and its history (the same
   * row, so its audit trail continues). 404 when unknown; 409 when it is not archived.
   */
  async restore(address: string): Promise<Asset> {
    return inTransaction(this.ctx.db, async (trx) => {
      const self = this.scoped(trx);
      // Locked: of parallel restores only the first finds the row archived, the rest get 409.
      const before = await self.lockByAddress(address);
      if (!before.archived) throw new ConflictError(`IP address ${before.ip_address} is not archived.`, 'ip_address');
      await assertNotReserved(trx, parseAddress(before.ip_address));
      return self.applyUpdate(before, { archived: false });
    });
  }

  /** Hard delete, with its tags. */
  async delete(address: string): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const self = this.scoped(trx);
      const asset = await self.lockByAddress(address);
      await trx('ip_assets').where({ id: asset.id }).delete();
      await self.audit('DELETE', asset, await self.describe(asset, null));
    });
  }

  /** Applies one change to many assets in one transaction; one audit entry per asset that changed. */
  async bulkUpdate(input: AssetBulkUpdate): Promise<{ updated: number; unchanged: number }> {
    const data = parseInput(AssetBulkUpdateSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const self = this.scoped(trx);
      await self.checkReferences(data.project_id, undefined);
      // Locked in id order before anything is computed from them: parallel bulk edits of the same
      // assets then apply one after the other (none reads a state another is changing) and never deadlock.
      const ids = [...new Set(data.asset_ids)].sort((a, b) => a - b);
      const rows: AssetRow[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        rows.push(...((await forUpdate(trx, trx('ip_assets').select(ASSET_COLUMNS).whereIn('id', ids.slice(i, i + 500)).orderBy('id'))) as AssetRow[]));
      }
      if (rows.length < ids.length) {
        const found = new Set(rows.map((r) => Number(r.id)));
        const missing = ids.filter((id) => !found.has(id));
        throw new ValidationError([{ loc: ['body', 'asset_ids'], msg: `unknown asset id(s): ${missing.slice(0, 10).join(', ')}`, type: 'value_error' }]);
      }
      const assets = await withTags(trx, rows);
      let updated = 0;
      for (const asset of assets) {
        const tags = new Set(asset.tags);
        for (const t of data.add_tags ?? []) tags.add(t);
        for (const t of data.remove_tags ?? []) tags.delete(t);
        let notes: string | null | undefined;
        if (data.notes_mode === 'set') notes = data.notes ?? '';
        else if (data.notes_mode === 'append') notes = asset.notes ? `${asset.notes}\n${data.notes}` : (data.notes ?? '');
        else if (data.notes_mode === 'clear') notes = null;
        const after = await self.applyUpdate(asset, {
          type: data.type,
          project_id: data.project_id,
          notes,
          tags: data.add_tags || data.remove_tags ? [...tags].sort() : undefined,
          archived: data.archived,
        });
        if (after !== asset) updated++;
      }
      return { updated, unchanged: assets.length - updated };
    });
  }

  /** Marks addresses as seen now (Nmap, connectors); returns how many existed. */
  async touchLastSeen(keys: string[], at = formatTimestamp()): Promise<number> {
    let n = 0;
    for (let i = 0; i < keys.length; i += 500) n += Number(await this.ctx.db('ip_assets').whereIn('ip_key', keys.slice(i, i + 500)).update({ last_seen_at: at }));
    return n;
  }

  /**
   * The asset, its row locked for this transaction's read-modify-write. Its project's and host's
   * names come along (subqueries in the select list: FOR UPDATE locks only ip_assets) for the
   * change description, which then reads no name of its own.
   */
  private async lockByAddress(address: string): Promise<Asset> {
    const parsed = parseAddress(address);
    const { db } = this.ctx;
    const named = this.tagged().select(db.raw('(SELECT p.name FROM projects AS p WHERE p.id = a.project_id) AS project_name'), db.raw('(SELECT h.name FROM hosts AS h WHERE h.id = a.host_id) AS host_name'));
    const row = (await forUpdate(db, named.where('a.ip_key', parsed.key).first())) as (TaggedRow & { project_name: string | null; host_name: string | null }) | undefined;
    if (!row) throw new NotFoundError('IP address', address);
    const asset = toTaggedAsset(row);
    if (asset.project_id !== null && row.project_name !== null) this.names.set(`projects:${asset.project_id}`, row.project_name);
    if (asset.host_id !== null && row.host_name !== null) this.names.set(`hosts:${asset.host_id}`, row.host_name);
    return asset;
  }

  /**
   * PostgreSQL, an asset inserted in this transaction: links its tags that exist and writes its
   * CREATE entry in one statement (a CTE), instead of a tag lookup, the links and the entry in three.
   * Tags new to the inventory are then created and linked as replaceTags does (ensureTagIds takes
   * over a name a parallel writer created first).
   */
  private async linkFreshTagsAndAudit(asset: Asset, changes: string): Promise<void> {
    const { db } = this.ctx;
    const entry = new AuditService(this.ctx).rows([{ targetType: 'IP_ASSET', targetId: asset.id, targetLabel: asset.ip_address, action: 'CREATE', changes }]);
    const { rows } = (await db.raw(
      `WITH found AS (SELECT id, name FROM tags WHERE name = ANY(?)),
       linked AS (INSERT INTO ip_asset_tags (ip_asset_id, tag_id) SELECT ?, id FROM found ON CONFLICT (ip_asset_id, tag_id) DO NOTHING),
       logged AS (?)
       SELECT name FROM found`,
      [asset.tags, asset.id, db('audit_log').insert(entry)],
    )) as { rows: { name: string }[] };
    const found = new Set(rows.map((r) => r.name));
    const missing = asset.tags.filter((n) => !found.has(n));
    if (missing.length === 0) return;
    const ids = await ensureTagIds(db, missing);
    await db('ip_asset_tags')
      .insert([...new Set(ids.values())].map((tagId) => ({ ip_asset_id: asset.id, tag_id: tagId })))
      .onConflict(['ip_asset_id', 'tag_id'])
      .ignore();
  }

  /** The original checks the host first and answers one plain message ("Host not found."). */
  private async checkReferences(projectId: number | null | undefined, hostId: number | null | undefined): Promise<void> {
    if (hostId != null && !(await this.knownName('hosts', hostId))) {
      throw new UnresolvedReferenceError('host_id', 'Host not found.', `Host ${hostId} does not exist.`);
    }
    if (projectId != null && !(await this.knownName('projects', projectId))) {
      throw new UnresolvedReferenceError('project_id', 'Project not found.', `Project ${projectId} does not exist.`);
    }
  }

  /** Project and host names read by this service instance (one request): the existence check and the audit diff share one read. */
  private readonly names = new Map<string, string>();

  /** The name of the project or host, or undefined when there is none with that id. */
  private async knownName(table: 'projects' | 'hosts', id: number): Promise<string | undefined> {
    const key = `${table}:${id}`;
    const known = this.names.get(key);
    if (known !== undefined) return known;
    const row = (await this.ctx.db(table).select('name').where({ id }).first()) as { name: string } | undefined;
    if (row) this.names.set(key, row.name);
    return row?.name;
  }

  /**
   * Makes the asset's tags exactly `names`: removes the others, adds the missing (never
   * delete-and-reinsert). `fresh`: the asset was inserted in this transaction and has no tags yet.
   * Returns the tag names as stored, in name order (tag names are ASCII: the database's order).
   */
  private async replaceTags(assetId: number, names: string[], fresh = false): Promise<string[]> {
    const { db } = this.ctx;
    const ids = await ensureTagIds(db, names);
    const keep = [...new Set(ids.values())].sort((a, b) => a - b);
    const gone = db('ip_asset_tags').where({ ip_asset_id: assetId });
    if (!fresh) await (keep.length > 0 ? gone.whereNotIn('tag_id', keep) : gone).delete();
    if (keep.length === 0) return [];
    await db('ip_asset_tags')
      .insert(keep.map((tagId) => ({ ip_asset_id: assetId, tag_id: tagId })))
      .onConflict(['ip_asset_id', 'tag_id'])
      .ignore();
    return [...ids.keys()].sort();
  }

  /** Readable diff with project and host names instead of ids. */
  private async describe(before: Asset | null, after: Asset | null): Promise<string> {
    // Before and after mostly share their project and host: each name is read once.
    const names = new Map<string, Promise<string>>();
    const nameOf = (table: 'projects' | 'hosts', id: number): Promise<string> => {
      const key = `${table}:${id}`;
      if (!names.has(key)) names.set(key, this.nameOf(table, id));
      return names.get(key)!;
    };
    const view = async (a: Asset | null): Promise<Record<string, FieldValue>> => {
      if (!a) return {};
      return {
        type: a.type,
        project: a.project_id ? await nameOf('projects', a.project_id) : null,
        host: a.host_id ? await nameOf('hosts', a.host_id) : null,
        notes: a.notes,
        archived: a.archived,
        tags: a.tags,
      };
    };
    const b = await view(before);
    const a = await view(after);
    return describeChanges(diffFields(b, after ? a : Object.fromEntries(Object.keys(b).map((k) => [k, null]))));
  }

  private async nameOf(table: 'projects' | 'hosts', id: number): Promise<string> {
    return (await this.knownName(table, id)) ?? `#${id}`;
  }

  private async audit(action: 'CREATE' | 'UPDATE' | 'DELETE', asset: Asset, changes: string): Promise<void> {
    await new AuditService(this.ctx).record({ targetType: 'IP_ASSET', targetId: asset.id, targetLabel: asset.ip_address, action, changes });
  }
}

export type { Asset, AssetType };
