/**
 * A fake Netdisco web API (reference/data-sources.md): `POST /login` with Basic auth gives an
 * `api_key`, sent back as `Authorization: <key>` (or with an `Apikey `/`Bearer ` prefix); keys
 * expire (by age, after a number of requests, or on demand) and then answer 401 `{"error":
 * "invalid or expired token"}`; device search paged by limit/offset (a search with neither a
 * query nor paging is refused); one device, its IPs and its nodes; node search by MAC or IP.
 * Listens on 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerFault, expectedBasic, macOf, noFaults, type Faults } from './faults.js';
import { listenLoopback, sendJson } from './http-server.js';
import type { LabDevice, LabSplit } from './lab-devices.js';

export interface NetdiscoDeviceRow {
  ip: string;
  dns: string | null;
  name: string | null;
  description: string | null;
  location: string | null;
  contact: string | null;
  vendor: string | null;
  model: string | null;
  os: string | null;
  os_ver: string | null;
  serial: string | null;
  chassis_id: string | null;
  mac: string | null;
  uptime: number;
  layers: string;
  last_discover: string;
  last_macsuck: string | null;
  last_arpnip: string | null;
  is_pseudo: boolean;
  custom_fields: Record<string, string>;
  tags: string[];
  poe: { power: number; consumed: number } | null;
}

export interface NetdiscoDeviceIp {
  ip: string;
  alias: string;
  subnet: string;
  port: string;
  dns: string | null;
  creation: string;
}

export interface NetdiscoNode {
  mac: string;
  switch: string;
  port: string;
  vlan: string;
  active: boolean;
  time_first: string;
  time_recent: string;
  time_last: string;
}

export interface NetdiscoDevice {
  row: NetdiscoDeviceRow;
  ips: NetdiscoDeviceIp[];
  nodes: NetdiscoNode[];
}

export interface FakeNetdiscoOptions {
  username?: string;
  password?: string;
  devices: NetdiscoDevice[];
  /** Seconds a key lives (Netdisco's api_token_lifetime, 3600). */
  tokenLifetimeSeconds?: number;
  /** A key dies after this many API calls: a token expiring in the middle of a run. */
  tokenRequestLimit?: number;
  /** Most rows one search answers, whatever `limit` asked. */
  pageCap?: number;
}

export interface FakeNetdisco {
  url: string;
  faults: Faults;
  logins: number;
  failedLogins: number;
  /** 401s answered for an unknown or expired key. */
  expired: number;
  /** Every device search's query string. */
  searches: string[];
  requests: number;
  /** Ends every key now (the next call with one answers 401). */
  expireTokens(): void;
  close(): Promise<void>;
}

const EXPIRED = { error: 'invalid or expired token' };
const STAMP = '2026-11-30 08:15:00.123456';

/** The key an `Authorization` header carries, prefix or not. */
const keyOf = (header: string | undefined): string => (header ?? '').replace(/^(Apikey|Bearer)\s+/i, '').trim();

