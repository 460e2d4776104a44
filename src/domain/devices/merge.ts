import { FACT_DEFAULTS, FACT_FIELD_NAMES, type FactField, type FactValue, type FactValues } from './fields.js';
import { SOURCE_PRIORITY, UNKNOWN_SOURCE_PRIORITY, type EffectiveField } from './priority.js';

/*
 * How a device's facts from several sources merge, field by field. The ranking of sources may
 * differ per field (a table row per field group); the defaults encode the policy:
 *  - VM facts (power, CPU, memory, placement, disks/NICs): the platform that runs the VM (vCenter,
 *    Nutanix) is authoritative, the monitors only fill in for a device no platform reports;
 *  - network gear identity (serial, model, vendor, firmware, OS): LibreNMS over Netdisco, as LAIM merges;
 *  - an operator's override beats every source, always.
 * The defaults agree with `effectiveFacts` (priority.ts) on every field, so the columns the
 * reconcile engine writes are the ones DevicesService computes after a person's edit.
 */

export type SourceRanking = Readonly<Record<string, number>>;

/** Fields that describe a VM's placement and sizing. */
export const VM_FACT_FIELDS: readonly FactField[] = ['power_state', 'vcpus', 'sockets', 'cores_per_socket', 'memory_mb', 'disk_count', 'disk_total_gb', 'nic_count', 'cluster', 'hypervisor'];
/** Fields that identify a box on the network. */
export const GEAR_FACT_FIELDS: readonly FactField[] = ['serial', 'model', 'vendor', 'firmware_version', 'os_type', 'os_family', 'os_version', 'hostname'];

/** Platforms first, then LibreNMS over Netdisco, then scanners (the same order as SOURCE_PRIORITY). */
const VM_RANKING: SourceRanking = SOURCE_PRIORITY;
const GEAR_RANKING: SourceRanking = SOURCE_PRIORITY;

export type FieldPriorityTable = Readonly<Partial<Record<FactField, SourceRanking>>> & { readonly default: SourceRanking };

export const DEFAULT_FIELD_PRIORITY: FieldPriorityTable = {
  default: SOURCE_PRIORITY,
  ...Object.fromEntries(VM_FACT_FIELDS.map((f) => [f, VM_RANKING])),
  ...Object.fromEntries(GEAR_FACT_FIELDS.map((f) => [f, GEAR_RANKING])),
};

/** A source's rank for one field (unlisted sources rank between the scanners and the monitors). */
export function fieldRank(table: FieldPriorityTable, field: FactField, source: string): number {
  return (table[field] ?? table.default)[source] ?? UNKNOWN_SOURCE_PRIORITY;
}

/**
 * The effective value of every fact field: an override when set (even to null), else the value
 * of the highest-ranked source for that field that reported one (ties: source name), else the default.
 */
export function mergeDeviceFacts(
  facts: readonly { source: string; fields: FactValues }[],
  overrides: Partial<Record<FactField, FactValue>>,
  table: FieldPriorityTable = DEFAULT_FIELD_PRIORITY,
): Record<FactField, EffectiveField> {
  const out = {} as Record<FactField, EffectiveField>;
  for (const field of FACT_FIELD_NAMES) {
    if (Object.prototype.hasOwnProperty.call(overrides, field)) {
      out[field] = { value: overrides[field] ?? null, from: 'override' };
      continue;
    }
    let best: { source: string; value: FactValue; rank: number } | null = null;
    for (const f of facts) {
      const value = f.fields[field];
      if (value === null || value === undefined) continue;
      const rank = fieldRank(table, field, f.source);
      if (!best || rank > best.rank || (rank === best.rank && f.source < best.source)) best = { source: f.source, value, rank };
    }
    out[field] = best ? { value: best.value, from: best.source } : { value: FACT_DEFAULTS[field] ?? null, from: null };
  }
  return out;
}

/**
 * One source's facts after a new report: a field the report leaves out (undefined) keeps what
 * the source said before, null removes it, a value replaces it. Keys come out in field order so
 * equal facts serialise to equal JSON (what makes an unchanged report a no-op).
 */
export function nextSourceFacts(previous: Readonly<Record<string, FactValue | undefined>> | undefined, reported: Readonly<Record<string, FactValue | undefined>>): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  for (const field of [...FACT_FIELD_NAMES, 'name']) {
    const v = reported[field] !== undefined ? reported[field] : previous?.[field];
    if (v !== null && v !== undefined) out[field] = v;
  }
  return out;
}
