import { createServer as createHttpsServer } from 'node:https';
import { listenLoopback, selfSigned, sendJson } from './http-server.js';

export interface FakePrometheusAnswer {
  status: number;
  body: unknown;
}

export interface FakePrometheus {
  url: string;
  /** Every query received (form field `query`). */
  queries: string[];
  /** Authorization headers received. */
  auth: (string | undefined)[];
  /** Replaces the answer (and an optional delay in ms before it is sent). */
  answer(a: FakePrometheusAnswer, delayMs?: number): void;
  close(): Promise<void>;
}

/** An instant vector answer with one sample per instance label value. */
export function vectorOf(instances: string[], extra: Record<string, string> = {}): FakePrometheusAnswer {
  return {
    status: 200,
    body: { status: 'success', data: { resultType: 'vector', result: instances.map((instance) => ({ metric: { __name__: 'up', instance, job: 'node', ...extra }, value: [1795294575.595, '1'] })) } },
  };
}

/** A stand-in for Prometheus' /api/v1/query (shapes from docs/querying/api.md), for tests that need failure modes. */
export async function startFakePrometheus(initial: FakePrometheusAnswer = vectorOf([]), o: { https?: boolean } = {}): Promise<FakePrometheus> {
  let current = initial;
  let delay = 0;
  const queries: string[] = [];
  const auth: (string | undefined)[] = [];
  const srv = await listenLoopback(async (req, res, body) => {
    if (!req.url?.startsWith('/api/v1/query')) return sendJson(res, 404, { status: 'error', errorType: 'not_found', error: 'not found' });
    const form = new URLSearchParams(req.method === 'POST' ? body : (req.url.split('?')[1] ?? ''));
    queries.push(form.get('query') ?? '');
    auth.push(req.headers.authorization);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    sendJson(res, current.status, current.body);
  }, o.https ? createHttpsServer(selfSigned('fake-prometheus.local')) : undefined);
  return {
    url: srv.url,
    queries,
    auth,
    answer(a, delayMs = 0) {
      current = a;
      delay = delayMs;
    },
    close: srv.close,
  };
}
