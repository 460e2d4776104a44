import { z } from 'zod';
import { asArray, asRecord, toCount, toText } from '../../src/domain/coerce.js';
import { mapLimited } from '../../src/domain/each-limited.js';
import { declareComplete, emptyBatch, type BatchDevice } from '../../src/plugins/batch.js';
import { ConnectorError, HttpClient } from '../../src/plugins/connector-http.js';
import { definePlugin } from '../../src/plugins/define-plugin.js';
import { archiveMissingOption, optionFlag, optionList, secret } from '../../src/plugins/options.js';
import { mapDevice } from './map-device.js';

export const LibrenmsOptions = z.object({
  url: z.url({ protocol: /^https?$/ }).describe('LibreNMS base URL, e.g. https://librenms.example.com'),
  token: secret(z.string().min(1).describe('API token (Settings → API → API Settings → Create API Token)')),
  tls_verify: optionFlag.default(true).describe('Verify the TLS certificate (off accepts self-signed)'),
  timeout: z.coerce.number().positive().max(600).default(30).describe('Seconds to wait for each LibreNMS answer'),
  project: z.string().trim().min(1).max(128).optional().describe('Project for new devices and their IPs'),
  tags: optionList.default(['librenms']).describe('Tags merged into every device found'),
  rate_limit: z.coerce.number().positive().max(1000).optional().describe('Requests per second to LibreNMS (empty: no limit; LAIM: SYNC_RATE_LIMIT)'),
  concurrency: z.coerce.number().int().min(1).max(32).default(4).describe('Devices whose ports and IPs are read at once'),
  include_disabled: optionFlag.default(false).describe('Also import devices disabled in LibreNMS'),
  keep_raw: optionFlag.default(false).describe("Keep each device's JSON with its facts (shown on the device page)"),
  archive_missing_after_days: archiveMissingOption,
});

/** `{"status":"ok", "<key>": [...]}` → the list; an error envelope or another shape is a bad answer. */
function envelopeList(data: unknown, key: string, label: string, what: string): unknown[] {
  const body = asRecord(data);
  if (body.status === 'error') throw new ConnectorError(`${label} refused ${what}: ${toText(body.message, 300) ?? 'no message'}.`, undefined, 'http');
  if (!Array.isArray(body[key])) throw new ConnectorError(`${label} gave an unexpected answer while ${what}: no "${key}" list (is the URL LibreNMS' base URL, without /api/v0?).`, undefined, 'bad_answer');
  return body[key] as unknown[];
}

/** LibreNMS: every monitored device with its ports' MACs and its IP addresses. */
export const librenmsPlugin = definePlugin({
  name: 'librenms',
  title: 'LibreNMS',
  description: 'Devices LibreNMS monitors (sysName, serial, hardware, OS and version, location) with their ports\' MACs and IP addresses; the kind is detected from hardware/OS.',
  kind: 'connector',
  options: LibrenmsOptions,
  schedule: { cron: '0 */6 * * *', mode: 'dry_run' },
  async collect(_input, options, ctx) {
    const base = new URL(options.url);
    const origin = `${base.protocol}//${base.host}`;
    const http = new HttpClient(base, { tlsVerify: options.tls_verify, timeoutMs: options.timeout * 1000, signal: ctx.signal, maxSockets: options.concurrency, label: 'LibreNMS', ratePerSecond: options.rate_limit });
    const headers = { 'x-auth-token': options.token };
    const get = async (path: string, key: string, what: string): Promise<unknown[]> => envelopeList((await http.json('GET', path, { headers, what })).data, key, http.label, what);
    const batch = emptyBatch(origin);
    const devices: BatchDevice[] = [];
    batch.devices = devices;
    if (options.project) batch.projects.push({ loc: 'options.project', name: options.project });
    const opts = { project: options.project, tags: options.tags, keepRaw: options.keep_raw };
    try {
      ctx.progress({ phase: 'fetch', done: 0 });
      const rows = await get('api/v0/devices?type=all&order=hostname', 'devices', 'listing devices');
      const wanted = options.include_disabled ? rows : rows.filter((r) => toCount(asRecord(r).disabled) !== 1);
      let done = 0;
      const mapped = await mapLimited(wanted, options.concurrency, async (row, i) => {
        const id = toCount(asRecord(row).device_id);
        if (id === null) return null;
        const ports = await get(`api/v0/devices/${id}/ports?columns=ifName,ifPhysAddress`, 'ports', `reading the ports of device ${id}`);
        const ips = await get(`api/v0/devices/${id}/ip`, 'addresses', `reading the IPs of device ${id}`);
        if (++done % 500 === 0) ctx.progress({ phase: 'fetch', done, total: wanted.length });
        return mapDevice(row, ports, asArray(ips), `librenms device ${id} (devices[${i}])`, opts);
      });
      const skipped = mapped.filter((d) => d === null).length;
      for (const d of mapped) if (d) devices.push(d);
      if (skipped > 0) batch.issues.push({ level: 'warning', location: 'librenms', message: `${skipped} device row(s) without a device_id; skipped` });
      // Disabled devices left out by the option are outside the configuration's inventory, not a partial read.
      declareComplete(batch, options.archive_missing_after_days, skipped);
      const disabled = rows.length - wanted.length;
      ctx.log('info', `${origin}: ${devices.length} device(s)${disabled ? ` (${disabled} disabled, left out)` : ''} in ${http.stats.requests} request(s)${http.stats.retries ? `, ${http.stats.retries} retried` : ''}`);
    } finally {
      http.close();
    }
    return batch;
  },
});
