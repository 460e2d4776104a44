import { basicAuth, ConnectorError, tryJson, type HttpClient, type HttpResponse } from '../../src/plugins/connector-http.js';

/** Most re-logins in one run; each expiry gets one fresh login, a loop of expiries fails the run. */
const MAX_RELOGINS = 5;

/** The message of a vSphere error body (`{"error_type","messages":[{"default_message"}]}`), or the HTTP status. */
export function vcenterMessage(res: HttpResponse): string {
  const json = tryJson(res.body) as { error_type?: unknown; messages?: { default_message?: unknown }[] } | undefined;
  const type = typeof json?.error_type === 'string' ? json.error_type : null;
  const msg = Array.isArray(json?.messages) ? json.messages.map((m) => String(m?.default_message ?? '')).filter(Boolean).join('; ') : '';
  return [`HTTP ${res.status}`, type, msg].filter(Boolean).join(' ');
}

/** The vSphere error type of an answer (`UNAUTHENTICATED`, `SERVICE_UNAVAILABLE`, `UNABLE_TO_ALLOCATE_RESOURCE`…), upper-cased. */
export function errorType(res: HttpResponse): string | null {
  const json = tryJson(res.body) as { error_type?: unknown; type?: unknown } | undefined;
  const t = json?.error_type ?? json?.type;
  return typeof t === 'string' ? t.toUpperCase().replace(/^COM\.VMWARE\.VAPI\.STD\.ERRORS\./, '') : null;
}

/**
 * A vSphere Automation API session: `POST /api/session` (Basic) gives a bare JSON string token sent
 * back as `vmware-api-session-id`. A 401 in the middle of a run (the session expired) triggers one
 * re-login shared by every request in flight, then the request is retried once.
 */
export class VcenterSession {
  private token: string | null = null;
  private pending: Promise<string> | null = null;
  relogins = 0;

  constructor(private readonly http: HttpClient, private readonly user: string, private readonly password: string) {}

  async login(): Promise<string> {
    const res = await this.http.request('POST', 'api/session', { headers: { authorization: basicAuth(this.user, this.password) } });
    if (res.status === 401 || res.status === 403) throw new ConnectorError(`vCenter refused the login of "${this.user}" (${vcenterMessage(res)}).`, res.status);
    if (res.status === 404) throw new ConnectorError(`vCenter has no /api/session (HTTP 404): the vSphere Automation API needs vCenter 7.0 or later.`, 404);
    const token = tryJson(res.body);
    if (res.status >= 300 || typeof token !== 'string' || token === '') throw new ConnectorError(`vCenter login failed (${vcenterMessage(res)}).`, res.status);
    this.token = token;
    return token;
  }

  /** A GET with the session; 401 → one re-login and one retry. */
  async get(path: string): Promise<HttpResponse> {
    const token = this.token ?? (await this.renew(null));
    const res = await this.send(path, token);
    if (res.status !== 401) return res;
    const fresh = await this.renew(token);
    const again = await this.send(path, fresh);
    if (again.status === 401) throw new ConnectorError(`vCenter rejected a fresh session (${vcenterMessage(again)}).`, 401);
    return again;
  }

  /** Ends the session (best effort: the run's outcome does not depend on it). */
  async logout(): Promise<void> {
    if (!this.token) return;
    const token = this.token;
    this.token = null;
    try {
      await this.http.request('DELETE', 'api/session', { headers: { 'vmware-api-session-id': token } });
    } catch {
      // The session times out on its own.
    }
  }

  private send(path: string, token: string): Promise<HttpResponse> {
    return this.http.request('GET', path, { headers: { 'vmware-api-session-id': token } });
  }

  /** One login for every caller holding the same stale token. */
  private renew(stale: string | null): Promise<string> {
    if (this.token !== null && this.token !== stale) return Promise.resolve(this.token);
    if (this.pending) return this.pending;
    if (stale !== null && ++this.relogins > MAX_RELOGINS) return Promise.reject(new ConnectorError(`vCenter sessions keep expiring (${MAX_RELOGINS} re-logins); giving up.`));
    this.pending = this.login().finally(() => (this.pending = null));
    return this.pending;
  }
}
