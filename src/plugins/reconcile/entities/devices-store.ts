import type { Db } from '../../../db/connection.js';
import { bulkInsert, bulkUpdateById, selectIn, selectRaw, type ColumnType } from '../../../db/helpers/bulk-write.js';
import { FACT_FIELDS, FACT_FIELD_NAMES, type FactValue } from '../../../domain/devices/fields.js';
import type { FieldChange as DeviceFieldChange } from '../../../domain/devices/history.js';
import { refreshDisagreements } from '../../../services/devices/disagreements.js';
import { loadStates, type DeviceState } from '../../../services/devices/state.js';
import type { WriteContext } from '../core/contract.js';
import type { StoredAsset, StoredHost } from '../store/state.js';
import type { AssetWrites } from '../store/types.js';
import { writeAssetsSeen } from '../store/sightings.js';

/** A stored device with the values the match keys compare (built in `load`, see devices.ts). */
export interface StoredDevice {
  id: number;
  name: string;
  state: DeviceState;
  sourceIds: string[];
  serials: string[];
  macs: string[];
  names: string[];
}

export interface DevicesLoaded {
  rows: StoredDevice[];
  assets?: { rows: StoredAsset[]; hosts: StoredHost[] };
}

/** One source's fact row as it will be stored. */
export interface FactWrite {
  source: string;
  external_id: string;
  fields: string;
  raw: string | null;
  /** The stored row to update; absent: inserted. */
  id?: number;
}

/** A source's list rows of a device that replace the stored ones (only lists that changed). */
export interface ListWrites {
  macs?: { mac: string }[];
  disks?: Record<string, unknown>[];
  nics?: Record<string, unknown>[];
  ips?: Record<string, unknown>[];
}

export interface DeviceCreateWrite {
  name: string;
  source: string;
  columns: Record<string, FactValue>;
  manual: { project_id: number | null; asset_tag: string | null; room_location: string | null };
  fact: FactWrite;
  lists: ListWrites;
  tags: string[];
}

export interface DeviceUpdateWrite {
  id: number;
  source: string;
  /** Every fact column's effective value (null: the columns are up to date). */
  columns: Record<string, FactValue> | null;
  fact: FactWrite | null;
  lists: ListWrites;
  changes: DeviceFieldChange[];
  /** The device (or this source's row of it) was missing: reported now, so neither is any more. */
  found?: boolean;
}

export interface DeviceWrites {
  create: DeviceCreateWrite[];
  update: DeviceUpdateWrite[];
  /** Fact rows (and their devices) seen again without a change: only last seen moves. */
  sightings: { factId: number; deviceId: number }[];
  assets: AssetWrites;
}

const CHUNK = 5000;

/** Values per match key → the stored devices any of them name, with their whole state. */
export async function loadDevices(db: Db, keys: Readonly<Record<string, readonly string[]>>, sources: readonly string[]): Promise<StoredDevice[]> {
  const ids = new Set<number>();
  const bySource = new Map<string, string[]>();
  for (const k of keys.source_id ?? []) {
    const [source, id] = k.split('\u0000') as [string, string];
    let list = bySource.get(source);
    if (!list) bySource.set(source, (list = []));
    list.push(id);
  }
  for (const [source, externalIds] of bySource) {
    for (let i = 0; i < externalIds.length; i += CHUNK) {
      const part = externalIds.slice(i, i + CHUNK);
      const rows = await selectRaw<{ device_id: number }>(db, `SELECT device_id FROM device_facts WHERE source = ? AND external_id IN (${part.map(() => '?').join(', ')})`, [source, ...part]);
      for (const r of rows) ids.add(Number(r.device_id));
    }
  }
  for (const r of await selectIn<{ id: number }>(db, 'hosts', ['id'], 'serial', [...new Set(keys.serial ?? [])])) ids.add(Number(r.id));
  for (const r of await selectIn<{ device_id: number }>(db, 'device_macs', ['device_id'], 'mac', [...new Set(keys.mac ?? [])])) ids.add(Number(r.device_id));
  for (const r of await selectIn<{ id: number }>(db, 'hosts', ['id'], 'name', [...new Set(keys.name ?? [])])) ids.add(Number(r.id));
  const states = await loadStates(db, [...ids].sort((a, b) => a - b));
  return [...states.values()].map((state) => storedDevice(state, sources));
}

/**
 * The match values of a stored device. Serial, MAC and name carry the source they may match for:
 * a device another record of the same source already owns (a fact under another id) is not that
 * source's to take by serial, MAC or name — two VMs of one vCenter sharing a cloned MAC stay two.
 */
