/**
 * A fake NetBox (IPAM only) on 127.0.0.1, written to NetBox's REST shapes: `{count, next,
 * previous, results}` pages with limit/offset, prefixes and IP addresses (filters `address`,
 * `parent`, `prefix`, `within`, `within_include`, `mask_length`, `status`, `id`; IPv4 and IPv6), a prefix's available-ips (GET, and POST: 201 with the created
 * address(es), 409 when out of space), 400 field errors (`{"field": ["message"]}`), 401 without a
 * token, 403 with a wrong one or a read-only one writing, 404, and switches a test flips for 429 and
 * 503 answers and slow answers (timeouts). Both token forms: `Token <t>` and `Bearer nbt_<key>.<token>`.
 * Every request is recorded, so a test can assert that a sync wrote nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLoopback, sendJson } from './http-server.js';

export interface FakePrefix {
  id: number;
  prefix: string;
  status: string;
  description: string;
  is_pool: boolean;
}

export interface FakeIpAddress {
  id: number;
  address: string;
  status: string;
  description: string;
  dns_name: string;
}

export interface FakeNetBoxOptions {
  /** v1 token (`Authorization: Token <t>`). */
  token?: string;
  /** v2 token (`Authorization: Bearer nbt_<key>.<token>`). */
  v2?: { key: string; token: string };
  /** A token that may read but not write (403 on writes). */
  readOnlyToken?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

const STATUSES = {
  prefix: ['container', 'active', 'reserved', 'deprecated'],
  ip: ['active', 'reserved', 'deprecated', 'dhcp', 'slaac'],
} as const;

const label = (v: string): string => v.charAt(0).toUpperCase() + v.slice(1);

/** An address as a number and its width (IPv4 32 bits, IPv6 128), the fake's own math. */
function parseIp(text: string): { bits: number; value: bigint } | null {
  if (!text.includes(':')) {
    const parts = text.split('.');
    if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
    return { bits: 32, value: parts.reduce((n, p) => (n << 8n) + BigInt(p), 0n) };
  }
  const [head, tail, extra] = text.toLowerCase().split('::');
  if (extra !== undefined) return null;
  const groups = (g: string | undefined): string[] => (g ? g.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return { bits: 128, value: all.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n) };
}

/** A network "addr/len" as its first address and length (host bits ignored, as NetBox's filters do). */
function parseNet(text: string): { bits: number; value: bigint; len: number } | null {
  const [addr, lenText] = text.split('/');
  const ip = parseIp(addr!);
  const len = Number(lenText ?? (ip?.bits ?? 0));
  if (!ip || !Number.isInteger(len) || len < 0 || len > ip.bits) return null;
  const host = BigInt(ip.bits - len);
  return { ...ip, value: (ip.value >> host) << host, len };
}

/** Whether `inner` (an address or a network) lies in `outer`; `strict`: a network must be longer (NetBox's `within`). */
function inNet(inner: string, outer: string, strict = false): boolean {
  const o = parseNet(outer);
  const i = parseNet(inner.includes('/') ? inner : `${inner}/${inner.includes(':') ? 128 : 32}`);
  if (!o || !i || o.bits !== i.bits || i.len < o.len || (strict && i.len === o.len)) return false;
  const host = BigInt(o.bits - o.len);
  return i.value >> host === o.value >> host;
}

const v4text = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const hostOf = (address: string): string => address.split('/')[0]!;
const sameNet = (a: string, b: string): boolean => {
  const x = parseNet(a);
  const y = parseNet(b);
  return x !== null && y !== null && x.bits === y.bits && x.len === y.len && x.value === y.value;
};

export class FakeNetBox {
  readonly prefixes = new Map<number, FakePrefix>();
  readonly ips = new Map<number, FakeIpAddress>();
  readonly requests: RecordedRequest[] = [];
  /** The next N requests answer 503 (NetBox down behind its proxy). Infinity: until set back to 0. */
  failNext = 0;
  /** The next N requests answer 429 with Retry-After: 1. */
  throttleNext = 0;
  /** Every answer waits this long first (a client timeout shorter than it sees a timeout). */
  delayMs = 0;
  private nextId = 1;

  constructor(private readonly opts: FakeNetBoxOptions = { token: 'nb-secret-token' }) {}

  addPrefix(p: Omit<FakePrefix, 'id' | 'status' | 'description' | 'is_pool'> & Partial<FakePrefix>): FakePrefix {
    const row: FakePrefix = { status: 'active', description: '', is_pool: false, ...p, id: p.id ?? this.nextId++ };
    this.prefixes.set(row.id, row);
    return row;
  }

  addIp(a: Omit<FakeIpAddress, 'id' | 'status' | 'description' | 'dns_name'> & Partial<FakeIpAddress>): FakeIpAddress {
    const row: FakeIpAddress = { status: 'active', description: '', dns_name: '', ...a, id: a.id ?? this.nextId++ };
    this.ips.set(row.id, row);
    return row;
  }

