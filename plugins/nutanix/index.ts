import { z } from 'zod';
import { declareComplete, deviceBatch } from '../../src/plugins/batch.js';
import { basicAuth, connectorClient } from '../../src/plugins/connector-http.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { archiveMissingOption, optionFlag, optionList, secret } from '../../src/plugins/options.js';
import { mapHost, mapVm } from './map-entities.js';
import { listAll } from './read-inventory.js';

export const NutanixOptions = z.object({
  url: z.url({ protocol: /^https?$/ }).describe('Prism Central base URL, e.g. https://prism.example.com:9440'),
  username: z.string().min(1).describe('Prism user (a read-only "Viewer" role is enough)'),
  password: secret(z.string().min(1).describe('Password')),
  tls_verify: optionFlag.default(true).describe('Verify the TLS certificate (off accepts self-signed)'),
  timeout: z.coerce.number().positive().max(600).default(30).describe('Seconds to wait for each Prism answer'),
  project: z.string().trim().min(1).max(128).optional().describe('Project for new devices and their IPs'),
  tags: optionList.default(['nutanix']).describe('Tags merged into every device found'),
  page_size: z.coerce.number().int().min(1).max(500).default(500).describe('Entities asked per list page (Prism caps pages at 500)'),
  rate_limit: z.coerce.number().positive().max(1000).optional().describe('Requests per second to Prism (empty: no limit)'),
  include_hosts: optionFlag.default(true).describe('Also import the AHV hosts as hypervisor devices'),
  keep_raw: optionFlag.default(true).describe("Keep each VM's JSON with its facts (shown on the device page)"),
  archive_missing_after_days: archiveMissingOption,
});

/** Nutanix Prism Central v3: every VM becomes a device (kind vm), every host a hypervisor device. */
export const nutanixPlugin = definePlugin({
  name: 'nutanix',
  title: 'Nutanix Prism Central',
  description: 'VMs (power, CPU, memory, disks, NICs with their IPs, cluster and host) and AHV hosts, from the Prism Central v3 API.',
  kind: 'connector',
  options: NutanixOptions,
  schedule: { cron: '0 * * * *', mode: 'dry_run' },
  async collect(_input, options, ctx) {
    const { http, origin, requestSummary } = connectorClient(options, ctx, 'Nutanix Prism Central', 2);
    // Prism has no session: Basic auth on every call.
    const headers = { authorization: basicAuth(options.username, options.password), 'content-type': 'application/json' };
    const { batch, devices, mapOptions: opts } = deviceBatch(origin, options);
    let skipped = 0;
    try {
      ctx.progress({ phase: 'fetch', done: 0 });
      if (options.include_hosts) {
        await listAll(http, headers, 'host', options.page_size, (entities, offset) => {
          entities.forEach((e, i) => {
            const d = mapHost(e, `nutanix hosts[${offset + i}]`, opts);
            if (d) devices.push(d);
            else skipped++;
          });
        });
      }
      const hosts = devices.length;
      const vms = await listAll(http, headers, 'vm', options.page_size, (entities, offset, total) => {
        entities.forEach((e, i) => {
          const d = mapVm(e, `nutanix vms[${offset + i}]`, opts);
          if (d) devices.push(d);
          else skipped++;
        });
        ctx.progress({ phase: 'fetch', done: offset + entities.length, total });
      });
      ctx.log('info', `${origin}: ${hosts} host(s), ${vms} VM(s)${requestSummary()}`);
    } finally {
      http.close();
    }
    if (skipped > 0) batch.issues.push({ level: 'warning', location: 'nutanix', message: `${skipped} entit${skipped === 1 ? 'y' : 'ies'} without a metadata.uuid; skipped` });
    declareComplete(batch, options.archive_missing_after_days, skipped);
    return batch;
  },
});