function storedDevice(state: DeviceState, sources: readonly string[]): StoredDevice {
  const mine = new Set(state.facts.map((f) => f.source));
  const open = sources.filter((s) => !mine.has(s));
  const tagged = (values: readonly string[]) => open.flatMap((s) => values.map((v) => `${s}\u0000${v}`));
  const serial = state.row.serial == null ? [] : [String(state.row.serial)];
  return {
    id: Number(state.row.id),
    name: String(state.row.name),
    state,
    sourceIds: state.facts.map((f) => `${f.source}\u0000${f.external_id}`),
    serials: tagged(serial),
    macs: tagged([...new Set(state.macs.map((m) => m.mac))]),
    names: tagged([String(state.row.name)]),
  };
}

const COLUMN_TYPES: Record<string, ColumnType> = { int: 'integer', number: 'double precision' };
const FACT_COLUMNS = FACT_FIELD_NAMES.map((f) => ({ name: FACT_FIELDS[f].column, type: COLUMN_TYPES[FACT_FIELDS[f].type] ?? ('text' as const) }));

/**
 * Writes one chunk of the plan, set-based: the new devices, the facts rows, the lists that
 * changed, the effective columns, the history (naming the run), the hypervisor links, then the
 * chunk's addresses (through the ip_assets writer, so counters and address history stay right).
 */
export async function writeDevices(w: DeviceWrites, ctx: WriteContext): Promise<void> {
  const { trx, now } = ctx;
  const runId = ctx.history?.runId ?? null;
  const hostIds = ctx.plan.ids('hosts');
  const created = await bulkInsert<{ id: number; name: string }>(
    trx,
    'hosts',
    w.create.map((c) => {
      const row: Record<string, unknown> = { name: c.name, ...c.columns, ...c.manual, created_at: now, updated_at: now, first_seen_at: now, last_seen_at: now };
      // Linked at once to a hypervisor stored or created before this chunk: setting the link afterwards
      // rewrote each new row (in every one of the table's indexes) a second time. linkHypervisors does the rest.
      const hv = row.hypervisor;
      row.hypervisor_device_id = typeof hv === 'string' && hv !== c.name ? (hostIds.byName.get(hv) ?? null) : null;
      return row;
    }),
    ['id', 'name'],
  );
  for (const r of created) hostIds.add(Number(r.id), r.name);
  const idOf = (c: DeviceCreateWrite): number => hostIds.byName.get(c.name)!;

  const factInserts: Record<string, unknown>[] = [];
  const factUpdates: ({ id: number } & Record<string, unknown>)[] = [];
  const factRow = (deviceId: number, f: FactWrite) => ({ device_id: deviceId, source: f.source, external_id: f.external_id, fields: f.fields, raw: f.raw, run_id: runId, first_seen_at: now, last_seen_at: now });
  for (const c of w.create) factInserts.push(factRow(idOf(c), c.fact));
  for (const u of w.update) {
    if (!u.fact) continue;
    if (u.fact.id === undefined) factInserts.push(factRow(u.id, u.fact));
    else factUpdates.push({ id: u.fact.id, external_id: u.fact.external_id, fields: u.fact.fields, raw: u.fact.raw, run_id: runId, last_seen_at: now, missing_since: null, missing_run_id: null });
  }
  await bulkInsert(trx, 'device_facts', factInserts);
  await bulkUpdateById(
    trx,
    'device_facts',
    [{ name: 'external_id', type: 'text' }, { name: 'fields', type: 'text' }, { name: 'raw', type: 'text' }, { name: 'run_id', type: 'integer' }, { name: 'last_seen_at', type: 'text' }, { name: 'missing_since', type: 'text' }, { name: 'missing_run_id', type: 'integer' }],
    factUpdates,
  );
  // A source reports it: it is no longer missing from every source, so no archive is due.
  await bulkUpdateById(trx, 'hosts', [{ name: 'missing_since', type: 'text' }, { name: 'archive_at', type: 'text' }], w.update.filter((u) => u.found).map((u) => ({ id: u.id, missing_since: null, archive_at: null })));
  // Only devices whose facts changed can start or stop disagreeing; a sighting leaves them as they are.
  await refreshDisagreements(trx, [...new Set([...w.create.map(idOf), ...w.update.filter((u) => u.fact).map((u) => u.id)])], now);

  await writeLists(ctx, [...w.create.map((c) => ({ id: idOf(c), source: c.source, lists: c.lists, fresh: true })), ...w.update.map((u) => ({ id: u.id, source: u.source, lists: u.lists, fresh: false }))]);
  await bulkInsert(trx, 'device_tags', w.create.flatMap((c) => c.tags.map((tag) => ({ device_id: idOf(c), tag, created_by: null }))));

  const columnUpdates = w.update.filter((u) => u.columns !== null).map((u) => ({ id: u.id, ...u.columns, updated_at: now, last_seen_at: now }));
  await bulkUpdateById(trx, 'hosts', [...FACT_COLUMNS, { name: 'updated_at', type: 'text' }, { name: 'last_seen_at', type: 'text' }], columnUpdates);
  const seenOnly = [...w.update.filter((u) => u.columns === null).map((u) => u.id), ...w.sightings.map((s) => s.deviceId)];
  await bulkUpdateById(trx, 'hosts', [{ name: 'last_seen_at', type: 'text' }], seenOnly.map((id) => ({ id, last_seen_at: now })));
  await bulkUpdateById(trx, 'device_facts', [{ name: 'last_seen_at', type: 'text' }, { name: 'run_id', type: 'integer' }], w.sightings.map((s) => ({ id: s.factId, last_seen_at: now, run_id: runId })));

  await linkHypervisors(ctx, [...w.create.map(idOf), ...columnUpdates.map((u) => u.id)], created.map((r) => r.name));

  const history: Record<string, unknown>[] = [];
  for (const c of w.create) history.push({ device_id: idOf(c), run_id: runId, source: c.source, field: 'device', old_value: null, new_value: 'created', changed_at: now, changed_by: null });
  for (const u of w.update) for (const ch of u.changes) history.push({ device_id: u.id, run_id: runId, source: u.source, field: ch.field, old_value: ch.old, new_value: ch.new, changed_at: now, changed_by: null });
  await bulkInsert(trx, 'device_changes', history);

  await writeAssetsSeen(w.assets, ctx);
}

