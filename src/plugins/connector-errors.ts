import { AppError } from '../domain/errors.js';

/**
 * Why a call to a remote system failed. Each class has its own remedy, so the run's message
 * tells the operator what to change (credentials, URL, certificate, rate) rather than just
 * "failed"; connectors and the panel may branch on it.
 */
export type ConnectorFailure =
  | 'credentials'
  | 'forbidden'
  | 'dns'
  | 'connect'
  | 'tls'
  | 'timeout'
  | 'rate_limited'
  | 'unavailable'
  | 'bad_answer'
  | 'http'
  | 'target_refused'
  | 'cancelled'
  | 'other';

/**
 * A remote system a connector talks to failed or answered with an error: the run fails with
 * this message (502 through the API). Not a client mistake, so never a "rejected" run.
 */
export class ConnectorError extends AppError {
  readonly status = 502;
  readonly code = 'connector_error';
  constructor(
    message: string,
    readonly httpStatus?: number,
    readonly failure: ConnectorFailure = 'other',
    extra: { answer?: unknown; netCode?: string } = {},
  ) {
    super(message);
    this.answer = extra.answer;
    this.netCode = extra.netCode;
  }
  /** The parsed JSON body of an error answer (a NetBox 400 names its fields there). */
  readonly answer: unknown;
  /** The socket error code (ECONNREFUSED, ECONNRESET, EAI_AGAIN…) of a network failure. */
  readonly netCode: string | undefined;
}

export const cancelled = (): ConnectorError => new ConnectorError('The run was cancelled.', undefined, 'cancelled');

/** A socket-level failure as a ConnectorError of its class, keeping the wording earlier runs logged. */
export function networkError(err: Error & { code?: string }, origin: string, timeoutMs: number): ConnectorError {
  if (err instanceof ConnectorError) return err;
  if (err.name === 'AbortError' || err.code === 'ABORT_ERR') return cancelled();
  const code = err.code ?? '';
  if (code === 'ETIMEDOUT') return new ConnectorError(`${origin} did not answer within ${timeoutMs / 1000} s (timeout): check that the service is up and not overloaded, or raise the connector's timeout.`, undefined, 'timeout', { netCode: code });
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|HOSTNAME/.test(code)) {
    return new ConnectorError(`TLS error talking to ${origin}: ${err.message} (install a certificate this server trusts, or set tls_verify=false to accept a self-signed certificate).`, undefined, 'tls', { netCode: code });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') {
    return new ConnectorError(`Cannot resolve the host name of ${origin} (DNS ${code}): check the URL's host name and this server's DNS.`, undefined, 'dns', { netCode: code });
  }
  return new ConnectorError(`Cannot reach ${origin}: ${code || err.message} (check the URL and port, that the service is running, and that no firewall blocks this server).`, undefined, 'connect', { netCode: code || undefined });
}

/**
 * What the remote's error body says, when it says anything: NetBox `detail` or its per-field
 * lists, LibreNMS `message`, Netdisco `error`, Prism `message_list`, vSphere `messages`.
 */
export function remoteMessage(answer: unknown): string | null {
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return null;
  const a = answer as Record<string, unknown>;
  const cut = (t: string): string => t.trim().slice(0, 300);
  for (const key of ['detail', 'message', 'error']) {
    const v = a[key];
    if (typeof v === 'string' && v.trim()) return cut(v);
  }
  for (const [key, field] of [['message_list', 'message'], ['messages', 'default_message']] as const) {
    const list = a[key];
    if (Array.isArray(list)) {
      const said = list.map((m) => (m && typeof m === 'object' ? (m as Record<string, unknown>)[field] : null)).filter((m): m is string => typeof m === 'string' && m !== '');
      if (said.length) return cut(said.join('; '));
    }
  }
  // Django REST framework field errors: {"prefix": ["Enter a valid…"], "vlan": [...]}.
  const fields = Object.entries(a).filter(([, v]) => Array.isArray(v) && v.length > 0 && v.every((m) => typeof m === 'string'));
  return fields.length ? cut(fields.map(([k, v]) => `${k}: ${(v as string[]).join(' ')}`).join('; ')) : null;
}

/**
 * A non-2xx answer as a ConnectorError of its class. `label` names the system ("LibreNMS at
 * https://…") and `what` the call ("listing devices").
 */
export function statusError(status: number, answer: unknown, label: string, what: string, retryAfterMs?: number): ConnectorError {
  const said = remoteMessage(answer);
  const tail = said ? `: ${said}` : '';
  if (status === 401) return new ConnectorError(`${label} refused the credentials while ${what} (HTTP 401${tail}): check the username and password or the token in the connector's configuration.`, status, 'credentials', { answer });
  if (status === 403) return new ConnectorError(`${label} denied ${what} (HTTP 403${tail}): the account is known but lacks the permission; grant it in ${label.split(' at ')[0]} or use another account.`, status, 'forbidden', { answer });
  if (status === 429) {
    const wait = retryAfterMs !== undefined ? ` (it asked to wait ${Math.ceil(retryAfterMs / 1000)} s)` : '';
    return new ConnectorError(`${label} kept answering "too many requests" while ${what}${wait} (HTTP 429): lower the connector's rate_limit or run it less often.`, status, 'rate_limited', { answer });
  }
  if (status >= 500) return new ConnectorError(`${label} failed while ${what} (HTTP ${status}${tail}), also after retries: the service is down or overloaded; try again later or check its logs.`, status, 'unavailable', { answer });
  return new ConnectorError(`${label} answered HTTP ${status} while ${what}${said ? `: ${said.replace(/\.$/, '')}` : ''}.`, status, 'http', { answer });
}

/** An answer that is not what the API documents (not JSON, or not the expected shape). */
export function badAnswer(label: string, what: string, why: string, status?: number): ConnectorError {
  return new ConnectorError(`${label} gave an unexpected answer while ${what} (${why}): is the URL the API's base URL, and is it the documented product and version?`, status, 'bad_answer');
}

/** `Retry-After` (delta-seconds or an HTTP date) in milliseconds from `now`, or undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
