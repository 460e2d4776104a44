import { z } from 'zod';
import { emptyBatch } from '../../src/plugins/batch.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { hostOf, valueOf, type NbIpAddress } from '../../src/domain/netbox.js';
import { NetBoxClient } from './client.js';
import { NetBoxOptions } from './options.js';

const CollectOptions = NetBoxOptions.extend({
  parent: z.string().trim().max(64).optional().describe('Only the IP addresses inside this prefix (e.g. 10.0.0.0/16); empty: all'),
});

/**
 * NetBox: the connection the pool sync uses (a saved configuration of this plugin: url, token,
 * tls_verify, timeout, what released reservations become). As a connector run it imports NetBox's
 * IP addresses as IP assets (notes from the description, tag `netbox`) through the reconcile
 * engine; pools and reservations sync through plugins/netbox/sync.ts (pushes, imports, conflicts).
 */
export const netboxPlugin = definePlugin({
  name: 'netbox',
  title: 'NetBox',
  description: 'NetBox IPAM: the pool sync connection; a run imports its IP addresses as IP assets.',
  kind: 'connector',
  options: CollectOptions,
  async collect(_input, options, ctx) {
    const client = new NetBoxClient(options, ctx.signal);
    ctx.progress({ phase: 'fetch', done: 0 });
    let ips: NbIpAddress[];
    try {
      ips = await client.list<NbIpAddress>('ipam/ip-addresses/', options.parent ? { parent: options.parent } : {});
    } finally {
      client.close();
    }
    const batch = emptyBatch(`${new URL(options.url).origin} (NetBox IP addresses${options.parent ? ` in ${options.parent}` : ''})`);
    batch.policy = { asset: { notes: 'fill', tags: 'merge', type: 'keep', project: 'keep' } };
    batch.tags.push({ loc: 'netbox', name: 'netbox' });
    for (const [i, ip] of ips.entries()) {
      if (valueOf(ip.status) === 'deprecated') continue;
      batch.ip_assets.push({ loc: `ip-addresses[${i}] (#${ip.id})`, ip_address: hostOf(ip.address), notes: ip.description || null, tags: ['netbox'] });
    }
    ctx.log('info', `NetBox listed ${ips.length} IP address(es); ${batch.ip_assets.length} not deprecated.`);
    return batch;
  },
});
