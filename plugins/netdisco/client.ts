import { asRecord, toText } from '../../src/domain/coerce.js';
import { basicAuth, ConnectorError, type HttpClient } from '../../src/plugins/connector-http.js';

/** Most re-logins in one run: each expiry gets one fresh login, a loop of expiries fails the run. */
const MAX_RELOGINS = 5;

/**
 * A Netdisco API session: `POST /login` (Basic) gives an `api_key` sent back as
 * `Authorization: <api_key>`. Keys expire (api_token_lifetime, 1 h by default), so a long run
 * sees a 401 `invalid or expired token` mid-way: one re-login is shared by every request in
 * flight, then the request is sent again.
 */
export class NetdiscoSession {
  private token: string | null = null;
  private pending: Promise<string> | null = null;
  relogins = 0;

  constructor(private readonly http: HttpClient, private readonly user: string, private readonly password: string) {}

  async login(): Promise<string> {
    const { data } = await this.http.json('POST', 'login', { headers: { authorization: basicAuth(this.user, this.password) }, idempotent: true, what: `logging in as "${this.user}"` });
    const key = toText(asRecord(data).api_key, 512);
    if (!key) throw new ConnectorError(`${this.http.label} answered the login without an api_key (is it Netdisco 2.50 or later with the API enabled?).`, undefined, 'bad_answer');
    this.token = key;
    return key;
  }

  /** A GET of the API with the session; a 401 → one re-login and one retry. */
  async get(path: string, what: string): Promise<unknown> {
    const token = this.token ?? (await this.renew(null));
    try {
      return (await this.http.json('GET', path, { headers: { authorization: token }, what })).data;
    } catch (err) {
      if (!(err instanceof ConnectorError) || err.httpStatus !== 401) throw err;
      const fresh = await this.renew(token);
      return (await this.http.json('GET', path, { headers: { authorization: fresh }, what: `${what} after logging in again` })).data;
    }
  }

  /** One login for every caller holding the same stale key. */
  private renew(stale: string | null): Promise<string> {
    if (this.token !== null && this.token !== stale) return Promise.resolve(this.token);
    if (this.pending) return this.pending;
    if (stale !== null && ++this.relogins > MAX_RELOGINS) return Promise.reject(new ConnectorError(`Netdisco API keys keep expiring (${MAX_RELOGINS} re-logins in one run); raise api_token_lifetime in Netdisco.`, 401, 'credentials'));
    this.pending = this.login().finally(() => (this.pending = null));
    return this.pending;
  }
}
