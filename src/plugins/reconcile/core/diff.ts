import type { FieldChange, FieldValue } from '../../../domain/changes.js';
import { diffFields } from '../../../domain/changes.js';
import type { FieldPolicy, TagPolicy } from '../../batch.js';

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0);
}

/**
 * The value a field ends with: `undefined` incoming means the source does not know it (keep);
 * overwrite takes the incoming value, fill only replaces an empty one, keep never changes it.
 */
export function mergeField<T>(policy: FieldPolicy, current: T, incoming: T | undefined): T {
  if (incoming === undefined) return current;
  if (policy === 'overwrite') return incoming;
  if (policy === 'fill') return isEmpty(current) ? incoming : current;
  return current;
}

/** The tag set an asset ends with, sorted. */
export function mergeTags(policy: TagPolicy, current: readonly string[], incoming: readonly string[] | undefined): string[] {
  if (incoming === undefined || policy === 'keep') return [...current];
  if (policy === 'replace') return [...incoming].sort();
  return [...new Set([...current, ...incoming])].sort();
}

/** Field-level changes between two views of a record (arrays compared as sets). */
export function diffRecord(before: Record<string, FieldValue>, after: Record<string, FieldValue>): FieldChange[] {
  return diffFields(before, after);
}
