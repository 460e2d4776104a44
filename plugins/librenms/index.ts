import { z } from 'zod';
import { asRecord, toCount, toText } from '../../src/domain/coerce.js';
import { declareComplete, deviceBatch } from '../../src/plugins/batch.js';
import { connectorClient, ConnectorError } from '../../src/plugins/connector-http.js';
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
  concurrency: z.coerce.number().int().min(1).max(32).default(4).describe('Connections to LibreNMS at once (the device, port and address lists are read side by side)'),
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

/** The ports table's columns the connector reads: the port's device, and its MAC. */
const PORT_COLUMNS = 'port_id,device_id,ifName,ifPhysAddress';

/**
 * Every port and every address, grouped by device: a port names its device, an address only its
 * port (LibreNMS' ipv4/ipv6_addresses rows carry port_id, not device_id).
 */
function byDevice(ports: readonly unknown[], addresses: readonly unknown[]): { portsOf: Map<number, unknown[]>; addressesOf: Map<number, unknown[]> } {
  const portsOf = new Map<number, unknown[]>();
  const deviceOfPort = new Map<number, number>();
  const add = (map: Map<number, unknown[]>, id: number, v: unknown): void => {
    const list = map.get(id);
    if (list) list.push(v);
    else map.set(id, [v]);
  };
  for (const p of ports) {
    const r = asRecord(p);
    const device = toCount(r.device_id);
    if (device === null) continue;
    add(portsOf, device, p);
    const port = toCount(r.port_id);
    if (port !== null) deviceOfPort.set(port, device);
  }
  const addressesOf = new Map<number, unknown[]>();
  for (const a of addresses) {
    const device = deviceOfPort.get(toCount(asRecord(a).port_id) ?? -1);
    if (device !== undefined) add(addressesOf, device, a);
  }
  return { portsOf, addressesOf };
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
    const { http, origin, requestSummary } = connectorClient(options, ctx, 'LibreNMS', options.concurrency);
    const headers = { 'x-auth-token': options.token };
    const get = async (path: string, key: string, what: string): Promise<unknown[]> => envelopeList((await http.json('GET', path, { headers, what })).data, key, http.label, what);
    const { batch, devices, mapOptions: opts } = deviceBatch(origin, options);
    try {
      ctx.progress({ phase: 'fetch', done: 0 });
      // Three bulk lists whatever the number of devices, not two calls per device. The devices come
      // first, alone: a refused token or a down server is then reported by the call that lists them.
      const rows = await get('api/v0/devices?type=all&order=hostname', 'devices', 'listing devices');
      const [ports, addresses] = await Promise.all([get(`api/v0/ports?columns=${PORT_COLUMNS}`, 'ports', 'listing ports'), get('api/v0/resources/ip/addresses', 'ip_addresses', 'listing IP addresses')]);
      const wanted = options.include_disabled ? rows : rows.filter((r) => toCount(asRecord(r).disabled) !== 1);
      const { portsOf, addressesOf } = byDevice(ports, addresses);
      ctx.progress({ phase: 'fetch', done: wanted.length, total: wanted.length });
      const mapped = wanted.map((row, i) => {
        const id = toCount(asRecord(row).device_id);
        if (id === null) return null;
        return mapDevice(row, portsOf.get(id) ?? [], addressesOf.get(id) ?? [], `librenms device ${id} (devices[${i}])`, opts);
      });
      const skipped = mapped.filter((d) => d === null).length;
      for (const d of mapped) if (d) devices.push(d);
      if (skipped > 0) batch.issues.push({ level: 'warning', location: 'librenms', message: `${skipped} device row(s) without a device_id; skipped` });
      // Disabled devices left out by the option are outside the configuration's inventory, not a partial read.
      declareComplete(batch, options.archive_missing_after_days, skipped);
      const disabled = rows.length - wanted.length;
      ctx.log('info', `${origin}: ${devices.length} device(s)${disabled ? ` (${disabled} disabled, left out)` : ''}${requestSummary()}`);
    } finally {
      http.close();
    }
    return batch;
  },
});
