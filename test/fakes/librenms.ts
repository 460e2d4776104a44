/**
 * A fake LibreNMS API v0 (reference/data-sources.md): `X-Auth-Token` on every call; the
 * `{"status":"ok","count":N,"<key>":[…]}` envelope and `{"status":"error","message":"…"}`;
 * devices with the `type`/`query` filters, one device by hostname or id, its IPs and ports (with
 * `columns`), and the bulk lists: every port of every device (`GET /api/v0/ports?columns=…`, the
 * ports table's columns, `device_id` among them) and every IP address. Numbers arrive as strings by default, as the docs show, and
 * `ifPhysAddress` is bare lower-case hex as LibreNMS stores it. Listens on 127.0.0.1 only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerFault, macOf, noFaults, type Faults } from './faults.js';
import { listenLoopback, sendJson } from './http-server.js';
import type { LabDevice, LabSplit } from './lab-devices.js';

export interface LibrenmsPort {
  port_id: number;
  ifName: string;
  ifDescr: string;
  ifAlias: string;
  ifPhysAddress: string | null;
  ifOperStatus: 'up' | 'down';
  ifSpeed: number;
}

export interface LibrenmsAddress {
  ipv4_address_id: number;
  ipv4_address: string;
  ipv4_prefixlen: number;
  ipv4_network_id: number;
  port_id: number;
  context_name: string;
}

export interface LibrenmsDevice {
  device_id: number;
  hostname: string;
  sysName: string;
  display: string | null;
  ip: string;
  hardware: string;
  os: string;
  version: string;
  serial: string | null;
  status: 0 | 1;
  status_reason: string;
  uptime: number;
  last_polled: string;
  type: string;
  disabled: 0 | 1;
  ignore: 0 | 1;
  sysDescr: string;
  location: string;
  lat: number | null;
  lng: number | null;
  dependency_parent_id: number | null;
  dependency_parent_hostname: string | null;
  ports: LibrenmsPort[];
  addresses: LibrenmsAddress[];
}

export interface FakeLibrenmsOptions {
  token?: string;
  devices: LibrenmsDevice[];
  /** Numbers as strings (`"device_id":"1"`), as the docs show them; default true. */
  stringNumbers?: boolean;
}

export interface FakeLibrenms {
  url: string;
  faults: Faults;
  requests: number;
  /** Paths (with query) of every authenticated call. */
  calls: string[];
  close(): Promise<void>;
}

const fail = (res: ServerResponse, status: number, message: string): void => sendJson(res, status, { status: 'error', message });

/** Turns every number of a row into a string when the fake is set to (not nulls, not nested arrays). */
function numbersAsText<T extends object>(row: T, on: boolean): Record<string, unknown> {
  if (!on) return { ...row } as Record<string, unknown>;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]));
}

const PORT_COLUMNS = new Set(['port_id', 'ifName', 'ifDescr', 'ifAlias', 'ifPhysAddress', 'ifOperStatus', 'ifSpeed']);

const DEVICE_FILTERS: Record<string, (d: LibrenmsDevice, q: string) => boolean> = {
  all: () => true,
  active: (d) => d.disabled === 0 && d.ignore === 0,
  up: (d) => d.status === 1,
  down: (d) => d.status === 0,
  ignored: (d) => d.ignore === 1,
  disabled: (d) => d.disabled === 1,
  os: (d, q) => d.os === q,
  mac: (d, q) => d.ports.some((p) => p.ifPhysAddress === q.toLowerCase().replace(/[^0-9a-f]/g, '')),
  ipv4: (d, q) => d.ip === q || d.addresses.some((a) => a.ipv4_address === q),
  ipv6: (d, q) => d.ip === q,
  location: (d, q) => d.location.toLowerCase().includes(q.toLowerCase()),
  hostname: (d, q) => d.hostname.toLowerCase().includes(q.toLowerCase()),
};

