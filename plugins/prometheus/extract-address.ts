import { tryParseAddress, type ParsedAddress } from '../../src/domain/ip/address.js';

/**
 * The IP address in a label value such as `10.0.0.5:9100`, `10.0.0.5`, `[2001:db8::5]:9100`,
 * `2001:db8::5` or `http://10.0.0.5:9115/probe`; null for host names and anything else.
 */
export function extractAddress(raw: string): ParsedAddress | null {
  let text = raw.trim();
  if (text === '') return null;
  // blackbox-style instances are URLs: take the host part.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      text = new URL(text).hostname;
    } catch {
      return null;
    }
  }
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) return tryParseAddress(bracketed[1]!);
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text);
  if (v4port) return tryParseAddress(v4port[1]!);
  // A bare IPv6 address (no port is possible without brackets) or a bare IPv4.
  return tryParseAddress(text);
}
