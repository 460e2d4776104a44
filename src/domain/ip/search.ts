import { bigIntToKey, tryParseAddress, type IpVersion } from './address.js';
import { tryParseCidr } from './cidr.js';
import { V4_KEYS } from './key-space.js';

/** An inclusive span of address keys of one family. */
export interface KeyWindow {
  version: IpVersion;
  firstKey: string;
  lastKey: string;
}

/**
 * What an address search box holds: address keys (an exact address, a CIDR or the start of an
 * address, each becoming ordered key windows, so the search is an index range scan) or text
 * (matched as a substring of address, notes and host name).
 */
export type AddressSearch = { kind: 'keys'; windows: KeyWindow[] } | { kind: 'text'; text: string };

/**
 * Reads a search string:
 * - an address in any spelling ("10.0.0.1", "::ffff:10.0.0.1") → that address;
 * - a CIDR ("10.20.0.0/24", "2001:db8::/48", host bits allowed) → its network;
 * - the start of an address as the list shows it: "10.20." or "10.20.0" (at least one dot), or
 *   IPv6 groups up to a colon without "::" ("2001:db8:", "2001:db8:2") → every address whose
 *   canonical text starts so, as at most a few windows ("10.1.2" is 10.1.2.*, 10.1.20-29.*, 10.1.200-255.*);
 * - anything else → text.
 */
export function parseAddressSearch(input: string): AddressSearch {
  const q = input.trim();
  const exact = tryParseAddress(q);
  if (exact) return { kind: 'keys', windows: [{ version: exact.version, firstKey: exact.key, lastKey: exact.key }] };
  if (q.includes('/')) {
    const cidr = tryParseCidr(q);
    if (cidr) return { kind: 'keys', windows: [{ version: cidr.version, firstKey: cidr.firstKey, lastKey: cidr.lastKey }] };
    return { kind: 'text', text: q };
  }
  const windows = /^[\d.]+$/.test(q) ? ipv4Prefix(q) : /^[\da-f:]+$/i.test(q) ? ipv6Prefix(q.toLowerCase()) : null;
  return windows ? { kind: 'keys', windows } : { kind: 'text', text: q };
}

/** Values of one address part (0..max) whose text in `base` starts with `digits` (no leading zeros in canonical text). */
function partSpans(digits: string, base: number, max: number): [number, number][] | null {
  if (digits === '') return [[0, max]];
  const d = parseInt(digits, base);
  if (Number.isNaN(d) || d > max || (digits.length > 1 && digits.startsWith('0'))) return null;
  if (d === 0) return [[0, 0]];
  const spans: [number, number][] = [];
  for (let scale = 1; d * scale <= max; scale *= base) spans.push([d * scale, Math.min(max, (d + 1) * scale - 1)]);
  return spans;
}

/** Windows of a part-wise prefix: `fixed` leading parts, then the spans of the next part, the rest free. */
function prefixWindows(version: IpVersion, fixed: number[], spans: [number, number][], partBits: number, parts: number): KeyWindow[] {
  let head = 0n;
  for (const p of fixed) head = (head << BigInt(partBits)) | BigInt(p);
  const restBits = BigInt(partBits * (parts - fixed.length - 1));
  // IPv4 keys live in ::ffff:0:0/96.
  const offset = version === 4 ? V4_KEYS.lo : 0n;
  return spans.map(([lo, hi]) => {
    const first = ((head << BigInt(partBits)) | BigInt(lo)) << restBits;
    const last = (((head << BigInt(partBits)) | BigInt(hi)) << restBits) | ((1n << restBits) - 1n);
    return { version, firstKey: bigIntToKey(first + offset), lastKey: bigIntToKey(last + offset) };
  });
}

function ipv4Prefix(q: string): KeyWindow[] | null {
  const parts = q.split('.');
  if (parts.length < 2 || parts.length > 4) return null;
  const complete = parts.slice(0, -1);
  if (!complete.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return null;
  const spans = partSpans(parts[parts.length - 1]!, 10, 255);
  return spans ? prefixWindows(4, complete.map(Number), spans, 8, 4) : null;
}

function ipv6Prefix(q: string): KeyWindow[] | null {
  if (!q.includes(':') || q.includes('::')) return null;
  const groups = q.split(':');
  if (groups.length > 8) return null;
  const complete = groups.slice(0, -1);
  if (!complete.every((g) => /^[\da-f]{1,4}$/.test(g))) return null;
  // Canonical groups carry no leading zeros: "0db8" can start no listed address.
  if (complete.some((g) => g.length > 1 && g.startsWith('0'))) return null;
  const spans = partSpans(groups[groups.length - 1]!, 16, 0xffff);
  return spans ? prefixWindows(6, complete.map((g) => parseInt(g, 16)), spans, 16, 8) : null;
}

/** The one window of a search inside a family, or null when it has several (or is text). */
export function singleWindow(search: AddressSearch, version: IpVersion): KeyWindow | 'none' | null {
  if (search.kind !== 'keys') return null;
  const mine = search.windows.filter((w) => w.version === version);
  if (mine.length === 0) return 'none';
  return mine.length === 1 ? mine[0]! : null;
}
