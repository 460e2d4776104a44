import { NetBoxError, type NetBoxApi } from '../../src/domain/netbox.js';
import { HttpClient, tryJson } from '../../src/plugins/connector-http.js';
import { authorizationOf, type NetBoxSettings } from './options.js';

const PAGE = 200;

/** NetBox's REST API (IPAM part): pages followed by limit/offset, errors turned into messages. */
export class NetBoxClient implements NetBoxApi {
  private readonly http: HttpClient;
  private readonly auth: string;

  constructor(private readonly settings: NetBoxSettings, signal?: AbortSignal) {
    // The shared client retries 429/503 (waiting Retry-After, at most 2 s here: the outbox waits longer) and, for idempotent calls only, timeouts and 5xx.
    this.http = new HttpClient(new URL(settings.url), {
      tlsVerify: settings.tls_verify,
      timeoutMs: settings.timeout * 1000,
      signal,
      maxSockets: 2,
      label: 'NetBox',
      retry: { retries: settings.retries, minDelayMs: 250, maxDelayMs: 2000, maxRetryAfterMs: 2000 },
    });
    this.auth = authorizationOf(settings.token);
  }

  close(): void {
    this.http.close();
  }

  /** One call (retried by the shared client as above); NetBox's error answers become NetBoxErrors naming the cause. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.once<T>(method, path, body);
  }

  private async once<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res;
    try {
      res = await this.http.send(method, `api/${path}`, {
        headers: { authorization: this.auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw new NetBoxError(`NetBox: ${(err as Error).message}`, undefined, true);
    }
    if (res.status === 204) return undefined as T;
    const json = tryJson(res.body);
    if (res.status >= 200 && res.status < 300) return json as T;
    const where = `${method} ${path}`;
    const retryAfter = Number(res.headers['retry-after']);
    const retryAfterMs = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined;
    if (res.status === 400) throw new NetBoxError(`NetBox refused ${where}: ${fieldErrors(json)}`, 400, false);
    if (res.status === 401 || res.status === 403) throw new NetBoxError(`NetBox refused the token (${res.status}: ${detail(json) ?? 'forbidden'}): check the netbox connector's token and its permissions.`, res.status, false);
    if (res.status === 404) throw new NetBoxError(`NetBox has no ${path} (404).`, 404, false);
    if (res.status === 409) throw new NetBoxError(`NetBox: ${detail(json) ?? 'conflict'} (409).`, 409, false);
    if (res.status === 429) throw new NetBoxError(`NetBox is throttling requests (429): ${detail(json) ?? 'too many requests'}.`, 429, true, retryAfterMs);
    throw new NetBoxError(`NetBox answered ${res.status} to ${where}${detail(json) ? `: ${detail(json)}` : ''}.`, res.status, res.status >= 500);
  }

  /** Every object of a list, page by page (limit/offset, as NetBox's `next` links do). */
  async list<T>(path: string, filters: Record<string, string> = {}): Promise<T[]> {
    const out: T[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const q = new URLSearchParams({ ...filters, limit: String(PAGE), offset: String(offset) });
      const page = await this.call<{ count: number; next: string | null; results: T[] }>('GET', `${path}?${q.toString()}`);
      if (!page || !Array.isArray(page.results)) throw new NetBoxError(`NetBox answered ${path} with something that is not a list page.`, undefined, false);
      out.push(...page.results);
      if (!page.next || page.results.length === 0) return out;
    }
  }

  /** The object, or null on 404. */
  async find<T>(path: string): Promise<T | null> {
    try {
      return await this.call<T>('GET', path);
    } catch (err) {
      if (err instanceof NetBoxError && err.httpStatus === 404) return null;
      throw err;
    }
  }
}

function detail(json: unknown): string | undefined {
  return typeof json === 'object' && json !== null && typeof (json as { detail?: unknown }).detail === 'string' ? (json as { detail: string }).detail : undefined;
}

/** NetBox's 400 body `{"field": ["message"]}` as "field: message; …". */
function fieldErrors(json: unknown): string {
  if (typeof json !== 'object' || json === null) return 'bad request';
  const d = detail(json);
  if (d) return d;
  return Object.entries(json as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : String(v)}`)
    .join('; ');
}