  /** The recorded writes (POST, PUT, PATCH, DELETE) since `from` (an index into requests). */
  writes(from = 0): RecordedRequest[] {
    return this.requests.slice(from).filter((r) => r.method !== 'GET');
  }

  ipByAddress(host: string): FakeIpAddress | undefined {
    return [...this.ips.values()].find((a) => hostOf(a.address) === host);
  }

  async listen(): Promise<{ url: string; close(): Promise<void> }> {
    const s = await listenLoopback((req, res, body) => this.handle(req, res, body));
    return { url: s.url, close: () => s.close() };
  }

  private auth(req: IncomingMessage): 'rw' | 'ro' | 401 | 403 {
    const h = req.headers.authorization;
    if (!h) return 401;
    const { token, v2, readOnlyToken } = this.opts;
    if (token && h === `Token ${token}`) return 'rw';
    if (v2 && h === `Bearer nbt_${v2.key}.${v2.token}`) return 'rw';
    if (readOnlyToken && (h === `Token ${readOnlyToken}`)) return 'ro';
    return 403;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw) as unknown;
      } catch {
        return sendJson(res, 400, { detail: 'JSON parse error' });
      }
    }
    this.requests.push({ method, path: url.pathname + url.search, body });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failNext > 0) {
      this.failNext--;
      res.writeHead(503, { 'content-type': 'text/html' });
      return void res.end('<html><body><h1>503 Service Unavailable</h1></body></html>');
    }
    if (this.throttleNext > 0) {
      this.throttleNext--;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      return void res.end(JSON.stringify({ detail: 'Request was throttled. Expected available in 1 second.' }));
    }
    const who = this.auth(req);
    if (who === 401) return sendJson(res, 401, { detail: 'Authentication credentials were not provided.' });
    if (who === 403) return sendJson(res, 403, { detail: 'Invalid token' });
    if (method !== 'GET' && who === 'ro') return sendJson(res, 403, { detail: 'You do not have permission to perform this action.' });

    const m = /^\/api\/ipam\/(prefixes|ip-addresses)\/(?:(\d+)\/(?:(available-ips)\/)?)?$/.exec(url.pathname);
    if (!m) return sendJson(res, 404, { detail: 'Not found.' });
    const [, kind, idText, available] = m;
    const id = idText ? Number(idText) : undefined;
    if (kind === 'prefixes' && available) return this.availableIps(res, method, id!, url, body);
    if (kind === 'prefixes') return this.crud(res, method, 'prefix', this.prefixes, id, url, body);
    return this.crud(res, method, 'ip', this.ips, id, url, body);
  }

  private origin(res: ServerResponse): string {
    const a = res.socket?.localAddress ?? '127.0.0.1';
    return `http://${a}:${res.socket?.localPort ?? 0}`;
  }

  private present(res: ServerResponse, kind: 'prefix' | 'ip', row: FakePrefix | FakeIpAddress): Record<string, unknown> {
    const text = kind === 'prefix' ? (row as FakePrefix).prefix : (row as FakeIpAddress).address;
    const family = text.includes(':') ? { value: 6, label: 'IPv6' } : { value: 4, label: 'IPv4' };
    const path = kind === 'prefix' ? 'prefixes' : 'ip-addresses';
    return { ...row, url: `${this.origin(res)}/api/ipam/${path}/${row.id}/`, display: text, family, status: { value: row.status, label: label(row.status) }, vrf: null, tenant: null, custom_fields: {} };
  }

  private crud<T extends FakePrefix | FakeIpAddress>(res: ServerResponse, method: string, kind: 'prefix' | 'ip', table: Map<number, T>, id: number | undefined, url: URL, body: unknown): void {
    if (id === undefined) {
      if (method === 'GET') return this.page(res, kind, [...table.values()].filter((r) => this.matches(kind, r, url.searchParams)), url);
      if (method !== 'POST') return sendJson(res, 405, { detail: `Method "${method}" not allowed.` });
      const errors = this.check(kind, body, true);
      if (errors) return sendJson(res, 400, errors);
      const b = body as Record<string, unknown>;
      const row = (kind === 'prefix'
        ? this.addPrefix({ prefix: String(b.prefix), status: (b.status as string) ?? 'active', description: (b.description as string) ?? '', is_pool: b.is_pool === true })
        : this.addIp({ address: String(b.address), status: (b.status as string) ?? 'active', description: (b.description as string) ?? '', dns_name: (b.dns_name as string) ?? '' })) as T;
      return sendJson(res, 201, this.present(res, kind, row));
    }
    const row = table.get(id);
    if (!row) return sendJson(res, 404, { detail: 'No ' + (kind === 'prefix' ? 'Prefix' : 'IPAddress') + ' matches the given query.' });
    if (method === 'GET') return sendJson(res, 200, this.present(res, kind, row));
    if (method === 'DELETE') {
      table.delete(id);
      res.writeHead(204);
      return void res.end();
    }
    if (method !== 'PATCH' && method !== 'PUT') return sendJson(res, 405, { detail: `Method "${method}" not allowed.` });
    const errors = this.check(kind, body, method === 'PUT');
    if (errors) return sendJson(res, 400, errors);
    Object.assign(row, pick(body as Record<string, unknown>, kind === 'prefix' ? ['prefix', 'status', 'description', 'is_pool'] : ['address', 'status', 'description', 'dns_name']));
    return sendJson(res, 200, this.present(res, kind, row));
  }

  /** NetBox's 400: `{"field": ["message", …]}` per field. */
  private check(kind: 'prefix' | 'ip', body: unknown, creating: boolean): Record<string, string[]> | null {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] };
    const b = body as Record<string, unknown>;
    const errors: Record<string, string[]> = {};
    const field = kind === 'prefix' ? 'prefix' : 'address';
    if (creating && b[field] === undefined) errors[field] = ['This field is required.'];
    if (b[field] !== undefined && !/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(String(b[field]))) errors[field] = [`Enter a valid IPv4 or IPv6 ${kind === 'prefix' ? 'prefix' : 'address'} with mask.`];
    if (b.status !== undefined && !(STATUSES[kind] as readonly string[]).includes(String(b.status))) errors.status = [`"${String(b.status)}" is not a valid choice.`];
    if (kind === 'ip' && b.address !== undefined && creating && this.ipByAddress(hostOf(String(b.address)))) errors.address = [`Duplicate IP address found in global table: ${String(b.address)}`];
    return Object.keys(errors).length > 0 ? errors : null;
  }

  private matches(kind: 'prefix' | 'ip', row: FakePrefix | FakeIpAddress, q: URLSearchParams): boolean {
    for (const [k, v] of q) {
      if (k === 'limit' || k === 'offset' || k === 'brief') continue;
      if (k === 'id' && String(row.id) !== v) return false;
      if (kind === 'prefix' && k === 'prefix' && !sameNet((row as FakePrefix).prefix, v)) return false;
      // NetBox's prefix filters: `within` strictly inside, `within_include` inside or equal, `mask_length`.
      if (kind === 'prefix' && k === 'within' && !inNet((row as FakePrefix).prefix, v, true)) return false;
      if (kind === 'prefix' && k === 'within_include' && !inNet((row as FakePrefix).prefix, v)) return false;
      if (kind === 'prefix' && k === 'mask_length' && (row as FakePrefix).prefix.split('/')[1] !== v) return false;
      if (kind === 'ip' && k === 'address' && !sameNet(hostOf((row as FakeIpAddress).address), hostOf(v))) return false;
      if (kind === 'ip' && k === 'parent' && !inNet(hostOf((row as FakeIpAddress).address), v)) return false;
      if (k === 'status' && row.status !== v) return false;
    }
    return true;
  }

  private page(res: ServerResponse, kind: 'prefix' | 'ip', rows: (FakePrefix | FakeIpAddress)[], url: URL): void {
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 50) || 50, 1000);
    const offset = Number(url.searchParams.get('offset') ?? 0) || 0;
    rows.sort((a, b) => a.id - b.id);
    const link = (o: number): string => {
      const u = new URL(url.pathname + url.search, this.origin(res));
      u.searchParams.set('limit', String(limit));
      u.searchParams.set('offset', String(o));
      return u.toString();
    };
    sendJson(res, 200, {
      count: rows.length,
      next: offset + limit < rows.length ? link(offset + limit) : null,
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
      results: rows.slice(offset, offset + limit).map((r) => this.present(res, kind, r)),
    });
  }

  /** The free host addresses of an IPv4 prefix, lowest first (network and broadcast excluded). */
  private free(p: FakePrefix): string[] {
    const [net, len] = p.prefix.split('/');
    const size = 2 ** (32 - Number(len));
    const base = Number(parseIp(net!)!.value);
    const taken = new Set([...this.ips.values()].map((a) => hostOf(a.address)));
    const out: string[] = [];
    for (let i = size > 2 ? 1 : 0; i < (size > 2 ? size - 1 : size); i++) if (!taken.has(v4text(base + i))) out.push(v4text(base + i));
    return out;
  }

  private availableIps(res: ServerResponse, method: string, id: number, url: URL, body: unknown): void {
    const p = this.prefixes.get(id);
    if (!p) return sendJson(res, 404, { detail: 'No Prefix matches the given query.' });
    const len = p.prefix.split('/')[1];
    const free = this.free(p);
    if (method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 50) || 50;
      return sendJson(res, 200, free.slice(0, limit).map((a) => ({ family: 4, address: `${a}/${len}`, vrf: null })));
    }
    if (method !== 'POST') return sendJson(res, 405, { detail: `Method "${method}" not allowed.` });
    const wanted = Array.isArray(body) ? (body as Record<string, unknown>[]) : [(body ?? {}) as Record<string, unknown>];
    if (wanted.length > free.length) return sendJson(res, 409, { detail: 'Insufficient resources are available to satisfy the request' });
    const made = wanted.map((w, i) => this.present(res, 'ip', this.addIp({ address: `${free[i]}/${len}`, status: (w.status as string) ?? 'active', description: (w.description as string) ?? '' })));
    return sendJson(res, 201, Array.isArray(body) ? made : made[0]);
  }
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
