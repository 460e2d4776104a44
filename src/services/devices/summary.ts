import type { DeviceSummary } from './wire.js';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const TEXT = ['platform', 'hostname', 'serial', 'asset_tag', 'model', 'uuid', 'bios_uuid', 'os_type', 'os_family', 'os_version', 'firmware_version', 'power_state', 'cluster', 'hypervisor', 'room_location', 'sub_location', 'environment', 'notes', 'archived_at', 'archived_by', 'archive_reason', 'first_seen_at', 'last_seen_at', 'missing_since', 'archive_at'] as const;
const NUMS = ['vendor_id', 'vcpus', 'sockets', 'cores_per_socket', 'memory_mb', 'disk_count', 'disk_total_gb', 'nic_count', 'hypervisor_device_id', 'project_id', 'business_owner_id', 'technical_owner_id'] as const;

/** A hosts row as the device wire shape (numbers as numbers on both databases). */
export function toSummary(row: Record<string, unknown>, lists: Pick<DeviceSummary, 'tags' | 'macs' | 'sources'>): DeviceSummary {
  const out: Record<string, unknown> = { id: Number(row.id), name: String(row.name), kind: String(row.kind ?? 'other'), vendor: str(row.vendor_name) };
  for (const c of TEXT) out[c] = str(row[c]);
  for (const c of NUMS) out[c] = num(row[c]);
  out.archived = row.archived_at != null;
  out.created_at = String(row.created_at);
  out.updated_at = String(row.updated_at);
  return { ...(out as unknown as DeviceSummary), ...lists };
}
