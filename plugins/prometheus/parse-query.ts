import { z } from 'zod';
import { ConnectorError, tryJson, type HttpResponse } from '../../src/plugins/connector-http.js';

const Sample = z.object({
  metric: z.record(z.string(), z.string()),
  value: z.tuple([z.number(), z.string()]).optional(),
});

const Success = z.object({
  status: z.literal('success'),
  data: z.object({ resultType: z.string(), result: z.unknown() }),
  warnings: z.array(z.string()).optional(),
  infos: z.array(z.string()).optional(),
});

const Failure = z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() });

export type PromSample = z.infer<typeof Sample>;

export interface QueryAnswer {
  samples: PromSample[];
  warnings: string[];
}

/**
 * Reads a `/api/v1/query` answer. Only instant vectors are accepted (a matrix, scalar or string
 * has no per-target labels); Prometheus errors (`{"status":"error",…}` with 400/422/503) and
 * non-JSON answers become a ConnectorError carrying Prometheus' own message.
 */
export function parseQueryAnswer(res: HttpResponse, origin: string): QueryAnswer {
  const json = tryJson(res.body);
  const failure = Failure.safeParse(json);
  if (failure.success) {
    const kind = failure.data.errorType ? ` (${failure.data.errorType})` : '';
    throw new ConnectorError(`Prometheus at ${origin} answered HTTP ${res.status}${kind}: ${failure.data.error ?? 'no message'}`, res.status);
  }
  if (res.status === 401 || res.status === 403) throw new ConnectorError(`Prometheus at ${origin} refused the credentials (HTTP ${res.status}).`, res.status);
  if (json === undefined) {
    throw new ConnectorError(`Prometheus at ${origin} answered HTTP ${res.status} with a body that is not JSON; is the URL the Prometheus base URL (without /api/v1)?`, res.status);
  }
  const ok = Success.safeParse(json);
  if (!ok.success || res.status >= 400) throw new ConnectorError(`Prometheus at ${origin} answered HTTP ${res.status} with an unexpected body.`, res.status);
  const { resultType, result } = ok.data.data;
  if (resultType !== 'vector') {
    throw new ConnectorError(`The query returned a ${resultType}, not an instant vector; use an instant query whose result has labels (e.g. "up" or "node_uname_info").`);
  }
  const samples = z.array(Sample).safeParse(result);
  if (!samples.success) throw new ConnectorError('Prometheus returned a vector in an unexpected shape.');
  return { samples: samples.data, warnings: [...(ok.data.warnings ?? []), ...(ok.data.infos ?? [])] };
}
