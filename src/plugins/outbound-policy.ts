import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Which networks connectors may call (server-side request forgery): IPOCKET_OUTBOUND_ALLOW
 * (CIDRs; empty: any) and IPOCKET_OUTBOUND_DENY (CIDRs; by default the link-local ranges, where
 * cloud metadata services answer). Checked on the resolved address, so a host name pointing
 * into a denied network is refused too.
 */
export interface OutboundPolicy {
  allow: BlockList | null;
  deny: BlockList;
  describe(address: string): string | null;
}

const DEFAULT_DENY = '169.254.0.0/16, fe80::/10';

function parseList(name: string, value: string): BlockList | null {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) return null;
  const list = new BlockList();
  for (const item of items) {
    const [net, bits, extra] = item.split('/');
    const family = isIP(net ?? '');
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (!family || extra !== undefined || !/^\d{1,3}$/.test(String(prefix)) || prefix > (family === 6 ? 128 : 32)) {
      throw new Error(`${name}: "${item}" is not a CIDR (e.g. 10.0.0.0/8, fd00::/8).`);
    }
    list.addSubnet(net!, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** The policy from the environment (read per connector run, so a changed variable applies to the next run). */
export function outboundPolicy(env: NodeJS.ProcessEnv = process.env): OutboundPolicy {
  const allow = parseList('IPOCKET_OUTBOUND_ALLOW', env.IPOCKET_OUTBOUND_ALLOW ?? '');
  const deny = parseList('IPOCKET_OUTBOUND_DENY', env.IPOCKET_OUTBOUND_DENY ?? DEFAULT_DENY) ?? new BlockList();
  return {
    allow,
    deny,
    describe(address) {
      const ip = address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
      const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
      if (deny.check(ip, type)) return `${ip} is in IPOCKET_OUTBOUND_DENY`;
      if (allow && !allow.check(ip, type)) return `${ip} is not in IPOCKET_OUTBOUND_ALLOW`;
      return null;
    },
  };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A dns.lookup for http.request that only hands out addresses the policy allows (the socket connects to what this returns). */
export function guardedLookup(policy: OutboundPolicy, refused: (why: string) => Error) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const allowed = addresses.filter((a) => policy.describe(a.address) === null);
      if (allowed.length === 0) {
        const why = addresses.map((a) => policy.describe(a.address)).join('; ');
        return callback(refused(why) as NodeJS.ErrnoException, []);
      }
      if (options.all) return callback(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

/** Why an IP-literal host is refused (no lookup happens for those), or null. */
export function literalRefusal(policy: OutboundPolicy, hostname: string): string | null {
  const host = hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? policy.describe(host) : null;
}
