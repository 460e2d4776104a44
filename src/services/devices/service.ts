import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { describeChanges } from '../../domain/changes.js';
import { FACT_FIELD_NAMES, type FactField, type FactValue } from '../../domain/devices/fields.js';
import { ValidationError } from '../../domain/errors.js';
import { formatTimestamp } from '../../domain/time.js';
import { AuditService } from '../audit.js';
import { inTransaction, type ServiceContext } from '../context.js';
import { hostNameConflict } from '../hosts.js';
import { insertRow, updateRow } from '../rows.js';
import { ProjectsService } from '../projects.js';
import { parseInput } from '../validate.js';
import { applyCustomValues, loadCustomValues } from './custom-fields.js';
import { recordFacts } from './facts.js';
import { changeRows, createdRow, listChanges, writeChanges, type ChangeAuthor } from './history.js';
import { listDevices } from './list.js';
import { countBy, deviceDashboard, deviceStats, laimSources, type DeviceDashboardData, type DeviceGroupColumn, type DeviceStats, type SourceCounts } from './stats.js';
import { checkReferences } from './references.js';
import { ArchiveSchema, BulkEditSchema, DeviceCreateSchema, DeviceEditSchema, DevicePatchSchema, FACT_VALUE_SCHEMAS, MANUAL_COLUMNS, SourceSchema, TagChangeSchema, type BulkEdit, type DeviceCreate, type DeviceEdit, type DeviceListQuery, type DevicePatch, type FactRecordInput, type HistoryQuery, type TagChange } from './schemas.js';
import { bringUpToDate } from './effective.js';
import { detail, details, stateOf } from './detail.js';
import { snapshot, type DeviceState } from './state.js';
import type { DeviceChange, DeviceDetail, DeviceFactField, DeviceSummary, FactsResult } from './wire.js';

/** Audit entries of devices use the hosts' target type: a device IS a host, with one trail. */
export const DEVICE_AUDIT_TARGET = 'HOST';

const FactFieldSchema = z.enum(FACT_FIELD_NAMES as [FactField, ...FactField[]], { error: `must be one of ${FACT_FIELD_NAMES.join(', ')}` });

/**
 * Devices (hosts, VMs, hypervisors, lab hardware): one table (`hosts`), facts per source apart
 * from what people set, overrides that win over every source, and the change history.
 *
 * Every write runs in one transaction: it snapshots the device, changes it, brings the effective
 * columns up to date, and writes one history row per field that really changed (and an audit
 * entry for a person's change); a write that changes nothing writes neither.
 */
export class DevicesService {
  constructor(private readonly ctx: ServiceContext) {}

  /** A page of devices; `total_exact: false` when a combined filter's count stopped at COUNT_CAP. */
  list(query: DeviceListQuery = {}): Promise<{ items: DeviceSummary[]; total: number; total_exact: boolean }> {
    return listDevices(this.ctx.db, query);
  }

  async get(id: number): Promise<DeviceDetail> {
    return detail(this.ctx.db, id);
  }

  /** The device pages of several devices, in `ids` order (missing ids left out), read set-based: a fixed number of statements however many. */
  async getMany(ids: readonly number[]): Promise<DeviceDetail[]> {
    return details(this.ctx.db, ids);
  }

