import type { Db } from '../../db/connection.js';
import { FACT_FIELDS, FACT_FIELD_NAMES, type FactField, type FactValue, type FactValues } from '../../domain/devices/fields.js';
import { effectiveFacts, effectiveList, type EffectiveField } from '../../domain/devices/priority.js';
import { toBool } from '../context.js';
import type { DeviceDisk, DeviceIp, DeviceNic } from './wire.js';

/** Everything stored about a set of devices, loaded in one query per table (chunks of ids). */
export interface DeviceState {
  row: Record<string, unknown>;
  facts: FactRow[];
  overrides: Partial<Record<FactField, FactValue>>;
  overrideRows: { field: string; value: FactValue; set_by: string | null; set_at: string }[];
  macs: { source: string; mac: string }[];
  disks: (DeviceDisk & { source: string; position: number })[];
  nics: (Omit<DeviceNic, 'ips'> & { source: string; position: number })[];
  ips: (DeviceIp & { nic_position: number | null })[];
  tags: string[];
}

export interface FactRow {
  id: number;
  device_id: number;
  source: string;
  external_id: string;
  fields: FactValues & { name?: string | null };
  raw: string | null;
  run_id: number | null;
  first_seen_at: string;
  last_seen_at: string;
  /** Set while a complete run of this source no longer reports the device (migration 290). */
  missing_since: string | null;
  missing_run_id: number | null;
  archive_after_days: number | null;
}

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function byIds<R>(db: Db, table: string, ids: readonly number[], order: string[]): Promise<R[]> {
  const out: R[] = [];
  for (const part of chunks(ids)) out.push(...((await db(table).whereIn(table === 'hosts' ? 'id' : 'device_id', part).orderBy(order)) as R[]));
  return out;
}

