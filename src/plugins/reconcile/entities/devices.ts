import type { FieldChange } from '../../../domain/changes.js';
import { FACT_FIELDS, FACT_FIELD_NAMES, type FactValue } from '../../../domain/devices/fields.js';
import { diffSnapshots } from '../../../domain/devices/history.js';
import { mergeDeviceFacts, nextSourceFacts } from '../../../domain/devices/merge.js';
import { parseAddressFast } from '../../../domain/ip/address-fast.js';
import { snapshot, type DeviceState } from '../../../services/devices/state.js';
import { BatchDeviceSchema, DEFAULT_POLICY, fieldLoc, type AssetPolicy } from '../../batch.js';
import { DeviceList } from '../../device-list.js';
import { defineEntity, type MatchKey } from '../core/contract.js';
import { PackedRecords, type RecordSeq } from '../core/records.js';
import { matchRecords } from '../core/match.js';
import type { PlanContext } from '../core/plan.js';
import type { PrepareContext } from '../core/prepare.js';
import { listKey, releaseReport, reportOf, type DeviceRecord, type DeviceReport } from './devices-report.js';
import { loadDevices, writeDevices, type DeviceWrites, type FactWrite, type ListWrites, type StoredDevice } from './devices-store.js';
import { ipAssets, type AssetRecord } from './ip-assets.js';
import { SEEN_DEVICES, seenField, seenKey } from './missing-devices-keys.js';
import { sightingCutoff } from '../store/sightings.js';

export type { DeviceRecord };

/**
 * Validates the batch's device records; each problem is an error at the record's field, and the
 * record is left out. The valid ones are packed as text (core/records.ts): a 25k-VM run holds
 * one chunk of them as objects at a time.
 */
export function prepareDevices(raw: readonly unknown[] | DeviceList, ctx: PrepareContext): PackedRecords<DeviceRecord> {
  const out = new PackedRecords<DeviceRecord>();
  // A VM names its host by the source's id of it (vSphere `host-12`): the name of that record.
  const names = new Map<string, string | null>();
  let namesHypervisor = false;
  // A packed list's `raw` is its JSON text already (device-list.ts).
  const rawIsText = raw instanceof DeviceList;
  let i = -1;
  for (const d of raw instanceof DeviceList ? raw.drain() : released(raw as unknown[])) {
    i++;
    const loc = typeof (d as { loc?: unknown })?.loc === 'string' ? (d as { loc: string }).loc : `data.devices[${i}]`;
    const parsed = BatchDeviceSchema.safeParse(d);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.error(issue.path.length ? fieldLoc(loc, issue.path.join('.')) : loc, issue.message);
      continue;
    }
    if (!ctx.firstOf('device', `${parsed.data.source}:${parsed.data.source_id}`, loc)) continue;
    // The payload is only ever stored and compared as text: a JSON string is a fraction of the
    // object graph it came from (a Nutanix entity is hundreds of small objects).
    const record = parsed.data as DeviceRecord & { raw?: unknown };
    if (record.raw !== undefined) record.raw = rawIsText && typeof record.raw === 'string' ? record.raw : JSON.stringify(record.raw);
    names.set(`${record.source}\u0000${record.source_id}`, record.name ?? record.hostname ?? null);
    if (!record.hypervisor && record.hypervisor_source_id) namesHypervisor = true;
    out.push(record as DeviceRecord);
  }
  if (namesHypervisor) {
    out.revive = (r) => {
      if (!r.hypervisor && r.hypervisor_source_id) r.hypervisor = names.get(`${r.source}\u0000${r.hypervisor_source_id}`) ?? r.hypervisor;
      return r;
    };
  }
  return out;
}

/**
 * An array's records, each slot released as it is handed out (as the addresses are): a large run
 * never holds the batch's records and the parsed ones whole at once.
 */
function* released(raw: unknown[]): Generator<unknown> {
  for (let i = 0; i < raw.length; i++) {
    const d = raw[i];
    raw[i] = undefined;
    yield d;
  }
}

const tag = (r: DeviceRecord, v: string | null | undefined): string | null => (v ? `${r.source}\u0000${v}` : null);

/** Addresses a device reports: typed VM on a VM, OS on anything else; the device becomes their host. */
const ADDRESS_POLICY: AssetPolicy = { ...DEFAULT_POLICY.asset, type: 'overwrite', host: 'overwrite' };

