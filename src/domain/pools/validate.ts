import { ValidationError, type FieldIssue } from '../errors.js';
import { keyToBigInt, tryParseAddress } from '../ip/address.js';
import { tryParseCidr, type ParsedCidr } from '../ip/cidr.js';
import { poolTypeVersion, type PoolType } from './types.js';

/** A pool's network settings once checked: the parsed CIDR, canonical gateway and DNS servers. */
export interface PoolNetwork {
  cidr: ParsedCidr;
  gateway: string | null;
  gatewayKey: string | null;
  dnsServers: string[];
  /** Prefix-delegation pools: the length every delegation has (default /64, or /56 in a /48 and wider). */
  delegationPrefixLength: number | null;
}

export interface PoolNetworkInput {
  pool_type: PoolType;
  network_cidr: string;
  gateway?: string | null;
  dns_servers?: string[] | null;
  delegation_prefix_length?: number | null;
}

/**
 * The network rules of a pool, every failing field reported at once: the CIDR parses and is of
 * the pool type's family; the gateway is an address of that family inside the network and
 * usable there (not the IPv4 network or broadcast address, not IPv6's Subnet-Router anycast);
 * each DNS server is an address; a delegation length fits inside the network.
 */
export function checkPoolNetwork(input: PoolNetworkInput): PoolNetwork {
  const issues: FieldIssue[] = [];
  const issue = (loc: (string | number)[], msg: string): void => void issues.push({ loc: ['body', ...loc], msg, type: 'value_error' });
  const version = poolTypeVersion(input.pool_type);
  const cidr = tryParseCidr(input.network_cidr);
  if (!cidr) issue(['network_cidr'], 'Invalid CIDR: use a network like 203.0.113.0/24 or 2001:db8::/48.');
  else if (cidr.version !== version) issue(['network_cidr'], `${cidr.cidr} is IPv${cidr.version}, but pool type ${input.pool_type} is IPv${version}.`);

  let gateway: string | null = null;
  let gatewayKey: string | null = null;
  if (input.gateway) {
    const gw = tryParseAddress(input.gateway);
    if (!gw) issue(['gateway'], 'Invalid IP address.');
    else if (gw.version !== version) issue(['gateway'], `The gateway must be an IPv${version} address.`);
    else if (cidr && cidr.version === version) {
      const k = keyToBigInt(gw.key);
      if (k < keyToBigInt(cidr.firstKey) || k > keyToBigInt(cidr.lastKey)) issue(['gateway'], `The gateway ${gw.address} is outside ${cidr.cidr}.`);
      else if (k < keyToBigInt(cidr.usableFirstKey) || k > keyToBigInt(cidr.usableLastKey)) {
        issue(['gateway'], `The gateway ${gw.address} is the ${k === keyToBigInt(cidr.firstKey) ? 'network' : 'broadcast'} address of ${cidr.cidr}.`);
      } else {
        gateway = gw.address;
        gatewayKey = gw.key;
      }
    }
  }

  const dnsServers: string[] = [];
  (input.dns_servers ?? []).forEach((text, i) => {
    const dns = tryParseAddress(text);
    if (!dns) issue(['dns_servers', i], `"${text}" is not an IP address.`);
    else dnsServers.push(dns.address);
  });

  let delegationPrefixLength: number | null = null;
  if (input.pool_type === 'IPV6_PREFIX_DELEGATION') {
    const want = input.delegation_prefix_length ?? (cidr && cidr.prefix <= 48 ? 56 : 64);
    if (cidr && (want <= cidr.prefix || want > 128)) issue(['delegation_prefix_length'], `A delegated prefix must be longer than the pool's /${cidr.prefix} (and at most /128).`);
    delegationPrefixLength = want;
  } else if (input.delegation_prefix_length != null) {
    issue(['delegation_prefix_length'], 'Only IPV6_PREFIX_DELEGATION pools delegate prefixes.');
  }

  if (issues.length > 0 || !cidr) throw new ValidationError(issues);
  return { cidr, gateway, gatewayKey, dnsServers, delegationPrefixLength };
}
