import http from 'node:http';
import https from 'node:https';
import pThrottle from 'p-throttle';
import { jsonTooDeep } from '../domain/json-depth.js';
import { badAnswer, cancelled, ConnectorError, networkError, retryAfterMs, statusError } from './connector-errors.js';
import { guardedLookup, literalRefusal, outboundPolicy } from './outbound-policy.js';

// Plugins may import only the contract modules (eslint.boundaries.js): the failure helpers come through here.
export { badAnswer, ConnectorError, remoteMessage, retryAfterMs, statusError, type ConnectorFailure } from './connector-errors.js';

export interface RetryPolicy {
  /** Retries after the first attempt (0: none). */
  retries: number;
  /** Backoff before the first retry; doubles per retry up to maxDelayMs. */
  minDelayMs: number;
  maxDelayMs: number;
  /** A 429 asking to wait longer than this fails at once instead of stalling the run. */
  maxRetryAfterMs: number;
}

export interface HttpClientOptions {
  /** false accepts self-signed certificates (https only). */
  tlsVerify: boolean;
  /** Per request, in milliseconds: the longest silence while connecting or reading. */
  timeoutMs: number;
  /**
   * Per request, the longest a whole answer may take, however steadily it trickles in (a stuck
   * source must not hold a scheduled run forever). Default: 10 × timeoutMs.
   */
  deadlineMs?: number;
  signal?: AbortSignal;
  /** Parallel connections to the remote (keep-alive). */
  maxSockets?: number;
  /** Requests per second to this source, over every call of this client; unset: unlimited. */
  ratePerSecond?: number;
  /** For send() and json(); request() never retries. */
  retry?: Partial<RetryPolicy>;
  /** Names the system in error messages ("LibreNMS"), so the operator knows which configuration to fix. */
  label?: string;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestInit {
  headers?: Record<string, string>;
  body?: string;
}

export interface SendInit extends RequestInit {
  /**
   * Whether repeating the call is harmless. Defaults to true for every method but POST/PATCH: a
   * call that is not idempotent is only retried when the remote surely did not act on it
   * (429, 503, connection refused), never after a timeout or a 500/502/504.
   */
  idempotent?: boolean;
}

export interface JsonAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The parsed body (null for 204). */
  data: unknown;
}

