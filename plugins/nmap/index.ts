import { z } from 'zod';
import { ASSET_TYPES } from '../../src/domain/asset-types.js';
import { formatTimestamp } from '../../src/domain/time.js';
import { emptyBatch } from '../../src/plugins/batch.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { ImportInputError } from '../../src/plugins/errors.js';
import { optionFlag, optionList } from '../../src/plugins/options.js';
import { guessTypeFromVendor, vendorTag } from './mac-vendors.js';
import { parseNmapXml, type NmapHost } from './parse-nmap.js';

export const NmapOptions = z.object({
  project: z.string().trim().max(128).optional().describe('Project for new IPs, created if missing (existing IPs keep theirs unless unassigned)'),
  type: z.enum(ASSET_TYPES).optional().describe('Type for new IPs instead of the guess from the MAC vendor'),
  tags: optionList.default(['nmap']).describe('Tags added to every IP found'),
  vendor_tag: optionFlag.default(true).describe('Also tag IPs with their MAC vendor'),
  mark_last_seen: optionFlag.default(true).describe('Record the scan time as last seen'),
});

/** Nmap XML (`nmap -oX`): up hosts become IP assets; existing ones get last-seen and tags. */
export const nmapPlugin = definePlugin({
  name: 'nmap',
  title: 'Nmap XML scan',
  description: 'Upload `nmap -sn -oX scan.xml <targets>` (or -sT/-sV) output: up hosts become IPs; open ports, hostnames and MAC vendor go to notes and tags.',
  kind: 'importer',
  accepts: { extensions: ['.xml'], fields: ['file'] },
  options: NmapOptions,
  async collect(input, options, ctx) {
    const file = input.files[0];
    if (!file) throw new ImportInputError('no Nmap XML file given (multipart field "file")');
    const scan = parseNmapXml(file.data.toString('utf8'), file.name);
    const batch = emptyBatch(file.name);
    // Discovery never overrides an operator: type and notes only fill in, tags add up.
    batch.policy = { asset: { type: 'keep', notes: 'fill', project: 'fill', tags: 'merge' } };
    const seen = formatTimestamp(scan.startedAt ?? ctx.now);
    // The original's note in its ISO form (`2026-01-01T10:00:00+00:00`), our scan details after it. The time
    // is the scan's start when the XML has one (the upload's otherwise), so a dry run shows what the apply writes.
    const discovered = `Discovered via nmap upload at ${(scan.startedAt ?? ctx.now).toISOString().replace(/\.\d{3}Z$/, '+00:00')}`;
    if (options.project) batch.projects.push({ loc: 'options.project', name: options.project });
    for (const host of scan.hosts) {
      const loc = `${file.name}:host ${host.index}`;
      if (host.addresses.length === 0) {
        batch.issues.push({ level: 'warning', location: loc, message: 'up host without an IP address; skipped' });
        continue;
      }
      const tags = [...options.tags];
      const vendor = host.mac?.vendor;
      if (vendor && options.vendor_tag) {
        const t = vendorTag(vendor);
        if (t) tags.push(t);
      }
      for (const a of host.addresses) {
        batch.ip_assets.push({
          loc: `${loc} (${a.addr})`,
          ip_address: a.addr,
          type: options.type ?? guessTypeFromVendor(vendor),
          project_name: options.project,
          notes: [discovered, describeHost(host)].filter(Boolean).join('\n'),
          tags,
          last_seen_at: options.mark_last_seen ? seen : undefined,
        });
      }
    }
    ctx.log('info', `${file.name}: ${scan.hosts.length} host(s) up, ${scan.down} down${scan.args ? ` (${scan.args})` : ''}`);
    return batch;
  },
});

/** "nmap: localhost; open 22/tcp ssh (OpenSSH), 80/tcp http; MAC 00:50:56:01:02:03 (VMware)". */
function describeHost(h: NmapHost): string | undefined {
  const parts: string[] = [];
  if (h.hostnames.length) parts.push(h.hostnames.join(', '));
  if (h.openPorts.length) {
    const ports = h.openPorts.slice(0, 30).map((p) => `${p.port}/${p.protocol}${p.service ? ` ${p.service}` : ''}${p.product ? ` (${p.product})` : ''}`);
    parts.push(`open ${ports.join(', ')}${h.openPorts.length > 30 ? ` (+${h.openPorts.length - 30} more)` : ''}`);
  }
  if (h.mac) parts.push(`MAC ${h.mac.addr}${h.mac.vendor ? ` (${h.mac.vendor})` : ''}`);
  if (h.os) parts.push(`OS ${h.os}`);
  return parts.length ? `nmap: ${parts.join('; ')}` : undefined;
}