/** A source does not re-stamp last seen more often than this: an unchanged re-sync within it writes nothing. */
export { SIGHTING_INTERVAL_MS } from '../store/sightings.js';

/**
 * Devices: matched by the source's id, then serial, then any MAC, then name (serial, MAC and
 * name only to a device this source does not already report under another id), planned chunk
 * by chunk. Each record becomes its source's facts row and lists; the device's columns hold the
 * merged values (domain/devices/merge.ts), every change is a history row naming the run, and the
 * record's NIC addresses are planned as IP assets of the device in the same step.
 */
export const devices = defineEntity({
  entity: 'devices',
  chunked: true,
  // A device step holds its records, their stored devices (facts, lists) and their addresses'
  // plan: at 5,000 the 25k-VM Nutanix run peaked 36 MB higher than at 2,500, for 1 s less.
  chunkSize: 2_500,
  matchKeys: [
    { name: 'source_id', incoming: (r: DeviceRecord) => `${r.source}\u0000${r.source_id}`, stored: (s: StoredDevice) => s.sourceIds },
    { name: 'serial', incoming: (r: DeviceRecord) => tag(r, r.serial), stored: (s: StoredDevice) => s.serials },
    { name: 'mac', incoming: (r: DeviceRecord) => (reportOf(r).macs ?? []).map((m) => `${r.source}\u0000${m}`), stored: (s: StoredDevice) => s.macs },
    { name: 'name', incoming: (r: DeviceRecord) => tag(r, r.name ?? r.hostname), stored: (s: StoredDevice) => s.names },
  ] satisfies MatchKey<DeviceRecord, StoredDevice>[],

  prepare: (batch, ctx) => prepareDevices(batch.devices ?? [], ctx),

  keysToLoad(records) {
    const keys = { source_id: [] as string[], serial: [] as string[], mac: [] as string[], name: [] as string[], source: [] as string[], address: [] as string[] };
    const sources = new Set<string>();
    for (const r of records) {
      sources.add(r.source);
      keys.source_id.push(`${r.source}\u0000${r.source_id}`);
      if (r.serial) keys.serial.push(r.serial);
      keys.mac.push(...(reportOf(r).macs ?? []));
      // A new device's name, and the name it falls back to when taken.
      const name = r.name ?? r.hostname;
      if (name) keys.name.push(name);
      keys.name.push(newName(r));
      for (const ip of reportOf(r).ips ?? []) keys.address.push(parseAddressFast(ip.ip_address)!.key);
    }
    keys.source = [...sources];
    return keys;
  },

  async load(db, keys, ctx) {
    const rows = await loadDevices(db, keys, keys.source ?? []);
    const assets = await ipAssets.load(db, { address: keys.address ?? [] }, ctx);
    return { rows, assets };
  },

  plan(items, loaded, ctx): DeviceWrites {
    const known = ctx.known('hosts');
    const hostIds = ctx.ids('hosts');
    for (const row of loaded.rows) {
      known.add(row.name);
      hostIds.add(row.id, row.name);
    }
    const projects = ctx.ids('projects').byName;
    const writes: DeviceWrites = { create: [], update: [], sightings: [], assets: { create: [], update: [], seen: [] } };
    const addresses: AssetRecord[] = [];
    // An address two devices report goes to the first (for the whole run, across chunks).
    const claimed = ctx.uses('devices:addresses');
    const batchAddresses = addressRecords(ctx);
    // The (source, device) pairs this run reports: what the missing pass (missing-devices.ts) leaves alone.
    const seen = ctx.uses(SEEN_DEVICES);
    const sightingBefore = sightingCutoff(ctx.now);

    for (const { record: r, stored } of items) {
      const report = reportOf(r);
      releaseReport(r);
      let deviceName: string;
      if (!stored) {
        deviceName = freeName(r, known);
        known.add(deviceName);
        const fields = nextSourceFacts(undefined, report.fields);
        const state = newState(deviceName, r, fields, report);
        const project = r.project ? projects.get(r.project) : undefined;
        if (r.project && project === undefined) ctx.warn(fieldLoc(r.loc, 'project'), `project "${r.project}" does not exist; the device is created without one`);
        writes.create.push({
          name: deviceName,
          source: r.source,
          columns: columnsOf(state),
          manual: { project_id: project ?? null, asset_tag: r.asset_tag ?? null, room_location: r.location ?? null },
          fact: { source: r.source, external_id: r.source_id, fields: JSON.stringify(fields), raw: r.raw ?? null },
          lists: listsOf(report),
          tags: state.tags,
        });
        const after = snapshot(state);
        ctx.record('devices', deviceName, r.loc, 'CREATE', () => asPlanChanges(diffSnapshots({}, after)));
      } else {
        deviceName = stored.name;
        const before = stored.state;
        const prior = before.facts.find((f) => f.source === r.source);
        const fields = nextSourceFacts(prior?.fields, report.fields);
        const raw = r.raw ?? prior?.raw ?? null;
        // Reported again after a complete run missed it: the flag clears (and the device's summary with it).
        const found = prior?.missing_since != null;
        seen.add(seenKey(r.source, stored.id));
        const fact: FactWrite | null =
          !prior || found || JSON.stringify(prior.fields) !== JSON.stringify(fields) || prior.raw !== raw || prior.external_id !== r.source_id
            ? { source: r.source, external_id: r.source_id, fields: JSON.stringify(fields), raw, id: prior?.id }
            : null;
        const lists = changedLists(before, r.source, report);
        const after: DeviceState = withReport(before, r, fields, report);
        const columns = columnsOf(after);
        const stale = Object.entries(columns).some(([c, v]) => !sameColumn(before.row[c], v));
        if (!fact && !stale && Object.keys(lists).length === 0) {
          if (prior && prior.last_seen_at < sightingBefore) writes.sightings.push({ factId: prior.id, deviceId: stored.id });
          ctx.record('devices', deviceName, r.loc, 'SKIP', []);
        } else {
          // Only a device that changes is diffed (most of an unchanged re-sync is not).
          const changes = diffSnapshots(snapshot(before), snapshot(after));
          if (found) changes.push({ field: seenField(r.source), old: `missing since ${prior.missing_since}`, new: 'reported' });
          writes.update.push({ id: stored.id, source: r.source, columns: stale ? columns : null, fact, lists, changes, found: found || stored.state.row.missing_since != null });
          // A losing source's new value changes no shown field: the preview still says whose facts moved.
          const shown = changes.length > 0 ? asPlanChanges(changes) : [{ field: `facts.${r.source}`, before: null, after: 'updated' }];
          ctx.record('devices', deviceName, r.loc, 'UPDATE', shown);
        }
      }
      for (const ip of report.ips ?? []) {
        const parsed = parseAddressFast(ip.ip_address)!;
        // The batch's own record of the address (a connector's notes, tags) is planned by the
        // ip_assets entity after every device: it gets the device as host, once, with its counts.
        const own = batchAddresses.get(parsed.key);
        if (own) {
          if (own.host_name === undefined) own.host_name = deviceName;
          if (own.type === undefined) own.type = r.kind === 'vm' ? 'VM' : 'OS';
          continue;
        }
        if (claimed.has(parsed.key)) {
          ctx.warn(fieldLoc(r.loc, 'ips'), `${parsed.address} is reported by another device earlier in this run; it stays with that one`);
          continue;
        }
        claimed.add(parsed.key);
        addresses.push({ loc: fieldLoc(r.loc, 'ips'), address: parsed.address, version: parsed.version, key: parsed.key, type: r.kind === 'vm' ? 'VM' : 'OS', host_name: deviceName, policy: ADDRESS_POLICY });
      }
    }
    // The addresses follow the ip_assets entity's own rules (diffs, history, counters).
    const assets = loaded.assets ?? { rows: [], hosts: [] };
    writes.assets = ipAssets.plan(matchRecords('ip_assets', ipAssets.matchKeys, addresses, assets.rows, ctx), assets, ctx);
    return writes;
  },

  write: writeDevices,
});

