import { z } from 'zod';
import { asArray, asRecord, toText } from '../../src/domain/coerce.js';
import { mapLimited } from '../../src/domain/each-limited.js';
import { declareComplete, deviceBatch } from '../../src/plugins/batch.js';
import { connectorClient, ConnectorError } from '../../src/plugins/connector-http.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { archiveMissingOption, optionFlag, optionList, secret } from '../../src/plugins/options.js';
import { NetdiscoSession } from './client.js';
import { mapDevice } from './map-device.js';

export const NetdiscoOptions = z.object({
  url: z.url({ protocol: /^https?$/ }).describe('Netdisco base URL, e.g. https://netdisco.example.com'),
  username: z.string().min(1).describe('Netdisco user (the web login; the API uses the same)'),
  password: secret(z.string().min(1).describe('Password')),
  tls_verify: optionFlag.default(true).describe('Verify the TLS certificate (off accepts self-signed)'),
  timeout: z.coerce.number().positive().max(600).default(30).describe('Seconds to wait for each Netdisco answer'),
  project: z.string().trim().min(1).max(128).optional().describe('Project for new devices and their IPs'),
  tags: optionList.default(['netdisco']).describe('Tags merged into every device found'),
  page_size: z.coerce.number().int().min(1).max(1000).default(100).describe('Devices asked per search page'),
  rate_limit: z.coerce.number().positive().max(1000).optional().describe('Requests per second to Netdisco (empty: no limit; LAIM: SYNC_RATE_LIMIT)'),
  concurrency: z.coerce.number().int().min(1).max(32).default(4).describe("Devices whose IPs and nodes are read at once"),
  keep_raw: optionFlag.default(false).describe("Keep each device's JSON with its facts (shown on the device page)"),
  archive_missing_after_days: archiveMissingOption,
});

/** Most search pages one run reads: a search that never ends must not keep a run going forever. */
const MAX_PAGES = 10_000;

/** Netdisco: every discovered device (switches, routers, APs…) with its IPs and MAC. */
export const netdiscoPlugin = definePlugin({
  name: 'netdisco',
  title: 'Netdisco',
  description: 'Network devices Netdisco discovered (name, serial, model, vendor, OS version, location) with their IPs and MAC; the kind is detected from model/vendor/OS.',
  kind: 'connector',
  options: NetdiscoOptions,
  schedule: { cron: '0 */6 * * *', mode: 'dry_run' },
  async collect(_input, options, ctx) {
    const { http, origin, requestSummary } = connectorClient(options, ctx, 'Netdisco', options.concurrency);
    const session = new NetdiscoSession(http, options.username, options.password);
    const { batch, devices, mapOptions: opts } = deviceBatch(origin, options);
    try {
      ctx.progress({ phase: 'login', done: 0 });
      await session.login();
      ctx.log('info', `Logged in to ${origin} as ${options.username}`);
      let skipped = 0;
      const search = async (offset: number): Promise<unknown[]> => {
        const data = await session.get(`api/v1/search/device?${new URLSearchParams({ limit: String(options.page_size), offset: String(offset) }).toString()}`, `searching devices (offset ${offset})`);
        if (!Array.isArray(data)) throw new ConnectorError(`${http.label} gave an unexpected answer while searching devices: not a list of devices (is the URL Netdisco's base URL?).`, undefined, 'bad_answer');
        return data;
      };
      let next = search(0);
      for (let page = 0, offset = 0; ; page++) {
        const data = await next;
        // Netdisco may cap a page below the limit asked: only an empty page ends the search.
        if (data.length === 0) break;
        if (page + 1 >= MAX_PAGES) throw new ConnectorError(`Netdisco kept sending device pages (${MAX_PAGES}); the search does not end.`, undefined, 'bad_answer');
        const first = offset;
        offset += data.length;
        // The next page is searched while this one's devices are read: no stall between pages.
        next = search(offset);
        next.catch(() => undefined); // a failure here is thrown when awaited; none is left unhandled if this page fails first
        const mapped = await mapLimited(data, options.concurrency, async (row, i) => {
          const ip = toText(asRecord(row).ip, 100);
          if (!ip) return null;
          const path = `api/v1/object/device/${encodeURIComponent(ip)}`;
          const ips = await session.get(`${path}/device_ips`, `reading the IPs of ${ip}`);
          // Only asked when the device has no MAC of its own (see mapDevice): one call fewer per switch.
          const nodes = toText(asRecord(row).mac) ? [] : await session.get(`${path}/nodes`, `reading the nodes of ${ip}`);
          return mapDevice(row, asArray(ips), asArray(nodes), `netdisco device ${ip} (offset ${first + i})`, opts);
        });
        for (const d of mapped) {
          if (d) devices.push(d);
          else skipped++;
        }
        ctx.progress({ phase: 'fetch', done: offset });
      }
      if (skipped > 0) batch.issues.push({ level: 'warning', location: 'netdisco', message: `${skipped} device row(s) without an IP address; skipped` });
      declareComplete(batch, options.archive_missing_after_days, skipped);
      ctx.log('info', `${origin}: ${devices.length} device(s)${requestSummary()}`);
      if (session.relogins > 0) ctx.log('warn', `The Netdisco API key expired during the run; logged in again ${session.relogins} time(s)`);
    } finally {
      http.close();
    }
    return batch;
  },
});