  /** Creates a device; fact fields given here are the `manual` source's facts (a sync outranks them). */
  async create(input: DeviceCreate): Promise<DeviceDetail> {
    const d = parseInput(DeviceCreateSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      await checkReferences(trx, d);
      const now = formatTimestamp();
      const row: Record<string, unknown> = { created_at: now, updated_at: now, kind: d.kind ?? 'other' };
      for (const c of MANUAL_COLUMNS) row[c] = d[c] ?? null;
      const id = await insertRow(trx, 'hosts', row, hostNameConflict(d.name));
      const facts: Record<string, FactValue> = {};
      for (const f of FACT_FIELD_NAMES) if (d[f] != null) facts[f] = d[f];
      if (Object.keys(facts).length > 0) {
        await trx('device_facts').insert({ device_id: id, source: 'manual', external_id: `device-${id}`, fields: JSON.stringify(facts), raw: null, run_id: null, first_seen_at: now, last_seen_at: now });
      }
      await writeManualLists(trx, id, d, this.ctx.actor.username);
      await applyCustomValues(trx, id, String(d.kind ?? 'other'), d.custom_fields ?? {}, true);
      await bringUpToDate(trx, [await stateOf(trx, id)]);
      await writeChanges(trx, [createdRow(id, { changedBy: this.ctx.actor.username, runId: null, source: null }, now)]);
      await this.audit(trx, 'CREATE', id, d.name, `created ${d.kind ?? 'other'} "${d.name}"`);
      return detail(trx, id);
    });
  }

  /** Changes manual fields (name, notes, location, owners, project, tags, manual MACs/IPs, custom values). */
  async patch(id: number, input: DevicePatch): Promise<DeviceDetail> {
    const p = parseInput(DevicePatchSchema, input);
    return this.mutate(id, async (trx, state) => {
      await checkReferences(trx, p, id);
      const set: Record<string, unknown> = {};
      for (const c of MANUAL_COLUMNS) if (p[c] !== undefined && p[c] !== state.row[c]) set[c] = p[c];
      if (Object.keys(set).length > 0) await updateRow(trx, 'hosts', id, set, hostNameConflict(String(p.name)));
      await writeManualLists(trx, id, p, this.ctx.actor.username);
      if (p.custom_fields) await applyCustomValues(trx, id, String(state.row.kind), p.custom_fields, false);
    });
  }

  /**
   * One edit touching a device in several ways at once (the REST PATCH with overrides, VMI's
   * manual form, LAIM's PUT), in one transaction: it lands whole or not at all.
   *
   * `opts.nullMeans`: what an override of null does. `clear` (the REST API) drops the override so
   * the sources' fact shows again; `blank` (LAIM, whose edit form empties a field to say "none")
   * keeps an override of no value, so a sync does not fill the field back in.
   */
  async edit(id: number, input: DeviceEdit, opts: { nullMeans: 'clear' | 'blank' } = { nullMeans: 'clear' }): Promise<DeviceDetail> {
    const e = parseInput(DeviceEditSchema, input);
    if (e.project_name !== undefined && e.project_id !== undefined) {
      throw new ValidationError([{ loc: ['body', 'project_name'], msg: 'send project_id or project_name, not both', type: 'value_error' }]);
    }
    return inTransaction(this.ctx.db, async (trx) => {
      const self = this.on(trx);
      const { overrides, project_name, ...manual } = e;
      const patch: DevicePatch = manual;
      if (project_name !== undefined) patch.project_id = project_name === null || project_name === '' ? null : await projectIdByName({ ...this.ctx, db: trx }, project_name);
      let device = Object.keys(patch).length > 0 ? await self.patch(id, patch) : await detail(trx, id);
      for (const [field, value] of Object.entries(overrides ?? {})) {
        const current = device.overrides.find((o) => o.field === field);
        if (value === null && opts.nullMeans === 'clear') {
          if (current) device = await self.clearOverride(id, field);
        } else if (!(value === null && (device.effective as Record<string, { value: unknown } | undefined>)[field]?.value == null && !current)) device = await self.setOverride(id, field, value);
      }
      return device;
    });
  }

  /** Adds and removes tags in one step (the rest of the device's tags stay). */
  async changeTags(id: number, input: TagChange): Promise<DeviceDetail> {
    const t = parseInput(TagChangeSchema, input);
    return this.mutate(id, async (trx, state) => {
      const next = new Set(state.tags);
      for (const tag of t.add ?? []) next.add(tag);
      for (const tag of t.remove ?? []) next.delete(tag);
      // The list it leaves is held to the same limits as a list sent whole.
      const { tags } = parseInput(DevicePatchSchema.pick({ tags: true }).required(), { tags: [...next] });
      await writeManualLists(trx, id, { tags }, this.ctx.actor.username);
    });
  }

  /** One edit applied to every listed device (the panel's bulk bar), all or nothing: a missing id is a 404 and nothing changes. */
  async bulk(input: BulkEdit): Promise<{ updated: number }> {
    const b = parseInput(BulkEditSchema, input);
    const ids = [...new Set(b.ids)].sort((x, y) => x - y);
    return inTransaction(this.ctx.db, async (trx) => {
      const self = this.on(trx);
      // Id order: two bulk edits of overlapping sets lock their rows in the same order.
      for (const id of ids) {
        if (b.edit) await self.edit(id, b.edit);
        if (b.tags) await self.changeTags(id, b.tags);
      }
      return { updated: ids.length };
    });
  }

  /** Counts for the API: live devices per kind, platform and power state, and changes in the last 24 h. */
  stats(): Promise<DeviceStats> {
    return deviceStats(this.ctx.db);
  }

  /** The panel dashboard's device charts. */
  dashboard(now = new Date()): Promise<DeviceDashboardData> {
    return deviceDashboard(this.ctx.db, now);
  }

  /** Live devices per value of one column (among some kinds only): LAIM's by_type and by_room. */
  countBy(column: DeviceGroupColumn, kinds?: readonly string[]): Promise<{ value: string | null; count: number }[]> {
    return countBy(this.ctx.db, column, kinds);
  }

  /** LAIM's by_source: live devices of these kinds reported by Netdisco, LibreNMS, both, or neither. */
  laimSources(kinds: readonly string[]): Promise<SourceCounts> {
    return laimSources(this.ctx.db, kinds);
  }

  /** The operator's value for a fact field: it wins over every source until cleared. */
  async setOverride(id: number, field: string, value: unknown): Promise<DeviceDetail> {
    const f = parseInput(FactFieldSchema, field, 'field');
    const v = parseInput(FACT_VALUE_SCHEMAS[f].nullable(), value, 'value');
    return this.mutate(id, async (trx) => {
      const row = { device_id: id, field: f, value: JSON.stringify(v), set_by: this.ctx.actor.username, set_at: formatTimestamp() };
      await trx('device_overrides').insert(row).onConflict(['device_id', 'field']).merge(['value', 'set_by', 'set_at']);
    });
  }

  /** Drops an override: the field shows the highest-priority source's fact again. */
  async clearOverride(id: number, field: string): Promise<DeviceDetail> {
    const f = parseInput(FactFieldSchema, field, 'field');
    return this.mutate(id, async (trx) => {
      await trx('device_overrides').where({ device_id: id, field: f }).delete();
    });
  }

  /** Soft delete: the device leaves the list (unless asked for) and keeps its facts and history. */
  async archive(id: number, input: { reason: string }): Promise<DeviceDetail> {
    const { reason } = parseInput(ArchiveSchema, input);
    return this.mutate(id, async (trx, state) => {
      if (state.row.archived_at != null) return;
      await trx('hosts').where({ id }).update({ archived_at: formatTimestamp(), archived_by: this.ctx.actor.username, archive_reason: reason });
    });
  }

  /**
   * The archive policy's step (job `archive-missing-devices`): archives the devices whose
   * `archive_at` is at or before `now` and that are still missing from every source, through the
   * same path as a person's archive (history row, audit entry) with a reason that names the job
   * and the delay. The condition is re-checked by the UPDATE itself, so a sync that reports the
   * device again at the same moment wins. At most `limit` devices per call (oldest first).
   */
  async archiveMissing(now: Date, job: string, limit = 500): Promise<number> {
    const due = formatTimestamp(now);
    const rows = (await this.ctx.db('hosts').select('id', 'missing_since', 'archive_at').whereNull('archived_at').whereNotNull('archive_at').where('archive_at', '<=', due).orderBy('archive_at').orderBy('id').limit(limit)) as { id: number; missing_since: string; archive_at: string }[];
    let archived = 0;
    for (const r of rows) {
      const days = Math.round((Date.parse(`${r.archive_at.replace(' ', 'T')}Z`) - Date.parse(`${r.missing_since.replace(' ', 'T')}Z`)) / 86_400_000);
      const reason = `missing from every source since ${r.missing_since}; archived by job ${job} after ${days} day(s) (the connector's archive_missing_after_days)`;
      await this.mutate(Number(r.id), async (trx) => {
        const n = await trx('hosts').where({ id: r.id }).whereNull('archived_at').whereNotNull('missing_since').where('archive_at', '<=', due).update({ archived_at: formatTimestamp(), archived_by: this.ctx.actor.username, archive_reason: reason });
        archived += Number(n);
      });
    }
    return archived;
  }

  async restore(id: number): Promise<DeviceDetail> {
    return this.mutate(id, async (trx) => {
      await trx('hosts').where({ id }).update({ archived_at: null, archived_by: null, archive_reason: null });
    });
  }

  /**
   * What a connector calls after fetching: the facts `source` reported in run `runId` for each
   * device. Applied in one transaction; history rows (with the run) only for real changes.
   */
  async recordFacts(source: string, runId: number | null, devices: readonly FactRecordInput[]): Promise<FactsResult> {
    const s = parseInput(SourceSchema, source, 'source');
    if (s === 'manual') throw new ValidationError([{ loc: ['source'], msg: '"manual" is what people type; a sync needs its own source name', type: 'value_error' }]);
    return recordFacts(this.ctx.db, s, runId, devices);
  }

  /** History newest first, per device, per run or since a time. */
  history(query: HistoryQuery): Promise<{ items: DeviceChange[]; total: number }> {
    return listChanges(this.ctx.db, query);
  }

  /** This service on a transaction: its steps join the caller's. */
  private on(trx: Db): DevicesService {
    return new DevicesService({ ...this.ctx, db: trx });
  }

  private async mutate(id: number, change: (trx: Db, state: DeviceState) => Promise<void>): Promise<DeviceDetail> {
    return inTransaction(this.ctx.db, async (trx) => {
      const before = await stateOf(trx, id);
      const beforeSnap = snapshot(before, (await loadCustomValues(trx, [id])).get(id));
      await change(trx, before);
      const after = await stateOf(trx, id);
      const now = formatTimestamp();
      await bringUpToDate(trx, [after]);
      const afterSnap = snapshot(after, (await loadCustomValues(trx, [id])).get(id));
      const by: ChangeAuthor = { changedBy: this.ctx.actor.username, runId: null, source: null };
      const rows = changeRows(id, beforeSnap, afterSnap, by, now);
      if (rows.length > 0) {
        await trx('hosts').where({ id }).update({ updated_at: now });
        await writeChanges(trx, rows);
        await this.audit(trx, 'UPDATE', id, String(after.row.name), describeChanges(rows.map((r) => ({ field: String(r.field), before: r.old_value as string | null, after: r.new_value as string | null }))));
      }
      return detail(trx, id);
    });
  }

  private audit(db: Db, action: 'CREATE' | 'UPDATE', id: number, name: string, changes: string): Promise<void> {
    return new AuditService({ ...this.ctx, db }).record({ targetType: DEVICE_AUDIT_TARGET, targetId: id, targetLabel: name, action, changes });
  }
}

