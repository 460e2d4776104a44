/** One change of one device field, as the history stores it (values in their text form). */
export interface FieldChange {
  field: string;
  old: string | null;
  new: string | null;
}

/** The stored text of a value: null (and an empty list: "(none)" either way) stays null, lists and objects are JSON, the rest their string. */
export function historyText(value: unknown): string | null {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return null;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The changes between two snapshots of a device, one per field whose text differs, in the order
 * of `after`'s keys: the same input always gives the same rows, and an unchanged device gives none.
 */
export function diffSnapshots(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): FieldChange[] {
  const changes: FieldChange[] = [];
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  for (const field of keys) {
    const old = historyText(before[field]);
    const next = historyText(after[field]);
    if (old !== next) changes.push({ field, old, new: next });
  }
  return changes;
}
