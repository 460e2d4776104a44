import { bigIntToKey, keyToAddress, type IpVersion } from '../ip/address.js';

/**
 * Pure arithmetic of allocation: delegated prefix spans and texts, and the messages an
 * exhausted pool answers with. The searches themselves are src/services/pools/allocation.ts
 * over the key-space module.
 */

/** Host bits of a delegated prefix: a /64 spans 2^64 keys. */
export function slotBits(prefixLength: number): bigint {
  return BigInt(128 - prefixLength);
}

/** The last key of the prefix starting at `start`. */
export function prefixLastKey(start: bigint, prefixLength: number): bigint {
  return start + (1n << slotBits(prefixLength)) - 1n;
}

/** A delegated prefix as text: "2001:db8:0:100::/56". */
export function prefixText(start: bigint, prefixLength: number): string {
  return `${keyToAddress(bigIntToKey(start), 6)}/${prefixLength}`;
}

/** The address text of a key. */
export function addressText(key: bigint, version: IpVersion): string {
  return keyToAddress(bigIntToKey(key), version);
}

/**
 * What an exhausted pool answers (409): how full it is and what was asked, e.g.
 * "Pool customers-a has no free address: 254 of 254 used." or
 * "Pool customers-a has only 3 free addresses: 251 of 254 used; 5 were asked for."
 */
export function exhaustedMessage(poolName: string, unit: 'address' | 'prefix', total: bigint, free: bigint, wanted: number): string {
  const noun = (n: bigint | number): string => (unit === 'address' ? (n === 1n || n === 1 ? 'address' : 'addresses') : n === 1n || n === 1 ? 'prefix' : 'prefixes');
  const used = `${total - free} of ${total} used`;
  if (free <= 0n) return `Pool ${poolName} has no free ${unit === 'address' ? 'address' : 'prefix'}: ${used}.`;
  return `Pool ${poolName} has only ${free} free ${noun(free)}: ${used}; ${wanted} ${noun(wanted)} were asked for.`;
}