const addressIndex = new WeakMap<PlanContext, Map<string, AssetRecord>>();

/** The batch's address records by key (built once per run). */
function addressRecords(ctx: PlanContext): Map<string, AssetRecord> {
  let index = addressIndex.get(ctx);
  if (!index) addressIndex.set(ctx, (index = new Map([...((ctx.prepared.records.get('ip_assets') ?? []) as RecordSeq<AssetRecord>)].map((a) => [a.key, a]))));
  return index;
}

/** The reported name, else its hostname, serial or the source's id. */
function newName(r: DeviceRecord): string {
  const name = r.name ?? r.hostname ?? r.serial ?? `${r.source}-${r.source_id}`;
  return name.slice(0, 255);
}

/** A new device's name; "name (source:id)" when another device holds the name. */
function freeName(r: DeviceRecord, taken: ReadonlySet<string>): string {
  const name = newName(r);
  return taken.has(name) ? `${name} (${r.source}:${r.source_id})`.slice(0, 255) : name;
}

function newState(name: string, r: DeviceRecord, fields: Record<string, FactValue>, report: DeviceReport): DeviceState {
  const blank: DeviceState = { row: { id: 0, name }, facts: [], overrides: {}, overrideRows: [], macs: [], disks: [], nics: [], ips: [], tags: [...new Set(r.tags ?? [])].sort() };
  return withReport(blank, r, fields, report);
}

