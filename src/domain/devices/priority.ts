import { FACT_DEFAULTS, FACT_FIELD_NAMES, type FactField, type FactValue, type FactValues } from './fields.js';

/**
 * Which source's fact wins when several report one device: the platform that runs a VM knows it
 * best, then the network monitors (LibreNMS over Netdisco, as LAIM merges them), then scanners.
 * `manual` is what a person typed when creating a device: any source reporting later is more
 * current. (An operator who wants a value to stick sets an override, which beats every source.)
 */
export const SOURCE_PRIORITY: Readonly<Record<string, number>> = {
  vcenter: 100,
  vmware: 100,
  nutanix: 100,
  proxmox: 95,
  netbox: 90,
  librenms: 80,
  netdisco: 70,
  prometheus: 50,
  nmap: 30,
  manual: 10,
};

/** A source not listed ranks between the scanners and the monitors. */
export const UNKNOWN_SOURCE_PRIORITY = 40;

export function sourcePriority(source: string): number {
  return SOURCE_PRIORITY[source] ?? UNKNOWN_SOURCE_PRIORITY;
}

/** Sources in winning order; equal priorities fall back to the name so the order never flips. */
export function bySourcePriority<T extends { source: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => sourcePriority(b.source) - sourcePriority(a.source) || a.source.localeCompare(b.source));
}

export interface EffectiveField {
  value: FactValue;
  /** `override`, the winning source's name, or null when nothing gave a value. */
  from: string | null;
}

/**
 * The effective value of every fact field: the override when one is set (even to null: an
 * operator may blank a wrong fact), else the first non-null fact in priority order, else the default.
 */
export function effectiveFacts(facts: readonly { source: string; fields: FactValues }[], overrides: Partial<Record<FactField, FactValue>>): Record<FactField, EffectiveField> {
  const ranked = bySourcePriority(facts);
  const out = {} as Record<FactField, EffectiveField>;
  for (const field of FACT_FIELD_NAMES) {
    if (Object.prototype.hasOwnProperty.call(overrides, field)) {
      out[field] = { value: overrides[field] ?? null, from: 'override' };
      continue;
    }
    const winner = ranked.find((f) => f.fields[field] != null);
    out[field] = winner ? { value: winner.fields[field]!, from: winner.source } : { value: FACT_DEFAULTS[field] ?? null, from: null };
  }
  return out;
}

/**
 * A per-source list (disks, NICs) as the device shows it: the list of the highest-priority source
 * that reported one. Lists are not merged: two sources' disk lists describe the same disks twice.
 */
export function effectiveList<T extends { source: string }>(rows: readonly T[]): T[] {
  const winner = bySourcePriority(rows)[0]?.source;
  return winner === undefined ? [] : rows.filter((r) => r.source === winner);
}
