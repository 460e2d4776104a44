import type { FactField, FactValue } from './fields.js';

/**
 * The fields on which two sources reporting the same device must agree, or the reconciliation
 * report lists the device under "sources disagree": what identifies the box (name, serial,
 * vendor, model), what runs on it (OS and its version, firmware) and what it is sized with (CPU
 * and memory). Left out on purpose: what moves between two runs of different sources without
 * anyone being wrong (power state, cluster and hypervisor placement during a migration), what
 * sources derive their own way (kind, platform, OS family, disk and NIC counts, sockets ×
 * cores), and identifiers each source mints itself (UUIDs).
 */
export const COMPARED_FIELDS = ['hostname', 'serial', 'vendor', 'model', 'os_type', 'os_version', 'firmware_version', 'vcpus', 'memory_mb'] as const satisfies readonly FactField[];
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** Sources whose facts are not a sighting: what a person typed is an override, not a second opinion. */
const NOT_A_SOURCE = new Set(['manual']);

export interface SourceFacts {
  source: string;
  fields: Partial<Record<string, FactValue>>;
}

export interface Disagreement {
  field: ComparedField;
  /** Each reporting source's value, in source order. */
  values: { source: string; value: FactValue }[];
}

/** Text compares trimmed and case-blind ("Dell Inc." is "DELL INC."); numbers compare as numbers ("4096" is 4096). */
function canonical(v: FactValue): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return String(v);
  const t = v.trim();
  if (t === '') return null;
  return /^-?\d+(\.\d+)?$/.test(t) ? String(Number(t)) : t.toLowerCase();
}

/** The compared fields on which at least two sources that report a value disagree. */
export function disagreements(facts: readonly SourceFacts[]): Disagreement[] {
  const sources = facts.filter((f) => !NOT_A_SOURCE.has(f.source)).sort((a, b) => a.source.localeCompare(b.source));
  const out: Disagreement[] = [];
  for (const field of COMPARED_FIELDS) {
    const values = sources.flatMap((f) => (canonical(f.fields[field] ?? null) === null ? [] : [{ source: f.source, value: f.fields[field]! }]));
    if (new Set(values.map((v) => canonical(v.value))).size > 1) out.push({ field, values });
  }
  return out;
}
