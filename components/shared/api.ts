/**
 * The panel's JSON client for our own REST API (same origin; the panel session cookie
 * authenticates). A 422 `{detail:[{loc:['body',field],msg}]}` becomes `fields` for inline errors.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    public readonly status: number,
    public readonly fields: Record<string, string> = {},
    /** The parsed error body (a 409 may carry what it conflicts with). */
    public readonly body: unknown = null,
  ) {
    super(message);
  }
}

export interface ApiResult<T> {
  data: T;
  headers: Headers;
}

type Issue = { loc?: (string | number)[]; msg?: string };

/** Maps a 422 detail array to {field: message}; the first message per field wins. */
export function fieldErrors(detail: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(detail)) return out;
  for (const issue of detail as Issue[]) {
    const loc = (issue.loc ?? []).filter((p) => p !== 'body' && p !== 'query');
    const field = loc.length ? String(loc[0]) : '_';
    if (!(field in out)) out[field] = issue.msg ?? 'is not valid';
  }
  return out;
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

export async function apiFetch<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<ApiResult<T>> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const text = res.status === 204 ? '' : await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const detail = (json as { detail?: unknown } | null)?.detail;
    if (res.status === 422) {
      const fields = fieldErrors(detail);
      throw new ApiError(Object.values(fields)[0] ?? 'Invalid input', 422, fields);
    }
    const message = typeof detail === 'string' ? detail : `Request failed (${res.status})`;
    throw new ApiError(message, res.status, {}, json);
  }
  return { data: json as T, headers: res.headers };
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiFetch<T>('GET', path, undefined, signal).then((r) => r.data),
  getWithHeaders: <T>(path: string, signal?: AbortSignal) => apiFetch<T>('GET', path, undefined, signal),
  post: <T>(path: string, body?: unknown) => apiFetch<T>('POST', path, body ?? {}).then((r) => r.data),
  patch: <T>(path: string, body: unknown) => apiFetch<T>('PATCH', path, body).then((r) => r.data),
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
