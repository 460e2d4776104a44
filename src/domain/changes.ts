/** A readable field diff for the audit log: `type: VM → OS; notes: "a" → (empty); tags: +prod −dev`. */
export type FieldValue = string | number | boolean | null | undefined | readonly string[];

export interface FieldChange {
  field: string;
  before: FieldValue;
  after: FieldValue;
}

/** Lists the fields whose values differ (arrays compared as sets). */
export function diffFields(before: Record<string, FieldValue>, after: Record<string, FieldValue>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of Object.keys(after)) {
    const a = before[field];
    const b = after[field];
    if (!sameValue(a, b)) changes.push({ field, before: a, after: b });
  }
  return changes;
}

function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = [...((a as readonly string[] | null | undefined) ?? [])].sort();
    const y = [...((b as readonly string[] | null | undefined) ?? [])].sort();
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  return (a ?? null) === (b ?? null);
}

/** Renders changes as one line per audit entry. */
export function describeChanges(changes: readonly FieldChange[]): string {
  return changes.map(describeChange).join('; ');
}

function describeChange(c: FieldChange): string {
  if (Array.isArray(c.before) || Array.isArray(c.after)) {
    const before = new Set((c.before as readonly string[] | null) ?? []);
    const after = new Set((c.after as readonly string[] | null) ?? []);
    const added = [...after].filter((t) => !before.has(t)).map((t) => `+${t}`);
    const removed = [...before].filter((t) => !after.has(t)).map((t) => `-${t}`);
    return `${c.field}: ${[...added, ...removed].join(' ')}`;
  }
  return `${c.field}: ${show(c.before)} → ${show(c.after)}`;
}

function show(v: FieldValue): string {
  if (v === null || v === undefined || v === '') return '(empty)';
  // Plain tokens (types, names, addresses) read better bare; free text is quoted.
  if (typeof v === 'string') return /^[\w.:@/-]+$/.test(v) ? v : JSON.stringify(v.length > 120 ? v.slice(0, 117) + '…' : v);
  return String(v);
}
