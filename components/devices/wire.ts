/**
 * What the panel reads of GET /devices and GET /devices/{id} (issue 14's shapes), and
 * `toDevice`, which reads a row defensively: a field the API leaves out shows as "—".
 */
export type OwnerRef = { id: number; full_name: string; email?: string | null };

export type DeviceRow = {
  id: number;
  name: string;
  kind: string | null;
  platform: string | null;
  serial: string | null;
  asset_tag: string | null;
  macs: string[];
  ips: string[];
  model: string | null;
  vendor: string | null;
  os_type: string | null;
  os_family: string | null;
  os_version: string | null;
  power_state: string | null;
  vcpus: number | null;
  memory_mb: number | null;
  cluster: string | null;
  room_location: string | null;
  sub_location: string | null;
  project: string | null;
  environment: string | null;
  technical_owner: OwnerRef | null;
  business_owner: OwnerRef | null;
  tags: string[];
  notes: string | null;
  archived: boolean;
  last_seen_at: string | null;
  first_seen_at: string | null;
  created_at: string | null;
  updated_at: string | null;
};

type Raw = Record<string, unknown>;

const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v));
const strings = (v: unknown): string[] => {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x ? String((x as Raw).address ?? (x as Raw).ip_address ?? (x as Raw).mac ?? (x as Raw).name ?? '') : String(x))).filter(Boolean);
  return typeof v === 'string' && v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
};

function owner(r: Raw, key: 'technical_owner' | 'business_owner'): OwnerRef | null {
  const o = r[key];
  if (o && typeof o === 'object') {
    const x = o as Raw;
    return { id: Number(x.id), full_name: String(x.full_name ?? x.name ?? x.email ?? `#${String(x.id)}`), email: str(x.email) };
  }
  const id = num(r[`${key}_id`]);
  return id === null ? null : { id, full_name: str(r[`${key}_name`]) ?? `#${id}` };
}

/** A device of the API as the panel shows it (effective values: an override wins over a fact). */
export function toDevice(raw: unknown): DeviceRow {
  const r = ((raw as Raw)?.effective && typeof (raw as Raw).effective === 'object' ? { ...(raw as Raw), ...((raw as Raw).effective as Raw) } : (raw as Raw)) ?? {};
  return {
    id: Number(r.id),
    name: String(r.name ?? r.hostname ?? `#${String(r.id)}`),
    kind: str(r.kind),
    platform: str(r.platform),
    serial: str(r.serial ?? r.serial_number),
    asset_tag: str(r.asset_tag),
    macs: strings(r.macs ?? r.mac_addresses),
    ips: strings(r.ips ?? r.ip_addresses),
    model: str(r.model),
    vendor: str(r.vendor),
    os_type: str(r.os_type),
    os_family: str(r.os_family),
    os_version: str(r.os_version ?? r.firmware ?? r.firmware_version),
    power_state: str(r.power_state),
    vcpus: num(r.vcpus ?? r.total_vcpus),
    memory_mb: num(r.memory_mb),
    cluster: str(r.cluster ?? r.cluster_name),
    room_location: str(r.room ?? r.room_location ?? r.location),
    sub_location: str(r.sub_location),
    project: str(r.project ?? r.project_name),
    environment: str(r.environment),
    technical_owner: owner(r, 'technical_owner'),
    business_owner: owner(r, 'business_owner'),
    tags: strings(r.tags),
    notes: str(r.notes),
    archived: r.archived === true || r.archived === 1,
    last_seen_at: str(r.last_seen_at),
    first_seen_at: str(r.first_seen_at),
    created_at: str(r.created_at),
    updated_at: str(r.updated_at),
  };
}

/** A page of GET /devices: an array with X-Total-Count, or `{items, total}`. */
export function toPage(data: unknown, headers: Headers): { items: DeviceRow[]; total: number } {
  if (Array.isArray(data)) return { items: data.map(toDevice), total: Number(headers.get('X-Total-Count') ?? data.length) };
  const d = (data ?? {}) as { items?: unknown[]; devices?: unknown[]; total?: number };
  const items = (d.items ?? d.devices ?? []).map(toDevice);
  return { items, total: Number(d.total ?? headers.get('X-Total-Count') ?? items.length) };
}
