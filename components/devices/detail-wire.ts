/**
 * What the device page reads of GET /devices/{id}: the effective device, each source's facts,
 * the operator's overrides, the IPs and the change history, read defensively (see wire.ts).
 */
import { toDevice, type DeviceRow } from './wire';

export type SourceFacts = { source: string; priority: number | null; values: Record<string, unknown>; raw: unknown; first_seen_at: string | null; last_seen_at: string | null };
export type DeviceIp = { address: string; origin: 'manual' | 'fact' | string; source: string | null; nic: string | null; label: string | null; primary: boolean };
export type HistoryEntry = { id: number; field: string; old_value: string | null; new_value: string | null; changed_at: string; by: string | null; run_id: number | null };
export type DeviceDetail = { device: DeviceRow; facts: SourceFacts[]; overrides: Record<string, unknown>; ips: DeviceIp[]; history: HistoryEntry[]; custom_fields: Record<string, unknown> };

type Raw = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));

function facts(v: unknown): SourceFacts[] {
  const list: Raw[] = Array.isArray(v) ? (v as Raw[]) : v && typeof v === 'object' ? Object.entries(v as Raw).map(([source, f]) => ({ source, ...(f as Raw) })) : [];
  return list.map((f) => ({
    source: String(f.source ?? f.source_name ?? 'source'),
    priority: f.priority === undefined || f.priority === null ? null : Number(f.priority),
    values: ((f.values ?? f.fields ?? f.facts ?? {}) as Record<string, unknown>) || {},
    raw: f.raw ?? f.payload ?? null,
    first_seen_at: str(f.first_seen_at),
    last_seen_at: str(f.last_seen_at),
  }));
}

function ips(v: unknown): DeviceIp[] {
  if (!Array.isArray(v)) return [];
  return (v as unknown[]).map((x) => {
    if (typeof x === 'string') return { address: x, origin: 'fact', source: null, nic: null, label: null, primary: false };
    const r = x as Raw;
    return {
      address: String(r.address ?? r.ip_address ?? r.ip ?? ''),
      origin: String(r.origin ?? (r.manual === true ? 'manual' : 'fact')),
      source: str(r.source),
      nic: str(r.nic ?? r.mac ?? r.network_name),
      label: str(r.label),
      primary: r.primary === true || r.is_primary === true,
    };
  });
}

function history(v: unknown): HistoryEntry[] {
  const list = Array.isArray(v) ? (v as Raw[]) : Array.isArray((v as Raw | null)?.items) ? ((v as Raw).items as Raw[]) : [];
  return list.map((h) => ({
    id: Number(h.id),
    field: String(h.field ?? h.field_name ?? ''),
    old_value: str(h.old_value ?? h.old),
    new_value: str(h.new_value ?? h.new),
    changed_at: String(h.changed_at ?? h.at ?? h.created_at ?? ''),
    by: str(h.username ?? h.changed_by ?? h.by ?? h.actor),
    run_id: h.run_id === undefined || h.run_id === null ? (h.sync_run_id ? Number(h.sync_run_id) : null) : Number(h.run_id),
  }));
}

export function toDetail(raw: unknown): DeviceDetail {
  const r = (raw ?? {}) as Raw;
  return {
    device: toDevice(r.device ?? r),
    facts: facts(r.facts),
    overrides: (r.overrides && typeof r.overrides === 'object' ? r.overrides : {}) as Record<string, unknown>,
    ips: ips(r.ips ?? r.ip_addresses),
    history: history(r.history),
    custom_fields: (r.custom_fields && typeof r.custom_fields === 'object' ? r.custom_fields : {}) as Record<string, unknown>,
  };
}

/** A value as one line of text ("—" when there is none). */
export const show = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v));