const LIST_TABLES = [
  ['macs', 'device_macs'],
  ['disks', 'device_disks'],
  ['nics', 'device_nics'],
  ['ips', 'device_ips'],
] as const;

/** Replaces each (device, source) list that changed: one DELETE per table and source, one INSERT per table. */
async function writeLists(ctx: WriteContext, items: readonly { id: number; source: string; lists: ListWrites; fresh: boolean }[]): Promise<void> {
  for (const [key, table] of LIST_TABLES) {
    const gone = new Map<string, number[]>();
    const rows: Record<string, unknown>[] = [];
    for (const it of items) {
      const list = it.lists[key];
      if (!list) continue;
      if (!it.fresh) {
        let ids = gone.get(it.source);
        if (!ids) gone.set(it.source, (ids = []));
        ids.push(it.id);
      }
      for (const row of list) rows.push({ device_id: it.id, source: it.source, ...row });
    }
    for (const [source, ids] of gone) for (let i = 0; i < ids.length; i += CHUNK) await ctx.trx(table).where({ source }).whereIn('device_id', ids.slice(i, i + CHUNK)).delete();
    await bulkInsert(ctx.trx, table, rows);
  }
}

/**
 * Points `hypervisor_device_id` at the device named by the effective `hypervisor`: for the devices
 * written, and for devices that named one of the devices just created (an ESXi host that arrives
 * in a later chunk than its VMs). Two statements per chunk, whatever its size.
 */
async function linkHypervisors(ctx: WriteContext, ids: readonly number[], createdNames: readonly string[]): Promise<void> {
  const target = `(SELECT MIN(h2.id) FROM hosts h2 WHERE h2.name = hosts.hypervisor AND h2.id <> hosts.id)`;
  // Only rows whose link moves: rewriting every written device's row (a new row version and an
  // entry in each of its indexes on PostgreSQL) cost 1.6 s per 5,000 devices of a first sync.
  const link = `hypervisor_device_id = ${target}`;
  const moves = `hypervisor_device_id IS DISTINCT FROM ${target}`;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    await ctx.trx.raw(`UPDATE hosts SET ${link} WHERE id IN (${part.map(() => '?').join(', ')}) AND ${moves}`, part as number[]);
  }
  for (let i = 0; i < createdNames.length; i += CHUNK) {
    const part = createdNames.slice(i, i + CHUNK);
    await ctx.trx.raw(`UPDATE hosts SET ${link} WHERE hypervisor_device_id IS NULL AND hypervisor IN (${part.map(() => '?').join(', ')}) AND ${moves}`, part as string[]);
  }
}
