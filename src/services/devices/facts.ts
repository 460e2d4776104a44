import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { bulkInsert } from '../../db/helpers/bulk-write.js';
import { FACT_FIELD_NAMES, type FactValue } from '../../domain/devices/fields.js';
import { ValidationError } from '../../domain/errors.js';
import { formatTimestamp } from '../../domain/time.js';
import { inTransaction } from '../context.js';
import { parseInput } from '../validate.js';
import { loadCustomValues } from './custom-fields.js';
import { bringUpToDate } from './effective.js';
import { refreshDisagreements } from './disagreements.js';
import { changeRows, createdRow, writeChanges } from './history.js';
import { FactRecordSchema, type FactRecord, type FactRecordInput } from './schemas.js';
import { loadStates, snapshot, type DeviceState } from './state.js';
import type { FactsResult } from './wire.js';

const CHUNK = 500;
const RecordsSchema = z.array(FactRecordSchema).max(250_000);

/** The facts a record carries, in field order (so equal facts are equal JSON), with list-derived counts. */
function factFields(r: FactRecord): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  const derived: Record<string, FactValue> = {};
  if (r.disks) {
    derived.disk_count = r.disks.length;
    derived.disk_total_gb = Math.round(r.disks.reduce((sum, d) => sum + (d.size_gb ?? 0), 0) * 100) / 100;
  }
  if (r.nics) derived.nic_count = r.nics.length;
  for (const f of FACT_FIELD_NAMES) {
    const v = r[f] !== undefined ? r[f] : derived[f];
    if (v !== undefined && v !== null) out[f] = v;
  }
  if (r.name) out.name = r.name;
  return out;
}

/** The source's lists of a record as the rows they are stored in; undefined for a list it did not send. */
function listRows(r: FactRecord) {
  const macs = r.macs || r.nics ? [...new Set([...(r.macs ?? []), ...(r.nics ?? []).map((n) => n.mac).filter((m): m is string => !!m)])].sort() : undefined;
  const disks = r.disks?.map((d, position) => ({ position, label: d.label ?? null, size_gb: d.size_gb ?? null, storage: d.storage ?? null, backing: d.backing ?? null }));
  const nics = r.nics?.map((n, position) => ({ position, mac: n.mac ?? null, network_name: n.network_name ?? null, vlan: n.vlan ?? null, connected: n.connected ?? null }));
  let ips: { ip_address: string; nic_position: number | null }[] | undefined;
  if (r.ips || r.nics) {
    const seen = new Set<string>();
    ips = [];
    for (const [position, n] of (r.nics ?? []).entries()) for (const ip of n.ips ?? []) if (!seen.has(ip) && seen.add(ip)) ips.push({ ip_address: ip, nic_position: position });
    for (const ip of r.ips ?? []) if (!seen.has(ip) && seen.add(ip)) ips.push({ ip_address: ip, nic_position: null });
    ips.sort((a, b) => a.ip_address.localeCompare(b.ip_address));
  }
  return { macs, disks, nics, ips };
}

/**
 * Finds the device of each record: the one this source reported under that id before, else one
 * with the same UUID, serial, MAC or name (LAIM's dedupe order, plus ipocket's host names) that
 * no other record of this source claims. Records left unmatched get a new device.
 */
