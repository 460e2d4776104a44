import type { BatchDevice } from './batch-devices.js';
import { DeviceList } from './device-list.js';

export { DeviceList } from './device-list.js';

export { BatchDeviceSchema, BatchDevicesSchema, type BatchDevice, type BatchDeviceInput, type BatchDeviceNic, type BatchDeviceDisk } from './batch-devices.js';

/**
 * The normalized batch every plugin returns. Fields left `undefined` are unknown to the
 * source and never touched; `null` or '' means "empty" (cleared under the overwrite policy).
 * Every record carries `loc`, where it came from (`ip-assets.csv:line 7`, `data.ip_assets[3]`),
 * so plan errors point at the input.
 */

/** overwrite: the source wins; fill: only when the stored value is empty; keep: only on create. */
export type FieldPolicy = 'overwrite' | 'fill' | 'keep';
/** replace: the source's set; merge: union with the stored set; keep: only on create. */
export type TagPolicy = 'replace' | 'merge' | 'keep';

export interface AssetPolicy {
  type: FieldPolicy;
  project: FieldPolicy;
  host: FieldPolicy;
  notes: FieldPolicy;
  archived: FieldPolicy;
  tags: TagPolicy;
}

export interface HostPolicy {
  notes: FieldPolicy;
  vendor: FieldPolicy;
}

export interface CatalogPolicy {
  /** Project description/colour, tag colour, range name/notes. */
  fields: FieldPolicy;
}

export interface MergePolicy {
  asset: AssetPolicy;
  host: HostPolicy;
  catalog: CatalogPolicy;
}

/** The file formats' semantics: the input is the truth for every field it carries. */
export const DEFAULT_POLICY: MergePolicy = {
  asset: { type: 'overwrite', project: 'overwrite', host: 'overwrite', notes: 'overwrite', archived: 'overwrite', tags: 'replace' },
  host: { notes: 'overwrite', vendor: 'overwrite' },
  catalog: { fields: 'overwrite' },
};

export interface BatchVendor {
  loc: string;
  name: string;
}

export interface BatchProject {
  loc: string;
  name: string;
  description?: string | null;
  color?: string | null;
}

export interface BatchTag {
  loc: string;
  name: string;
  color?: string | null;
}

export interface BatchRange {
  loc: string;
  name?: string | null;
  cidr: string;
  notes?: string | null;
}

export interface BatchHost {
  loc: string;
  name: string;
  notes?: string | null;
  vendor_name?: string | null;
  /** Project given to the OS/BMC assets this record links (when it creates or links them). */
  project_name?: string | null;
  os_ip?: string | null;
  bmc_ip?: string | null;
  policy?: Partial<HostPolicy>;
}

export interface BatchAsset {
  loc: string;
  ip_address: string;
  /** Raw type text (aliases accepted); OTHER when absent on create. */
  type?: string | null;
  project_name?: string | null;
  host_name?: string | null;
  notes?: string | null;
  archived?: boolean;
  tags?: readonly string[];
  /** Kept on create (round-trips); `YYYY-MM-DD HH:MM:SS` or ISO. */
  created_at?: string | null;
  updated_at?: string | null;
  /** Discovery time (Nmap, connectors). */
  last_seen_at?: string | null;
  policy?: Partial<AssetPolicy>;
}

export interface BatchIssue {
  level: 'error' | 'warning';
  location: string;
  message: string;
}

export interface Batch {
  /** What was read: a file name, a URL. Shown in runs and the audit entry. */
  source: string;
  vendors: BatchVendor[];
  projects: BatchProject[];
  tags: BatchTag[];
  ranges: BatchRange[];
  hosts: BatchHost[];
  ip_assets: BatchAsset[];
  /**
   * Devices (servers, VMs, hypervisors, network gear) a device source reports (batch-devices.ts).
   * Optional: the file formats carry none; validated by the devices entity, record by record.
   * Connectors pack them as they map them (device-list.ts); a push or a test may give an array.
   */
  devices?: BatchDevice[] | DeviceList;
  /**
   * Set by a source whose `devices` are its whole inventory under this configuration (not a
   * filtered read, not a partial one): the devices it reported before and not now are marked
   * missing (entities/missing-devices.ts). Left out: nothing is marked.
   */
  devicesComplete?: DevicesComplete;
  /** Problems found while reading the input (bad rows are left out of the lists and reported here). */
  issues: BatchIssue[];
  /** Hosts may name only vendors the batch lists or the database holds (the original's bundle rule); default: created on demand. */
  vendorsMustExist?: boolean;
  /** Default merge policy of this batch; records may override per field. */
  policy?: { asset?: Partial<AssetPolicy>; host?: Partial<HostPolicy>; catalog?: Partial<CatalogPolicy> };
}

export interface DevicesComplete {
  /** Days a device missing from every source waits before the archive job archives it; null: never. */
  archiveAfterDays: number | null;
  /**
   * Whose devices the run covers: the facts its earlier runs wrote (runs of the same `source`,
   * the configuration's name). The runner sets it; two configurations of one plugin never mark
   * each other's devices.
   */
  scope?: string;
}

/** An empty batch to fill. */
export function emptyBatch(source: string): Batch {
  return { source, vendors: [], projects: [], tags: [], ranges: [], hosts: [], ip_assets: [], issues: [] };
}

/**
 * Declares the batch's devices the source's whole inventory (missing ones get marked), unless
 * some records were left out (`skipped`): then the run is partial and marks nothing, and says so.
 */
export function declareComplete(batch: Batch, archiveAfterDays: number | undefined, skipped = 0): void {
  if (skipped > 0) {
    batch.issues.push({ level: 'warning', location: 'devices', message: `${skipped} record(s) left out: the run is partial, so no device is marked missing` });
    return;
  }
  batch.devicesComplete = { archiveAfterDays: archiveAfterDays ?? null };
}

/** How a device connector's mapping functions read its options. */
export interface DeviceMapOptions {
  project?: string;
  tags: string[];
  keepRaw: boolean;
}

/**
 * A device connector's empty batch: its device list, the option's project as a record, and the
 * options its mappers take (every device source names them the same: project, tags, keep_raw).
 */
export function deviceBatch(source: string, options: { project?: string; tags: string[]; keep_raw: boolean }): { batch: Batch; devices: DeviceList; mapOptions: DeviceMapOptions } {
  const batch = emptyBatch(source);
  const devices = new DeviceList();
  batch.devices = devices;
  if (options.project) batch.projects.push({ loc: 'options.project', name: options.project });
  return { batch, devices, mapOptions: { project: options.project, tags: options.tags, keepRaw: options.keep_raw } };
}

/** Records in a batch, for the row cap. */
export function batchSize(b: Batch): number {
  return b.vendors.length + b.projects.length + b.tags.length + b.ranges.length + b.hosts.length + b.ip_assets.length + (b.devices?.length ?? 0);
}

/** Appends a field to a record location: `data.ip_assets[3].host_name`, `ip-assets.csv:line 7 (host_name)`. */
export function fieldLoc(loc: string, field: string): string {
  return /:line \d+$/.test(loc) ? `${loc} (${field})` : `${loc}.${field}`;
}