export interface HttpClientStats {
  /** Requests put on the wire, retries included. */
  requests: number;
  retries: number;
  /** Total time spent waiting on Retry-After beyond the backoff. */
  retryAfterWaitMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { retries: 3, minDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };
const SAFE_TO_REPEAT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Answers larger than this are refused (a runaway query must not exhaust memory). */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** An answer worth another attempt, carried through the retry loop as a failure. */
class RetryableAnswer extends Error {
  constructor(readonly res: HttpResponse) {
    super(`HTTP ${res.status}`);
  }
}

function retryableAnswer(res: HttpResponse, idempotent: boolean): boolean {
  if (res.status === 429 || res.status === 503) return true;
  return idempotent && (res.status === 500 || res.status === 502 || res.status === 504);
}

function retryableError(err: unknown, idempotent: boolean): boolean {
  if (err instanceof RetryableAnswer) return true;
  if (!(err instanceof ConnectorError)) return false;
  if (err.netCode === 'ECONNREFUSED' || err.netCode === 'EAI_AGAIN') return true;
  return idempotent && (err.failure === 'timeout' || err.netCode === 'ECONNRESET' || err.netCode === 'EPIPE');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A small keep-alive HTTP(S) client over node:http(s). Used instead of fetch so that
 * `tls_verify=false` needs no extra dependency (an https.Agent with rejectUnauthorized) and a
 * 100k-request connector run reuses a bounded pool of sockets. Every call of one client shares
 * its rate limit; send() and json() retry what is worth retrying, json() turns every failure
 * into a ConnectorError of its class.
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly lib: typeof http | typeof https;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly lookup: ReturnType<typeof guardedLookup>;
  private readonly retry: RetryPolicy;
  private readonly wire: (method: string, path: string, init: RequestInit) => Promise<HttpResponse>;
  /** "LibreNMS at https://…": how messages name this source. */
  readonly label: string;
  readonly stats: HttpClientStats = { requests: 0, retries: 0, retryAfterWaitMs: 0 };

  constructor(readonly base: URL, private readonly opts: HttpClientOptions) {
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new ConnectorError(`Unsupported URL scheme "${base.protocol}" (use http:// or https://)`);
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 8 };
    this.lib = base.protocol === 'https:' ? https : http;
    this.agent = base.protocol === 'https:' ? new https.Agent({ ...agentOpts, rejectUnauthorized: opts.tlsVerify }) : new http.Agent(agentOpts);
    this.origin = `${base.protocol}//${base.host}`;
    this.basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
    this.label = `${opts.label ?? 'The remote system'} at ${this.origin}`;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    // Target networks (IPOCKET_OUTBOUND_ALLOW/DENY): a literal address now, a host name on every connect, after DNS.
    let policy;
    try {
      policy = outboundPolicy();
    } catch (err) {
      throw new ConnectorError((err as Error).message);
    }
    const refused = (why: string): ConnectorError => new ConnectorError(`${this.origin} is not an allowed connector target: ${why}.`, undefined, 'target_refused');
    const literal = literalRefusal(policy, base.hostname);
    if (literal) throw refused(literal);
    this.lookup = guardedLookup(policy, refused);
    const once = (method: string, path: string, init: RequestInit): Promise<HttpResponse> => this.attempt(method, path, init);
    const rate = opts.ratePerSecond;
    if (rate !== undefined && !(rate > 0)) throw new ConnectorError(`The rate limit must be a positive number of requests per second (got ${rate}).`);
    // Strict spacing (one call per 1/rate s) rather than bursts at each second's start, which is what remote rate limiters count.
    this.wire = rate === undefined ? once : pThrottle({ limit: 1, interval: 1000 / rate, strict: true, signal: opts.signal })(once);
    // One listener for the whole client (not one per request): cancelling drops every socket.
    opts.signal?.addEventListener('abort', () => this.agent.destroy(), { once: true });
  }

  /** Sends one request (rate-limited, never retried); resolves with any HTTP status, rejects (ConnectorError) on network errors and timeouts. */
  async request(method: string, path: string, init: RequestInit = {}): Promise<HttpResponse> {
    if (this.opts.signal?.aborted) throw cancelled();
    try {
      return await this.wire(method, path, init);
    } catch (err) {
      throw this.opts.signal?.aborted ? cancelled() : err;
    }
  }

