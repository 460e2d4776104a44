/**
 * Wire shapes of devices, with no imports so the panel's components can import them type-only.
 * Effective fact values sit on the device itself; `effective[field].from` says where each came from.
 */

/** The fact fields (src/domain/devices/fields.ts; the service's types fail to compile if the two differ). */
export type DeviceFactField =
  | 'hostname' | 'kind' | 'platform' | 'serial' | 'model' | 'vendor' | 'uuid' | 'bios_uuid' | 'os_type' | 'os_family' | 'os_version'
  | 'firmware_version' | 'power_state' | 'vcpus' | 'sockets' | 'cores_per_socket' | 'memory_mb' | 'disk_count' | 'disk_total_gb'
  | 'nic_count' | 'cluster' | 'hypervisor';

export interface DeviceOwnerRef {
  id: number;
  full_name: string;
  email: string;
}

/** One row of the device list: the device's columns (effective values) and its tags and MACs. */
export interface DeviceSummary {
  id: number;
  name: string;
  kind: string;
  platform: string | null;
  hostname: string | null;
  serial: string | null;
  asset_tag: string | null;
  model: string | null;
  vendor: string | null;
  vendor_id: number | null;
  uuid: string | null;
  bios_uuid: string | null;
  os_type: string | null;
  os_family: string | null;
  os_version: string | null;
  firmware_version: string | null;
  power_state: string | null;
  vcpus: number | null;
  sockets: number | null;
  cores_per_socket: number | null;
  memory_mb: number | null;
  disk_count: number | null;
  disk_total_gb: number | null;
  nic_count: number | null;
  cluster: string | null;
  hypervisor: string | null;
  hypervisor_device_id: number | null;
  room_location: string | null;
  sub_location: string | null;
  project_id: number | null;
  environment: string | null;
  business_owner_id: number | null;
  technical_owner_id: number | null;
  notes: string | null;
  archived: boolean;
  archived_at: string | null;
  archived_by: string | null;
  archive_reason: string | null;
  first_seen_at: string | null;
  last_seen_at: string | null;
  /** Since when every source that reported it no longer does (a complete run missed it); null while any still does. */
  missing_since: string | null;
  /** When the archive policy archives it (null: not missing everywhere, or no source's configuration archives). */
  archive_at: string | null;
  created_at: string;
  updated_at: string;
  tags: string[];
  macs: string[];
  /** Sources that reported the device (`manual` for what a person typed at creation). */
  sources: string[];
}

export interface DeviceDisk {
  label: string | null;
  size_gb: number | null;
  storage: string | null;
  backing: string | null;
}

export interface DeviceNic {
  mac: string | null;
  network_name: string | null;
  vlan: string | null;
  connected: boolean | null;
  ips: string[];
}

export interface DeviceIp {
  ip_address: string;
  /** `manual` for an address a person added (kept across syncs), else the source that reported it. */
  source: string;
  label: string | null;
  is_primary: boolean;
}

export interface DeviceFacts {
  source: string;
  external_id: string;
  fields: Record<string, string | number | null>;
  raw: unknown;
  run_id: number | null;
  first_seen_at: string;
  last_seen_at: string;
  /** Since when a complete run of this source no longer reports it (null: it does), and that run. */
  missing_since: string | null;
  missing_run_id: number | null;
}

export interface DeviceOverride {
  field: string;
  value: string | number | null;
  set_by: string | null;
  set_at: string;
}

export interface DeviceChange {
  id: number;
  device_id: number;
  device_name: string;
  run_id: number | null;
  source: string | null;
  field: string;
  old_value: string | null;
  new_value: string | null;
  changed_at: string;
  changed_by: string | null;
}

export interface DeviceDetail extends DeviceSummary {
  /** Each fact field's effective value and where it came from (`override`, a source, or null). */
  effective: Record<DeviceFactField, { value: string | number | null; from: string | null }>;
  facts: DeviceFacts[];
  overrides: DeviceOverride[];
  disks: DeviceDisk[];
  nics: DeviceNic[];
  ips: DeviceIp[];
  /** Active IP assets linked to the device (the ipocket host's addresses). */
  ip_assets: { ip_address: string; type: string }[];
  business_owner: DeviceOwnerRef | null;
  technical_owner: DeviceOwnerRef | null;
  /** The name of `project_id`'s project. */
  project_name: string | null;
  custom_fields: Record<string, string | number | boolean | null>;
}

export interface FactsResult {
  run_id: number | null;
  source: string;
  created: number;
  updated: number;
  unchanged: number;
  /** History rows written (zero for a run that changed nothing). */
  changes: number;
  devices: { external_id: string; device_id: number; status: 'created' | 'updated' | 'unchanged' }[];
}

export interface Owner {
  id: number;
  full_name: string;
  email: string;
  designation: string | null;
  department: string | null;
  user_id: number | null;
  created_at: string;
  updated_at: string;
}

export type CustomFieldType = 'text' | 'number' | 'boolean' | 'date' | 'url' | 'select';

export interface CustomFieldDefinition {
  id: number;
  key: string;
  label: string;
  /** The device kind it applies to; null for every kind. */
  device_kind: string | null;
  type: CustomFieldType;
  options: string[] | null;
  required: boolean;
  created_at: string;
  updated_at: string;
}

export interface DeviceStatsWire {
  total: number;
  archived: number;
  by_kind: Record<string, number>;
  by_platform: Record<string, number>;
  by_power_state: Record<string, number>;
  changes_last_24h: number;
}
