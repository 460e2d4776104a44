import ipaddr from 'ipaddr.js';
import { bigIntToKey, keyToBigInt, tryParseAddress, type IpVersion } from './address.js';
import { usableBounds } from './key-space.js';

export interface ParsedCidr {
  /** Normalised network, e.g. "10.0.0.0/24" or "2001:db8::/64" (host bits cleared). */
  cidr: string;
  version: IpVersion;
  prefix: number;
  firstKey: string;
  lastKey: string;
  /** Bounds of the addresses an operator can assign (see usableBounds in key-space.ts). */
  usableFirstKey: string;
  usableLastKey: string;
  size: bigint;
  usable: bigint;
}

/** Parses "addr/prefix" strictly and clears host bits; null when invalid. */
export function tryParseCidr(input: string): ParsedCidr | null {
  const text = input.trim();
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const addr = tryParseAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!addr || !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return null;
  // An IPv4-mapped IPv6 network like ::ffff:10.0.0.0/104 is not accepted: ranges are typed by family.
  if (addr.version === 4 && text.slice(0, slash).includes(':')) return null;
  const prefix = Number(prefixText);
  const bits = addr.version === 4 ? 32 : 128;
  if (prefix > bits) return null;
  const hostBits = BigInt(bits - prefix);
  const value = keyToBigInt(addr.key);
  const hostMask = (1n << hostBits) - 1n;
  const first = value & ~hostMask;
  const last = first | hostMask;
  const size = 1n << hostBits;
  const [uFirst, uLast] = usableBounds(addr.version, prefix, first, last);
  const network = networkText(addr.version, first);
  return {
    cidr: `${network}/${prefix}`,
    version: addr.version,
    prefix,
    firstKey: bigIntToKey(first),
    lastKey: bigIntToKey(last),
    usableFirstKey: bigIntToKey(uFirst),
    usableLastKey: bigIntToKey(uLast),
    size,
    usable: uLast - uFirst + 1n,
  };
}

function networkText(version: IpVersion, value: bigint): string {
  if (version === 4) {
    const v = Number(value & 0xffffffffn);
    return [24, 16, 8, 0].map((s) => (v >>> s) & 255).join('.');
  }
  const parts: number[] = [];
  for (let i = 7; i >= 0; i--) parts.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  return new ipaddr.IPv6(parts).toRFC5952String();
}