export function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function factRow(r: Record<string, unknown>): FactRow {
  return {
    id: Number(r.id),
    device_id: Number(r.device_id),
    source: String(r.source),
    external_id: String(r.external_id),
    fields: parseJson(r.fields, {}),
    raw: (r.raw as string | null) ?? null,
    run_id: r.run_id == null ? null : Number(r.run_id),
    first_seen_at: String(r.first_seen_at),
    last_seen_at: String(r.last_seen_at),
    missing_since: (r.missing_since as string | null) ?? null,
    missing_run_id: num(r.missing_run_id),
    archive_after_days: num(r.archive_after_days),
  };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The stored state of each device of `ids` (missing ids are absent from the map). */
export async function loadStates(db: Db, ids: readonly number[]): Promise<Map<number, DeviceState>> {
  const states = new Map<number, DeviceState>();
  if (ids.length === 0) return states;
  for (const row of await byIds<Record<string, unknown>>(db, 'hosts', ids, ['id'])) {
    states.set(Number(row.id), { row, facts: [], overrides: {}, overrideRows: [], macs: [], disks: [], nics: [], ips: [], tags: [] });
  }
  const of = (r: { device_id: unknown }): DeviceState | undefined => states.get(Number(r.device_id));
  for (const r of await byIds<Record<string, unknown>>(db, 'device_facts', ids, ['device_id', 'source'])) of(r as { device_id: unknown })?.facts.push(factRow(r));
  for (const r of await byIds<Record<string, unknown>>(db, 'device_overrides', ids, ['device_id', 'field'])) {
    const s = of(r as { device_id: unknown });
    if (!s) continue;
    const value = parseJson<FactValue>(r.value, null);
    s.overrides[r.field as FactField] = value;
    s.overrideRows.push({ field: String(r.field), value, set_by: (r.set_by as string | null) ?? null, set_at: String(r.set_at) });
  }
  for (const r of await byIds<Record<string, unknown>>(db, 'device_macs', ids, ['device_id', 'source', 'mac'])) of(r as { device_id: unknown })?.macs.push({ source: String(r.source), mac: String(r.mac) });
  for (const r of await byIds<Record<string, unknown>>(db, 'device_disks', ids, ['device_id', 'source', 'position'])) {
    of(r as { device_id: unknown })?.disks.push({ source: String(r.source), position: Number(r.position), label: (r.label as string | null) ?? null, size_gb: num(r.size_gb), storage: (r.storage as string | null) ?? null, backing: (r.backing as string | null) ?? null });
  }
  for (const r of await byIds<Record<string, unknown>>(db, 'device_nics', ids, ['device_id', 'source', 'position'])) {
    of(r as { device_id: unknown })?.nics.push({ source: String(r.source), position: Number(r.position), mac: (r.mac as string | null) ?? null, network_name: (r.network_name as string | null) ?? null, vlan: (r.vlan as string | null) ?? null, connected: r.connected == null ? null : toBool(r.connected) });
  }
  for (const r of await byIds<Record<string, unknown>>(db, 'device_ips', ids, ['device_id', 'source', 'ip_address'])) {
    of(r as { device_id: unknown })?.ips.push({ source: String(r.source), ip_address: String(r.ip_address), nic_position: num(r.nic_position), label: (r.label as string | null) ?? null, is_primary: toBool(r.is_primary) });
  }
  for (const r of await byIds<Record<string, unknown>>(db, 'device_tags', ids, ['device_id', 'tag'])) of(r as { device_id: unknown })?.tags.push(String(r.tag));
  return states;
}

export function effectiveOf(state: DeviceState): Record<FactField, EffectiveField> {
  return effectiveFacts(state.facts, state.overrides);
}

/** The NICs the device shows (the winning source's), each with the IPs that source put on it. */
export function effectiveNics(state: DeviceState): DeviceNic[] {
  return effectiveList(state.nics).map((n) => ({
    mac: n.mac,
    network_name: n.network_name,
    vlan: n.vlan,
    connected: n.connected,
    ips: state.ips.filter((ip) => ip.source === n.source && ip.nic_position === n.position).map((ip) => ip.ip_address),
  }));
}

export function effectiveDisks(state: DeviceState): DeviceDisk[] {
  return effectiveList(state.disks).map(({ label, size_gb, storage, backing }) => ({ label, size_gb, storage, backing }));
}

/** Every address of the device, each once: a manual entry wins over a source's report of it. */
export function deviceIps(state: DeviceState): DeviceIp[] {
  const seen = new Map<string, DeviceIp>();
  for (const ip of [...state.ips].sort((a, b) => Number(b.source === 'manual') - Number(a.source === 'manual'))) {
    if (!seen.has(ip.ip_address)) seen.set(ip.ip_address, { ip_address: ip.ip_address, source: ip.source, label: ip.label, is_primary: ip.is_primary });
  }
  return [...seen.values()].sort((a, b) => a.ip_address.localeCompare(b.ip_address));
}

export function deviceMacs(state: DeviceState): string[] {
  return [...new Set(state.macs.map((m) => m.mac))].sort();
}

/** The effective value of every fact field as the hosts column it is kept in. */
export function effectiveColumns(state: DeviceState): Record<string, FactValue> {
  const eff = effectiveOf(state);
  const out: Record<string, FactValue> = {};
  for (const field of FACT_FIELD_NAMES) out[FACT_FIELDS[field].column] = eff[field].value;
  return out;
}

/** Columns whose stored value differs from the effective one (what an UPDATE must set). */
export function staleColumns(state: DeviceState): Record<string, FactValue> {
  const set: Record<string, FactValue> = {};
  for (const [column, value] of Object.entries(effectiveColumns(state))) {
    const stored = state.row[column];
    const same = stored === null || stored === undefined ? value === null : value !== null && String(typeof value === 'number' ? Number(stored) : stored) === String(value);
    if (!same) set[column] = value;
  }
  return set;
}

/** The reported name of the winning source that gave one (VMI tracks renames on the platform). */
function reportedName(state: DeviceState): string | null {
  const ranked = effectiveFacts(state.facts.map((f) => ({ source: f.source, fields: { hostname: f.fields.name ?? null } })), {});
  return (ranked.hostname.value as string | null) ?? null;
}

/** Manual columns that the history records (the rest of the row is effective facts or bookkeeping). */
const MANUAL_HISTORY = ['name', 'notes', 'vendor_id', 'asset_tag', 'room_location', 'sub_location', 'project_id', 'environment', 'business_owner_id', 'technical_owner_id', 'hypervisor_device_id', 'archived_at', 'archive_reason'] as const;

/**
 * What the history compares: every manual field, every effective fact, the collections in
 * canonical order and the reported name. Two snapshots of an unchanged device are equal.
 */
export function snapshot(state: DeviceState, customValues: Record<string, unknown> = {}): Record<string, unknown> {
  const eff = effectiveOf(state);
  const out: Record<string, unknown> = {};
  for (const c of MANUAL_HISTORY) out[c] = state.row[c] ?? null;
  for (const field of FACT_FIELD_NAMES) out[field] = eff[field].value;
  out.reported_name = reportedName(state);
  out.macs = deviceMacs(state);
  out.disks = effectiveDisks(state);
  out.nics = effectiveNics(state);
  out.ips = deviceIps(state).map((ip) => ip.ip_address);
  out.tags = [...state.tags].sort();
  for (const [k, v] of Object.entries(customValues)) out[`custom.${k}`] = v;
  return out;
}

