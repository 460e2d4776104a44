import type { FactValue } from '../../../domain/devices/fields.js';
import type { DeviceState } from '../../../services/devices/state.js';
import type { z } from 'zod';
import type { BatchDeviceSchema } from '../../batch.js';

/** A device record of the batch, validated (the devices entity's input); `raw` is kept as its JSON text, as it is stored. */
export type DeviceRecord = Omit<z.output<typeof BatchDeviceSchema>, 'raw'> & { raw?: string };

/** What one record says, in the shape the device tables store: the source's facts and its lists. */
export interface DeviceReport {
  /** Reported facts (undefined: not reported, kept), plus the reported `name`. */
  fields: Record<string, FactValue | undefined>;
  /** All MACs (NICs' and loose ones), normalised and sorted; undefined when the record lists none. */
  macs?: string[];
  disks?: DeviceState['disks'];
  nics?: DeviceState['nics'];
  ips?: DeviceState['ips'];
}

const FACT_KEYS = ['hostname', 'kind', 'platform', 'serial', 'uuid', 'bios_uuid', 'model', 'vendor', 'os_type', 'os_family', 'os_version', 'firmware_version', 'power_state', 'vcpus', 'sockets', 'cores_per_socket', 'memory_mb', 'cluster', 'hypervisor'] as const;

/**
 * Reports made for a chunk: its keys, its match (by MAC) and its plan read the same report. The
 * plan releases each (releaseReport) once the device is planned, so only one chunk's stay.
 */
const reports = new WeakMap<DeviceRecord, DeviceReport>();

/** The record as stored facts and per-source list rows (made once per chunk, see `reports`). */
export function reportOf(r: DeviceRecord): DeviceReport {
  let report = reports.get(r);
  if (!report) reports.set(r, (report = makeReport(r)));
  return report;
}

/** Drops the record's report once its plan is made. */
export function releaseReport(r: DeviceRecord): void {
  reports.delete(r);
}

/** The record as stored facts and per-source list rows; counts derive from the lists it sends. */
function makeReport(r: DeviceRecord): DeviceReport {
  const fields: Record<string, FactValue | undefined> = {};
  for (const k of FACT_KEYS) fields[k] = r[k];
  fields.name = r.name;
  const source = r.source;
  const out: DeviceReport = { fields };
  if (r.disks) {
    fields.disk_count = r.disks.length;
    fields.disk_total_gb = Math.round(r.disks.reduce((sum, d) => sum + (d.size_gb ?? 0), 0) * 100) / 100;
    out.disks = r.disks.map((d, position) => ({ source, position, label: d.label ?? null, size_gb: d.size_gb ?? null, storage: d.storage ?? null, backing: d.backing ?? null }));
  }
  if (r.nics) {
    fields.nic_count = r.nics.length;
    out.nics = r.nics.map((n, position) => ({ source, position, mac: n.mac || null, network_name: n.network ?? null, vlan: n.vlan ?? null, connected: n.connected ?? null }));
  }
  if (r.macs || r.nics) out.macs = [...new Set([...(r.macs ?? []), ...(r.nics ?? []).map((n) => n.mac).filter((m): m is string => !!m)])].sort();
  if (r.ips || r.nics) {
    const seen = new Set<string>();
    const ips: DeviceState['ips'] = [];
    const add = (ip: string, nic: number | null): void => {
      if (seen.has(ip)) return;
      seen.add(ip);
      ips.push({ source, ip_address: ip, nic_position: nic, label: null, is_primary: false });
    };
    (r.nics ?? []).forEach((n, position) => (n.ips ?? []).forEach((ip) => add(ip, position)));
    for (const ip of r.ips ?? []) add(ip, null);
    out.ips = ips.sort((a, b) => (a.ip_address < b.ip_address ? -1 : a.ip_address > b.ip_address ? 1 : 0));
  }
  return out;
}

/** Every address a record reports (NICs' and loose ones). */
export function reportedIps(r: DeviceRecord): string[] {
  return [...new Set([...(r.nics ?? []).flatMap((n) => n.ips ?? []), ...(r.ips ?? [])])];
}

/** The comparable text of one source's list rows (what decides whether a list changed). */
export function listKey(rows: readonly object[]): string {
  return JSON.stringify(rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'source'))));
}