export async function startFakeNetdisco(o: FakeNetdiscoOptions): Promise<FakeNetdisco> {
  const basic = expectedBasic(o.username ?? 'api_user', o.password ?? 'netdisco');
  const lifetimeMs = (o.tokenLifetimeSeconds ?? 3600) * 1000;
  const cap = o.pageCap ?? 1000;
  const keys = new Map<string, { issued: number; used: number }>();
  const byIp = new Map(o.devices.map((d) => [d.row.ip, d]));
  const fake = { faults: noFaults(), logins: 0, failedLogins: 0, expired: 0, searches: [] as string[], requests: 0 };

  const authorized = (req: IncomingMessage): boolean => {
    const key = keys.get(keyOf(req.headers.authorization));
    if (fake.faults.unauthorized || !key || Date.now() - key.issued > lifetimeMs || (o.tokenRequestLimit !== undefined && key.used >= o.tokenRequestLimit)) return false;
    key.used++;
    return true;
  };

  const search = (res: ServerResponse, q: URLSearchParams): void => {
    fake.searches.push(q.toString());
    const term = (k: string) => q.get(k)?.toLowerCase() ?? null;
    const [any, name, location, dns] = [term('q'), term('name'), term('location'), term('dns')];
    const hasLimit = q.has('limit') && q.has('offset');
    if (any === null && name === null && location === null && dns === null && !hasLimit) return sendJson(res, 400, { error: 'search needs q, name, location or dns, or else limit and offset' });
    const has = (v: string | null, t: string | null) => t === null || (v ?? '').toLowerCase().includes(t);
    const rows = o.devices
      .map((d) => d.row)
      .filter((r) => (any === null || [r.ip, r.dns, r.name, r.serial, r.model, r.vendor, r.mac].some((v) => has(v, any))) && has(r.name, name) && has(r.location, location) && has(r.dns, dns));
    const offset = Number(q.get('offset') ?? 0);
    const limit = Math.min(Number(q.get('limit') ?? cap), cap);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1) return sendJson(res, 400, { error: 'limit and offset must be whole numbers' });
    sendJson(res, 200, rows.slice(offset, offset + limit));
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    fake.requests++;
    if (await answerFault(fake.faults, res, { unauthorized: EXPIRED, rateLimited: { error: 'too many requests' }, unavailable: { error: 'Service Unavailable' } })) return;
    const url = new URL(req.url ?? '/', 'http://fake');
    const p = url.pathname;
    if (p === '/login' && req.method === 'POST') {
      if (req.headers.authorization !== basic || fake.faults.unauthorized) {
        fake.failedLogins++;
        return sendJson(res, 401, { error: 'authentication failed' });
      }
      fake.logins++;
      const api_key = randomBytes(16).toString('hex');
      keys.set(api_key, { issued: Date.now(), used: 0 });
      return sendJson(res, 200, { api_key, permanent: false });
    }
    if (!p.startsWith('/api/v1/')) return sendJson(res, 404, { error: `no route for ${p}` });
    if (!authorized(req)) {
      fake.expired++;
      return sendJson(res, 401, EXPIRED);
    }
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' });
    if (p === '/api/v1/search/device') return search(res, url.searchParams);
    if (p === '/api/v1/search/node') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      if (!q) return sendJson(res, 400, { error: 'q is required' });
      const rows = o.devices.flatMap((d) => d.nodes.filter((n) => n.mac.includes(q)).map((n) => ({ mac: n.mac, ip: d.row.ip, dns: d.row.dns, active: n.active, time_first: n.time_first, time_last: n.time_last, vrf: null })));
      return sendJson(res, 200, rows);
    }
    const obj = /^\/api\/v1\/object\/device\/([^/]+)(?:\/(device_ips|nodes|ports|vlans|modules|neighbors))?$/.exec(p);
    if (obj) {
      const d = byIp.get(decodeURIComponent(obj[1]!));
      if (!d) return sendJson(res, 404, { error: `no such device: ${obj[1]}` });
      if (!obj[2]) return sendJson(res, 200, d.row);
      if (obj[2] === 'device_ips') return sendJson(res, 200, d.ips);
      if (obj[2] === 'nodes') return sendJson(res, 200, d.nodes);
      return sendJson(res, 200, []);
    }
    sendJson(res, 404, { error: `no route for ${p}` });
  };

  const srv = await listenLoopback((req, res) => handler(req, res));
  return Object.assign(fake, { url: srv.url, expireTokens: () => keys.clear(), close: srv.close });
}

/**
 * How Netdisco reports a lab device: lower-case DNS name, its vendor/model/os strings, its MAC
 * as chassis MAC and as the first node (LAIM reads `nodes[0].mac`), one management IP plus a
 * loopback, and a couple of other nodes seen on its ports.
 */
export function netdiscoDevice(d: LabDevice, opts: { noSerial?: boolean } = {}): NetdiscoDevice {
  const dns = `${d.hostname.toLowerCase()}.lab.example`;
  const node = (mac: string, port: string): NetdiscoNode => ({ mac, switch: d.ip, port, vlan: '100', active: true, time_first: STAMP, time_recent: STAMP, time_last: STAMP });
  return {
    row: {
      ip: d.ip,
      dns,
      name: d.hostname.toLowerCase(),
      description: `${d.vendor} ${d.model}, ${d.os} ${d.osVersion}`,
      location: d.location,
      contact: 'lab-ops@example.com',
      vendor: d.vendor.toLowerCase(),
      model: d.model,
      os: d.os,
      os_ver: d.osVersion,
      serial: opts.noSerial ? null : d.serial,
      chassis_id: d.mac,
      mac: d.mac,
      uptime: 86_400 * (1 + (d.n % 30)),
      layers: '00000110',
      last_discover: STAMP,
      last_macsuck: STAMP,
      last_arpnip: null,
      is_pseudo: false,
      custom_fields: {},
      tags: [],
      poe: null,
    },
    ips: [
      { ip: d.ip, alias: 'Vlan100', subnet: `${d.ip.split('.').slice(0, 3).join('.')}.0/24`, port: 'Vlan100', dns, creation: STAMP },
      { ip: `10.255.${(d.n >> 8) & 255}.${d.n & 255}`, alias: 'Loopback0', subnet: `10.255.${(d.n >> 8) & 255}.${d.n & 255}/32`, port: 'Loopback0', dns: null, creation: STAMP },
    ],
    nodes: [node(d.mac, 'Gi1/0/1'), node(macOf(d.n, [0x02, 0x1a, 0xc0]), 'Gi1/0/2')],
  };
}

/** The Netdisco side of a generated lab (shared devices without a serial where the split says so). */
export const netdiscoFromLab = (lab: LabSplit): NetdiscoDevice[] => lab.netdisco.map((d) => netdiscoDevice(d, { noSerial: lab.macOnly.has(d.n) }));
