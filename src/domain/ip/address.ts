import ipaddr from 'ipaddr.js';
import { InvalidAddressError } from '../errors.js';

export type IpVersion = 4 | 6;

export interface ParsedAddress {
  /** Canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6. */
  address: string;
  version: IpVersion;
  /** 32 lower-case hex digits of the 128-bit value; IPv4 is mapped to ::ffff:a.b.c.d. */
  key: string;
}

const V4_MAPPED_PREFIX = '00000000000000000000ffff';

/** Parses an address strictly (no leading zeros, no zone, no short IPv4 forms); IPv4-mapped IPv6 becomes IPv4. */
export function tryParseAddress(input: string): ParsedAddress | null {
  const text = input.trim();
  if (text === '' || text.includes('%') || text.includes('/')) return null;
  // No dotted quad holds a ':' (ipaddr.js finds that out by throwing, which costs more than the parse).
  if (!text.includes(':') && ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return fromIpv4(ipaddr.IPv4.parse(text));
  }
  if (!text.includes(':') || !ipaddr.IPv6.isValid(text)) return null;
  const v6 = ipaddr.IPv6.parse(text);
  // An embedded dotted quad must be strict too (ipaddr accepts "::ffff:010.0.0.1").
  const embedded = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (embedded && !ipaddr.IPv4.isValidFourPartDecimal(embedded[1]!)) return null;
  if (v6.isIPv4MappedAddress()) return fromIpv4(v6.toIPv4Address());
  return { address: v6.toRFC5952String(), version: 6, key: v6Key(v6.parts) };
}

/** Like tryParseAddress but throws InvalidAddressError. */
export function parseAddress(input: string, field = 'ip_address'): ParsedAddress {
  const parsed = tryParseAddress(input);
  if (!parsed) throw new InvalidAddressError(input, field);
  return parsed;
}

function fromIpv4(v4: ipaddr.IPv4): ParsedAddress {
  const hex = v4.octets.map((o) => o.toString(16).padStart(2, '0')).join('');
  return { address: v4.toString(), version: 4, key: V4_MAPPED_PREFIX + hex };
}

function v6Key(parts: number[]): string {
  return parts.map((p) => p.toString(16).padStart(4, '0')).join('');
}

/** The key's 128-bit value. */
export function keyToBigInt(key: string): bigint {
  return BigInt('0x' + key);
}

/** The key of a 128-bit value. */
export function bigIntToKey(value: bigint): string {
  return value.toString(16).padStart(32, '0');
}

/** The canonical address text for a key of the given version (IPv4 keys live in ::ffff:0:0/96). */
export function keyToAddress(key: string, version: IpVersion): string {
  if (version === 4) {
    const hex = key.slice(24);
    return [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
  }
  const parts: number[] = [];
  for (let i = 0; i < 32; i += 4) parts.push(parseInt(key.slice(i, i + 4), 16));
  return new ipaddr.IPv6(parts).toRFC5952String();
}

/** True for loopback addresses (127.0.0.0/8, ::1), which connectors never import. */
export function isLoopback(parsed: ParsedAddress): boolean {
  if (parsed.version === 4) return parsed.address.startsWith('127.');
  return parsed.address === '::1';
}

/** Formats host:port, bracketing IPv6 as Prometheus and URLs need. */
export function formatHostPort(parsed: Pick<ParsedAddress, 'address' | 'version'>, port: number): string {
  return parsed.version === 6 ? `[${parsed.address}]:${port}` : `${parsed.address}:${port}`;
}
