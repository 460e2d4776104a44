/**
 * The panel's one client for our own REST API: every component that calls the API goes
 * through `apiFetch`, so errors read the same on every page. Same origin, the panel session
 * cookie authenticates; the browser's `Sec-Fetch-Site: same-origin` is what the server's CSRF
 * check reads, so no token header is needed. A 422 `{detail:[{loc:['body',field],msg}]}` also
 * becomes `fields` for inline errors.
 */
export type Issue = { loc?: (string | number)[]; msg?: string };

export class ApiError extends Error {
  constructor(
    message: string,
    public readonly status: number,
    public readonly fields: Record<string, string> = {},
    /** The parsed error body (a 409 may carry what it conflicts with, a refused import its plan). */
    public readonly body: unknown = null,
    /** A 422's issues as the API sent them (loc paths such as body.options.<key>). */
    public readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

export interface ApiResult<T> {
  data: T;
  headers: Headers;
}

/** An issue's location without its `body`/`query` prefix: `['options', 'url']`. */
export const issuePath = (issue: Issue): string[] => (issue.loc ?? []).map(String).filter((p) => p !== 'body' && p !== 'query');

/** Maps a 422 detail array to {field: message}; the first message per field wins. */
export function fieldErrors(detail: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(detail)) return out;
  for (const issue of detail as Issue[]) {
    const field = issuePath(issue)[0] ?? '_';
    if (!(field in out)) out[field] = issue.msg ?? 'is not valid';
  }
  return out;
}

/**
 * The status line of a failed call, the same on every page: the API's `detail` message, its
 * issues as "field: message; …" (a form shows them inline too), else what the status means.
 */
function failureMessage(status: number, detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail) && detail.length) return (detail as Issue[]).map((d) => [issuePath(d).join('.'), d.msg ?? 'is not valid'].filter(Boolean).join(': ')).join('; ');
  return status === 413 ? 'The upload is too large.' : `Request failed (${status})`;
}

/**
 * A failed save as inline form errors: the 422 field messages; otherwise the message under
 * `conflictField` for a 409 (a duplicate), else under `fallbackField` (the form's general slot).
 */
export function formErrors(err: unknown, conflictField = '_', fallbackField = '_'): Record<string, string> {
  if (err instanceof ApiError && Object.keys(err.fields).length) return err.fields;
  const message = err instanceof Error ? err.message : String(err);
  return { [err instanceof ApiError && err.status === 409 ? conflictField : fallbackField]: message };
}

/** One call: a JSON body (or FormData for uploads, sent as multipart), the JSON answer or an ApiError. */
export async function apiFetch<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<ApiResult<T>> {
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined || form ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body),
    signal,
  });
  const text = res.status === 204 ? '' : await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: the status says enough.
    json = null;
  }
  if (!res.ok) {
    const detail = (json as { detail?: unknown } | null)?.detail;
    const issues = Array.isArray(detail) ? (detail as Issue[]) : [];
    throw new ApiError(failureMessage(res.status, detail), res.status, res.status === 422 ? fieldErrors(detail) : {}, json, issues);
  }
  return { data: json as T, headers: res.headers };
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiFetch<T>('GET', path, undefined, signal).then((r) => r.data),
  getWithHeaders: <T>(path: string, signal?: AbortSignal) => apiFetch<T>('GET', path, undefined, signal),
  post: <T>(path: string, body?: unknown) => apiFetch<T>('POST', path, body ?? {}).then((r) => r.data),
  patch: <T>(path: string, body: unknown) => apiFetch<T>('PATCH', path, body).then((r) => r.data),
  put: <T>(path: string, body: unknown) => apiFetch<T>('PUT', path, body).then((r) => r.data),
  del: (path: string) => apiFetch<null>('DELETE', path).then(() => undefined),
};

/** Query string from an object, skipping empty values; arrays become comma-separated. */
export function qs(params: Record<string, string | number | boolean | string[] | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '' || v === false) continue;
    if (Array.isArray(v)) {
      if (v.length) u.set(k, v.join(','));
    } else u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}