/** Replaces the lists a person keeps (tags, manual MACs, manual IPs) when the input names them. */
async function writeManualLists(db: Db, id: number, d: { tags?: string[]; macs?: string[]; manual_ips?: { ip_address: string; label?: string | null; is_primary?: boolean }[] }, by: string | null): Promise<void> {
  if (d.tags) {
    await db('device_tags').where({ device_id: id }).delete();
    if (d.tags.length) await db('device_tags').insert(d.tags.map((tag) => ({ device_id: id, tag, created_by: by })));
  }
  if (d.macs) {
    await db('device_macs').where({ device_id: id, source: 'manual' }).delete();
    const macs = [...new Set(d.macs)];
    if (macs.length) await db('device_macs').insert(macs.map((mac) => ({ device_id: id, source: 'manual', mac })));
  }
  if (d.manual_ips) {
    await db('device_ips').where({ device_id: id, source: 'manual' }).delete();
    const seen = new Set<string>();
    const rows = d.manual_ips.filter((ip) => !seen.has(ip.ip_address) && seen.add(ip.ip_address));
    if (rows.length) await db('device_ips').insert(rows.map((ip) => ({ device_id: id, source: 'manual', ip_address: ip.ip_address, nic_position: null, label: ip.label ?? null, is_primary: ip.is_primary ?? false })));
  }
}

/** The id of the project with this name, created (with its audit entry) when there is none. */
async function projectIdByName(ctx: ServiceContext, name: string): Promise<number> {
  const projects = new ProjectsService(ctx);
  const found = await projects.findByName(name);
  return (found ?? (await projects.create({ name }))).id;
}

// The wire's field list and the domain's are one list: each direction must compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const FACT_FIELDS_MATCH_WIRE: Same<FactField, DeviceFactField> = true;
