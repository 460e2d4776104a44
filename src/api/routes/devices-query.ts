import type { Request, Response } from 'express';
import { setPageHeaders } from '../http.js';

/**
 * The device list's query as the service reads it. Custom-field filters arrive as
 * `custom[<key>]=<value>` (the query parser keeps brackets in the key) and become `custom: {key: value}`;
 * repeated keys (`kind=vm&kind=server`) arrive as arrays, which the service's schema takes as is.
 */
export function deviceListQuery(req: Request, drop: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
    const m = /^custom\[(.+)\]$/.exec(key);
    if (m) custom[m[1]!] = value;
    else if (!drop.includes(key)) out[key] = value;
  }
  if (Object.keys(custom).length > 0) out.custom = custom;
  return out;
}

/**
 * A page as the device-side lists answer it: `{items, total}` with X-Total-Count and Link
 * (and X-Total-Count-Exact: false when the service stopped counting: `total_exact: false`).
 */
export function sendPage(req: Request, res: Response, page: { items: unknown[]; total: number; total_exact?: boolean } & Record<string, unknown>, q: { limit: number; offset: number }): void {
  setPageHeaders(req, res, { total: page.total, limit: q.limit, offset: q.offset, exact: page.total_exact });
  res.json(page);
}