export async function startFakeLibrenms(o: FakeLibrenmsOptions): Promise<FakeLibrenms> {
  const token = o.token ?? 'librenms-token-0123456789abcdef';
  const str = o.stringNumbers ?? true;
  const fake = { faults: noFaults(), requests: 0, calls: [] as string[] };
  const row = ({ ports: _p, addresses: _a, ...d }: LibrenmsDevice) => numbersAsText(d, str);
  // Maps, not scans: a connector asks for the ports and IPs of every device (20k devices in the benches).
  const byId = new Map(o.devices.map((d) => [d.device_id, d]));
  const byName = new Map(o.devices.map((d) => [d.hostname, d]));
  const find = (h: string): LibrenmsDevice | undefined => (/^\d+$/.test(h) ? byId.get(Number(h)) : byName.get(h));

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    fake.requests++;
    if (await answerFault(fake.faults, res, { unauthorized: null, rateLimited: { status: 'error', message: 'Too Many Attempts.' }, unavailable: { status: 'error', message: 'Service Unavailable' } })) return;
    if (fake.faults.unauthorized || req.headers['x-auth-token'] !== token) return sendJson(res, 401, { message: 'Unauthenticated.' });
    const url = new URL(req.url ?? '/', 'http://fake');
    fake.calls.push(url.pathname + url.search);
    if (req.method !== 'GET') return fail(res, 405, 'Method not allowed');
    const p = url.pathname;
    if (p === '/api/v0/devices') {
      const type = url.searchParams.get('type') ?? 'all';
      const filter = DEVICE_FILTERS[type];
      if (!filter) return fail(res, 400, `Invalid type ${type}`);
      const q = url.searchParams.get('query') ?? '';
      const devices = o.devices.filter((d) => filter(d, q)).sort((a, b) => a.hostname.localeCompare(b.hostname));
      return sendJson(res, 200, { status: 'ok', count: devices.length, devices: devices.map(row) });
    }
    if (p === '/api/v0/ports') {
      // LibreNMS' get_all_ports: the ports table's columns asked (default port_id, ifName), of every device.
      const columns = (url.searchParams.get('columns') ?? 'port_id,ifName').split(',').map((c) => c.trim());
      const unknown = columns.find((c) => c !== 'device_id' && !PORT_COLUMNS.has(c));
      if (unknown) return fail(res, 400, `Unknown column ${unknown}`);
      const ports = o.devices.flatMap((d) => d.ports.map((port) => numbersAsText(Object.fromEntries(columns.map((c) => [c, c === 'device_id' ? d.device_id : port[c as keyof LibrenmsPort]])), str)));
      return sendJson(res, 200, { status: 'ok', count: ports.length, ports });
    }
    if (p === '/api/v0/resources/ip/addresses') {
      const all = o.devices.flatMap((d) => d.addresses.map((a) => numbersAsText(a, str)));
      return sendJson(res, 200, { status: 'ok', count: all.length, ip_addresses: all });
    }
    const dev = /^\/api\/v0\/devices\/([^/]+)(?:\/(ip|ports))?$/.exec(p);
    if (dev) {
      const h = decodeURIComponent(dev[1]!);
      const d = find(h);
      if (!d) return fail(res, 404, `Device ${h} does not exist`);
      if (!dev[2]) return sendJson(res, 200, { status: 'ok', count: 1, devices: [row(d)] });
      if (dev[2] === 'ip') return sendJson(res, 200, { status: 'ok', count: d.addresses.length, addresses: d.addresses.map((a) => numbersAsText(a, str)) });
      const columns = (url.searchParams.get('columns') ?? 'ifName').split(',').map((c) => c.trim());
      const unknown = columns.find((c) => !(c in (d.ports[0] ?? { ifName: '' })));
      if (unknown) return fail(res, 400, `Unknown column ${unknown}`);
      const ports = d.ports.map((port) => numbersAsText(Object.fromEntries(columns.map((c) => [c, port[c as keyof LibrenmsPort]])), str));
      return sendJson(res, 200, { status: 'ok', count: ports.length, ports });
    }
    fail(res, 404, `No route for ${p}`);
  };

  const srv = await listenLoopback((req, res) => handler(req, res));
  return Object.assign(fake, { url: srv.url, close: srv.close });
}

/**
 * How LibreNMS reports a lab device: upper-case hostname (LAIM's spelling), hardware = model with
 * the vendor in front, a firmware version that differs from Netdisco's on shared devices (so
 * priority decides), the MAC on its first port, and its management address.
 */
export function librenmsDevice(d: LabDevice): LibrenmsDevice {
  const id = 1 + d.n;
  return {
    device_id: id,
    hostname: d.hostname,
    sysName: `${d.hostname.toLowerCase()}.lab.example`,
    display: null,
    ip: d.ip,
    hardware: `${d.vendor} ${d.model}`,
    os: d.os,
    version: `${d.osVersion}-lnms`,
    serial: d.serial,
    status: d.n % 13 === 0 ? 0 : 1,
    status_reason: d.n % 13 === 0 ? 'icmp' : '',
    uptime: 3600 * (1 + (d.n % 48)),
    last_polled: '2026-11-30 08:20:00',
    type: d.expectedKind === 'server' || d.expectedKind === 'laptop' || d.expectedKind === 'desktop' ? 'server' : 'network',
    disabled: 0,
    ignore: d.n % 17 === 0 ? 1 : 0,
    sysDescr: `${d.vendor} ${d.model} running ${d.os} ${d.osVersion}`,
    location: d.location,
    lat: null,
    lng: null,
    dependency_parent_id: null,
    dependency_parent_hostname: null,
    ports: [
      { port_id: id * 10, ifName: 'eth0', ifDescr: 'eth0', ifAlias: 'uplink', ifPhysAddress: d.mac.replace(/:/g, ''), ifOperStatus: 'up', ifSpeed: 1_000_000_000 },
      { port_id: id * 10 + 1, ifName: 'eth1', ifDescr: 'eth1', ifAlias: '', ifPhysAddress: macOf(d.n, [0x02, 0x1a, 0xd0]).replace(/:/g, ''), ifOperStatus: 'down', ifSpeed: 1_000_000_000 },
    ],
    addresses: [{ ipv4_address_id: id, ipv4_address: d.ip, ipv4_prefixlen: 24, ipv4_network_id: 1 + ((d.n >> 8) & 255), port_id: id * 10, context_name: '' }],
  };
}

export const librenmsFromLab = (lab: LabSplit): LibrenmsDevice[] => lab.librenms.map(librenmsDevice);