async function match(db: Db, source: string, records: readonly FactRecord[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const claimed = new Map<number, string>();
  const known = (await db('device_facts').select('device_id', 'external_id').where({ source }).whereIn('external_id', records.map((r) => r.external_id))) as { device_id: number; external_id: string }[];
  for (const k of known) {
    found.set(k.external_id, Number(k.device_id));
    claimed.set(Number(k.device_id), k.external_id);
  }
  const open = () => records.filter((r) => !found.has(r.external_id));
  const tries: [string, (r: FactRecord) => string[], (values: string[]) => Promise<{ id: number; key: string }[]>][] = [
    ['uuid', (r) => (r.uuid ? [String(r.uuid)] : []), (v) => db('hosts').select('id', 'uuid as key').whereIn('uuid', v)],
    ['serial', (r) => (r.serial ? [String(r.serial)] : []), (v) => db('hosts').select('id', 'serial as key').whereIn('serial', v)],
    ['mac', (r) => listRows(r).macs ?? [], (v) => db('device_macs').select('device_id as id', 'mac as key').whereIn('mac', v)],
    ['name', (r) => [r.name ?? r.hostname].filter((n) => n != null).map(String), (v) => db('hosts').select('id', 'name as key').whereIn('name', v)],
  ];
  for (const [, keysOf, lookup] of tries) {
    const pending = open();
    const values = [...new Set(pending.flatMap(keysOf))];
    if (values.length === 0) continue;
    const rows = (await lookup(values)) as { id: number; key: string }[];
    const taken = new Set((await db('device_facts').select('device_id').where({ source }).whereIn('device_id', rows.map((r) => Number(r.id)))).map((r: { device_id: number }) => Number(r.device_id)));
    const byKey = new Map<string, number>();
    for (const r of rows) if (!byKey.has(r.key) && !taken.has(Number(r.id))) byKey.set(r.key, Number(r.id));
    for (const rec of pending) {
      const id = keysOf(rec).map((k) => byKey.get(k)).find((i) => i !== undefined && !claimed.has(i));
      if (id === undefined) continue;
      found.set(rec.external_id, id);
      claimed.set(id, rec.external_id);
    }
  }
  return found;
}

/** A free name for a new device: the reported one, else "name (source:id)" when a device has it. */
async function freeNames(db: Db, source: string, records: readonly FactRecord[]): Promise<Map<string, string>> {
  const wanted = records.map((r) => ({ r, name: String(r.name ?? r.hostname ?? r.serial ?? `${source}-${r.external_id}`).slice(0, 255) }));
  const taken = new Set(((await db('hosts').select('name').whereIn('name', wanted.map((w) => w.name))) as { name: string }[]).map((r) => r.name));
  const out = new Map<string, string>();
  for (const { r, name } of wanted) {
    const pick = taken.has(name) ? `${name} (${source}:${r.external_id})`.slice(0, 255) : name;
    taken.add(pick);
    out.set(r.external_id, pick);
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Replaces one source's list rows of a device when they differ from what it reports now. */
async function syncList(db: Db, table: string, deviceId: number, source: string, current: Record<string, unknown>[], next: Record<string, unknown>[] | undefined): Promise<void> {
  if (next === undefined || same(current, next)) return;
  await db(table).where({ device_id: deviceId, source }).delete();
  if (next.length > 0) await bulkInsert(db, table, next.map((row) => ({ device_id: deviceId, source, ...row })));
}

/** recordFacts of DevicesService: see there. */
export async function recordFacts(db: Db, source: string, runId: number | null, input: readonly FactRecordInput[]): Promise<FactsResult> {
  const records = parseInput(RecordsSchema, input, 'devices');
  const seen = new Set<string>();
  const dup = records.findIndex((r) => seen.size === seen.add(r.external_id).size);
  if (dup >= 0) throw new ValidationError([{ loc: ['devices', dup, 'external_id'], msg: `"${records[dup]!.external_id}" appears twice in one run`, type: 'value_error' }]);
  return inTransaction(db, async (trx) => {
    const result: FactsResult = { run_id: runId, source, created: 0, updated: 0, unchanged: 0, changes: 0, devices: [] };
    for (let i = 0; i < records.length; i += CHUNK) await applyChunk(trx, source, runId, records.slice(i, i + CHUNK), result);
    return result;
  });
}

async function applyChunk(db: Db, source: string, runId: number | null, records: readonly FactRecord[], result: FactsResult): Promise<void> {
  const now = formatTimestamp();
  const matched = await match(db, source, records);
  const fresh = records.filter((r) => !matched.has(r.external_id));
  const names = await freeNames(db, source, fresh);
  const created = new Set<number>();
  for (const r of fresh) {
    const [row] = (await db('hosts').insert({ name: names.get(r.external_id), kind: r.kind ?? 'other', created_at: now, updated_at: now, first_seen_at: now, last_seen_at: now }).returning('id')) as ({ id: number } | number)[];
    const id = typeof row === 'object' ? Number(row.id) : Number(row);
    matched.set(r.external_id, id);
    created.add(id);
  }
  const ids = [...new Set(records.map((r) => matched.get(r.external_id)!))];
  const before = await loadStates(db, ids);
  const customs = await loadCustomValues(db, ids);
  const snapsBefore = new Map([...before].map(([id, s]) => [id, snapshot(s, customs.get(id))]));

  for (const r of records) {
    const id = matched.get(r.external_id)!;
    const state = before.get(id)!;
    const fields = factFields(r);
    const raw = r.raw === undefined ? null : JSON.stringify(r.raw);
    const existing = state.facts.find((f) => f.source === source);
    if (!existing) {
      await db('device_facts').insert({ device_id: id, source, external_id: r.external_id, fields: JSON.stringify(fields), raw, run_id: runId, first_seen_at: now, last_seen_at: now });
    } else if (!same(existing.fields, fields) || existing.raw !== raw || existing.external_id !== r.external_id) {
      await db('device_facts').where({ id: existing.id }).update({ external_id: r.external_id, fields: JSON.stringify(fields), raw, run_id: runId, last_seen_at: now });
    }
    const lists = listRows(r);
    const mine = <T extends { source: string }>(rows: T[]) => rows.filter((x) => x.source === source);
    await syncList(db, 'device_macs', id, source, mine(state.macs).map((m) => ({ mac: m.mac })).sort((a, b) => a.mac.localeCompare(b.mac)), lists.macs?.map((mac) => ({ mac })));
    await syncList(db, 'device_disks', id, source, mine(state.disks).map(({ position, label, size_gb, storage, backing }) => ({ position, label, size_gb, storage, backing })), lists.disks);
    await syncList(db, 'device_nics', id, source, mine(state.nics).map(({ position, mac, network_name, vlan, connected }) => ({ position, mac, network_name, vlan, connected })), lists.nics);
    await syncList(db, 'device_ips', id, source, mine(state.ips).map(({ ip_address, nic_position }) => ({ ip_address, nic_position })).sort((a, b) => a.ip_address.localeCompare(b.ip_address)), lists.ips);
  }
  // A sighting, not a change: last seen moves on every run, without history or updated_at.
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    await db('device_facts').where({ source }).whereIn('device_id', part).update({ last_seen_at: now, run_id: runId });
    await db('hosts').whereIn('id', part).update({ last_seen_at: now });
    await db('hosts').whereIn('id', part).whereNull('first_seen_at').update({ first_seen_at: now });
  }

  const after = await loadStates(db, ids);
  await bringUpToDate(db, [...after.values()]);
  await refreshDisagreements(db, ids, now);
  const history: Record<string, unknown>[] = [];
  const touched: number[] = [];
  for (const r of records) {
    const id = matched.get(r.external_id)!;
    let status: 'created' | 'updated' | 'unchanged';
    if (created.has(id)) {
      history.push(createdRow(id, { changedBy: null, runId, source }, now));
      status = 'created';
    } else {
      const rows = changeRows(id, snapsBefore.get(id)!, snapshot(after.get(id) as DeviceState, customs.get(id)), { changedBy: null, runId, source }, now);
      history.push(...rows);
      status = rows.length > 0 ? 'updated' : 'unchanged';
      if (rows.length > 0) touched.push(id);
    }
    result[status]++;
    result.devices.push({ external_id: r.external_id, device_id: id, status });
  }
  for (let i = 0; i < touched.length; i += CHUNK) await db('hosts').whereIn('id', touched.slice(i, i + CHUNK)).update({ updated_at: now });
  result.changes += await writeChanges(db, history);
}
