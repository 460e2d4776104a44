/**
 * The fields sources report about a device (facts) and an operator may override. Each is one
 * column of `hosts` holding the effective value. `text` values are trimmed strings, `int` whole
 * numbers, `number` decimals.
 */
export const FACT_FIELDS = {
  hostname: { column: 'hostname', type: 'text', max: 255 },
  kind: { column: 'kind', type: 'kind', max: 20 },
  platform: { column: 'platform', type: 'platform', max: 32 },
  serial: { column: 'serial', type: 'text', max: 255 },
  model: { column: 'model', type: 'text', max: 255 },
  vendor: { column: 'vendor_name', type: 'text', max: 255 },
  uuid: { column: 'uuid', type: 'text', max: 64 },
  bios_uuid: { column: 'bios_uuid', type: 'text', max: 64 },
  os_type: { column: 'os_type', type: 'text', max: 255 },
  os_family: { column: 'os_family', type: 'text', max: 64 },
  os_version: { column: 'os_version', type: 'text', max: 255 },
  firmware_version: { column: 'firmware_version', type: 'text', max: 100 },
  power_state: { column: 'power_state', type: 'power_state', max: 20 },
  vcpus: { column: 'vcpus', type: 'int', max: 0 },
  sockets: { column: 'sockets', type: 'int', max: 0 },
  cores_per_socket: { column: 'cores_per_socket', type: 'int', max: 0 },
  memory_mb: { column: 'memory_mb', type: 'int', max: 0 },
  disk_count: { column: 'disk_count', type: 'int', max: 0 },
  disk_total_gb: { column: 'disk_total_gb', type: 'number', max: 0 },
  nic_count: { column: 'nic_count', type: 'int', max: 0 },
  cluster: { column: 'cluster', type: 'text', max: 255 },
  hypervisor: { column: 'hypervisor', type: 'text', max: 255 },
} as const;

export type FactField = keyof typeof FACT_FIELDS;
export const FACT_FIELD_NAMES = Object.keys(FACT_FIELDS) as FactField[];
export type FactValue = string | number | null;
export type FactValues = Partial<Record<FactField, FactValue>>;

/** Fields whose effective value is kept when no source or override gives one (a device always has a kind). */
export const FACT_DEFAULTS: Partial<Record<FactField, FactValue>> = { kind: 'other' };

/**
 * The history's field names for the collections: a change in any of them is one row, old and
 * new being the whole list in its canonical text, so "what changed" reads at a glance.
 */
export const COLLECTION_FIELDS = ['macs', 'disks', 'nics', 'ips'] as const;
export type CollectionField = (typeof COLLECTION_FIELDS)[number];