  /**
   * Sends a request, retrying with exponential backoff on 429 (waiting at least its Retry-After),
   * 503, other 5xx and timeouts when the call is idempotent, and refused connections. Resolves
   * with the last answer, whatever its status, so the caller reads its own API's error bodies.
   */
  async send(method: string, path: string, init: SendInit = {}): Promise<HttpResponse> {
    const idempotent = init.idempotent ?? SAFE_TO_REPEAT.has(method.toUpperCase());
    const p = this.retry;
    // A plain loop, not p-retry: a 50k-request run pays nothing per call for retries it never needs.
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      try {
        const res = await this.request(method, path, init);
        if (!retryableAnswer(res, idempotent)) return res;
        failure = new RetryableAnswer(res);
      } catch (err) {
        if (!retryableError(err, idempotent)) throw err;
        failure = err;
      }
      const answer = failure instanceof RetryableAnswer ? failure.res : null;
      if (attempt >= p.retries) {
        if (answer) return answer;
        throw failure;
      }
      let wait = Math.min(p.minDelayMs * 2 ** attempt, p.maxDelayMs);
      if (answer?.status === 429) {
        const asked = retryAfterMs(answer.headers['retry-after']);
        // Waiting longer than allowed: give the 429 back now, its message says what to do.
        if (asked !== undefined && asked > p.maxRetryAfterMs) return answer;
        if (asked !== undefined && asked > wait) {
          this.stats.retryAfterWaitMs += asked - wait;
          wait = asked;
        }
      }
      this.stats.retries++;
      await sleep(wait, this.opts.signal);
    }
  }

  /**
   * send() for a JSON API: resolves with the parsed body of a 2xx answer; any other status, or a
   * body that is not JSON, rejects with a ConnectorError of its class (credentials, forbidden,
   * rate_limited, unavailable, http, bad_answer). `what` names the call in messages.
   */
  async json(method: string, path: string, init: SendInit & { what: string }): Promise<JsonAnswer> {
    const res = await this.send(method, path, init);
    const data = res.status === 204 ? null : tryJson(res.body);
    if (res.status < 200 || res.status >= 300) throw statusError(res.status, data, this.label, init.what, retryAfterMs(res.headers['retry-after']));
    if (data === undefined) throw badAnswer(this.label, init.what, res.body.trim() === '' ? 'an empty body' : `not JSON: "${res.body.slice(0, 60).replace(/\s+/g, ' ')}"`, res.status);
    return { status: res.status, headers: res.headers, data };
  }

  close(): void {
    this.agent.destroy();
  }

  private attempt(method: string, path: string, init: RequestInit): Promise<HttpResponse> {
    const origin = this.origin;
    if (this.opts.signal?.aborted) return Promise.reject(cancelled());
    this.stats.requests++;
    return new Promise<HttpResponse>((resolve, reject) => {
      const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
      if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
      const target = { protocol: this.base.protocol, hostname: this.base.hostname.replace(/^\[|\]$/g, ''), port: this.base.port || undefined, path: this.basePath + path.replace(/^\//, '') };
      const req = this.lib.request({ ...target, method, headers, agent: this.agent, lookup: this.lookup as never }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) req.destroy(badAnswer(this.label, `calling ${path}`, `more than ${MAX_BODY_BYTES >> 20} MB`));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(networkError(err, origin, this.opts.timeoutMs)));
      });
      req.setTimeout(this.opts.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      const deadlineMs = this.opts.deadlineMs ?? this.opts.timeoutMs * 10;
      const deadline = setTimeout(() => req.destroy(new ConnectorError(`${origin} did not finish answering within ${deadlineMs / 1000} s (it answers, but too slowly): check the source's load and network path, or raise the connector's timeout.`, undefined, 'timeout', { netCode: 'ETIMEDOUT' })), deadlineMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('error', (err) => reject(this.opts.signal?.aborted ? cancelled() : networkError(err, origin, this.opts.timeoutMs)));
      req.end(init.body);
    });
  }
}

/** Parses a JSON body, or undefined when it is not JSON (or nests deeper than any real API answer). */
export function tryJson(body: string): unknown {
  if (jsonTooDeep(body)) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** `Basic base64(user:password)`. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** The options every HTTP connector has, under the names its option schema gives them. */
export interface ConnectorHttpOptions {
  url: string;
  tls_verify: boolean;
  /** Seconds. */
  timeout: number;
  /** Requests per second; unset: unlimited. */
  rate_limit?: number;
}

export interface ConnectorClient {
  http: HttpClient;
  base: URL;
  /** `https://host:port`: the batch's source and the log lines' prefix. */
  origin: string;
  /** ` in 120 request(s), 3 retried`: how a connector's closing log line counts its calls. */
  requestSummary(): string;
}

/**
 * A connector's client from its options: the same TLS, timeout, rate-limit and cancellation rules
 * for every source. `label` names the system in error messages; `maxSockets` bounds the
 * connections (a connector's concurrency).
 */
export function connectorClient(options: ConnectorHttpOptions, ctx: { signal: AbortSignal }, label: string, maxSockets: number): ConnectorClient {
  const base = new URL(options.url);
  const http = new HttpClient(base, { tlsVerify: options.tls_verify, timeoutMs: options.timeout * 1000, signal: ctx.signal, maxSockets, label, ratePerSecond: options.rate_limit });
  return {
    http,
    base,
    origin: `${base.protocol}//${base.host}`,
    requestSummary: () => ` in ${http.stats.requests} request(s)${http.stats.retries ? `, ${http.stats.retries} retried` : ''}`,
  };
}
