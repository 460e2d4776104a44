import http from 'node:http';
import https from 'node:https';
import { AppError } from '../domain/errors.js';
import { jsonTooDeep } from '../domain/json-depth.js';

/**
 * A remote system a connector talks to failed or answered with an error: the run fails with
 * this message (502 through the API). Not a client mistake, so never a "rejected" run.
 */
export class ConnectorError extends AppError {
  readonly status = 502;
  readonly code = 'connector_error';
  constructor(message: string, readonly httpStatus?: number) {
    super(message);
  }
}

export interface HttpClientOptions {
  /** false accepts self-signed certificates (https only). */
  tlsVerify: boolean;
  /** Per request, in milliseconds. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Parallel connections to the remote (keep-alive). */
  maxSockets?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Answers larger than this are refused (a runaway query must not exhaust memory). */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

/**
 * A small keep-alive HTTP(S) client over node:http(s). Used instead of fetch so that
 * `tls_verify=false` needs no extra dependency (an https.Agent with rejectUnauthorized) and a
 * 100k-request connector run reuses a bounded pool of sockets.
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly lib: typeof http | typeof https;

  constructor(readonly base: URL, private readonly opts: HttpClientOptions) {
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new ConnectorError(`Unsupported URL scheme "${base.protocol}" (use http:// or https://)`);
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 8 };
    this.lib = base.protocol === 'https:' ? https : http;
    this.agent = base.protocol === 'https:' ? new https.Agent({ ...agentOpts, rejectUnauthorized: opts.tlsVerify }) : new http.Agent(agentOpts);
    this.origin = `${base.protocol}//${base.host}`;
    this.basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
    // One listener for the whole client (not one per request): cancelling drops every socket.
    opts.signal?.addEventListener('abort', () => this.agent.destroy(), { once: true });
  }

  private readonly origin: string;
  private readonly basePath: string;

  /** Sends one request; resolves with any HTTP status, rejects (ConnectorError) on network errors and timeouts. */
  request(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<HttpResponse> {
    const origin = this.origin;
    if (this.opts.signal?.aborted) return Promise.reject(new ConnectorError('The run was cancelled.'));
    return new Promise<HttpResponse>((resolve, reject) => {
      const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
      if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
      const target = { protocol: this.base.protocol, hostname: this.base.hostname.replace(/^\[|\]$/g, ''), port: this.base.port || undefined, path: this.basePath + path.replace(/^\//, '') };
      const req = this.lib.request({ ...target, method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY_BYTES) req.destroy(new ConnectorError(`${origin} answered more than ${MAX_BODY_BYTES >> 20} MB`));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(networkError(err, origin, this.opts.timeoutMs)));
      });
      req.setTimeout(this.opts.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => reject(this.opts.signal?.aborted ? new ConnectorError('The run was cancelled.') : networkError(err, origin, this.opts.timeoutMs)));
      req.end(init.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function networkError(err: Error & { code?: string }, origin: string, timeoutMs: number): Error {
  if (err instanceof ConnectorError) return err;
  if (err.name === 'AbortError' || err.code === 'ABORT_ERR') return new ConnectorError('The run was cancelled.');
  if (err.code === 'ETIMEDOUT') return new ConnectorError(`${origin} did not answer within ${timeoutMs / 1000} s (timeout).`);
  const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(err.code ?? '');
  if (tls) return new ConnectorError(`TLS error talking to ${origin}: ${err.message} (set tls_verify=false to accept a self-signed certificate).`);
  return new ConnectorError(`Cannot reach ${origin}: ${err.code ?? err.message}`);
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