/** The device state once this record's facts and lists replace its source's. */
function withReport(s: DeviceState, r: DeviceRecord, fields: Record<string, FactValue>, report: DeviceReport): DeviceState {
  const prior = s.facts.find((f) => f.source === r.source);
  const others = <T extends { source: string }>(rows: readonly T[]) => rows.filter((x) => x.source !== r.source);
  const fact = { id: prior?.id ?? 0, device_id: Number(s.row.id), source: r.source, external_id: r.source_id, fields, raw: null, run_id: null, first_seen_at: '', last_seen_at: '', missing_since: null, missing_run_id: null, archive_after_days: null };
  return {
    ...s,
    facts: [...others(s.facts), fact],
    macs: report.macs ? [...others(s.macs), ...report.macs.map((mac) => ({ source: r.source, mac }))] : s.macs,
    disks: report.disks ? [...others(s.disks), ...report.disks] : s.disks,
    nics: report.nics ? [...others(s.nics), ...report.nics] : s.nics,
    ips: report.ips ? [...others(s.ips), ...report.ips] : s.ips,
  };
}

/** Every fact column's merged value. */
function columnsOf(s: DeviceState): Record<string, FactValue> {
  const merged = mergeDeviceFacts(s.facts, s.overrides);
  const out: Record<string, FactValue> = {};
  for (const f of FACT_FIELD_NAMES) out[FACT_FIELDS[f].column] = merged[f].value;
  return out;
}

function sameColumn(stored: unknown, value: FactValue): boolean {
  if (stored === null || stored === undefined) return value === null;
  return value !== null && String(typeof value === 'number' ? Number(stored) : stored) === String(value);
}

const strip = <T extends { source: string }>(rows: readonly T[]) => rows.map(({ source: _s, ...rest }) => rest);

/** A new device's list rows. */
function listsOf(report: DeviceReport): ListWrites {
  return {
    macs: report.macs?.map((mac) => ({ mac })),
    disks: report.disks && strip(report.disks),
    nics: report.nics && strip(report.nics),
    ips: report.ips && strip(report.ips),
  };
}

/** The lists of this source that the record changes (compared in stored order). */
function changedLists(s: DeviceState, source: string, report: DeviceReport): ListWrites {
  const out: ListWrites = {};
  const mine = <T extends { source: string }>(rows: readonly T[]) => rows.filter((x) => x.source === source);
  if (report.macs && listKey(mine(s.macs).map((m) => ({ mac: m.mac })).sort((a, b) => (a.mac < b.mac ? -1 : 1))) !== listKey(report.macs.map((mac) => ({ mac })))) out.macs = report.macs.map((mac) => ({ mac }));
  if (report.disks && listKey(mine(s.disks)) !== listKey(report.disks)) out.disks = strip(report.disks);
  if (report.nics && listKey(mine(s.nics)) !== listKey(report.nics)) out.nics = strip(report.nics);
  if (report.ips && listKey(mine(s.ips).sort((a, b) => (a.ip_address < b.ip_address ? -1 : 1))) !== listKey(report.ips)) out.ips = strip(report.ips);
  return out;
}

/** Device history changes as the plan's preview shows them. */
function asPlanChanges(changes: readonly { field: string; old: string | null; new: string | null }[]): FieldChange[] {
  return changes.map((c) => ({ field: c.field, before: c.old, after: c.new }));
}

