import { tryParseAddress } from './ip/address.js';

/**
 * Reading loosely typed JSON from remote systems: LibreNMS sends `"device_id":"1"`, Nutanix may
 * send sizes as numbers or strings, a missing value may be null, '' or absent. Every connector
 * reads its answers through these, so a string number and a number mean the same thing.
 */

/** A finite number from a number or a numeric string; null otherwise (including '', NaN, Infinity). */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = v.trim();
  if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** A whole, non-negative number (counts, sizes, ids); null when absent or not one. */
export function toCount(v: unknown): number | null {
  const n = toNumber(v);
  return n !== null && n >= 0 && Number.isSafeInteger(Math.round(n)) ? Math.round(n) : null;
}

/** Trimmed text from a string or a number; null for absent, empty or any other type. */
export function toText(v: unknown, max = 255): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s === '' ? null : s.slice(0, max);
}

/** A yes/no from true/false, 1/0 or their strings; null otherwise. */
export function toFlag(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  const n = toNumber(v);
  if (n === 1 || n === 0) return n === 1;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === 'yes') return true;
    if (s === 'false' || s === 'no') return false;
  }
  return null;
}

/** The object at `v`, or an empty one: remote JSON is walked without a crash on a missing branch. */
export function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The array at `v`, or an empty one. */
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The distinct canonical addresses among loosely typed values (blanks and non-addresses dropped), in first-seen order. */
export function uniqueAddresses(values: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    const parsed = tryParseAddress(toText(v, 100) ?? '');
    if (parsed) out.add(parsed.address);
  }
  return [...out];
}
