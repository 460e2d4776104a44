import { isUtf8 } from 'node:buffer';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { ValidationError, type FieldIssue } from '../domain/errors.js';
import { JSON_TOO_DEEP_MESSAGE, jsonTooDeep } from '../domain/json-depth.js';

/** JSON bodies for the API routers only (AdminJS must not sit behind a JSON parser): objects/arrays, UTF-8, size-capped, nesting-capped. */
export function jsonBody(limit = '2mb'): RequestHandler {
  return express.json({
    limit,
    strict: true,
    verify: (_req, _res, buf) => {
      if (!isUtf8(buf)) throw Object.assign(new Error('Request body is not valid UTF-8.'), { status: 400, type: 'encoding.invalid' });
      // Checked before parsing: deep nesting would overflow the recursive walks that follow (500).
      if (jsonTooDeep(buf)) throw Object.assign(new Error(JSON_TOO_DEEP_MESSAGE), { status: 400, type: 'entity.too.deep' });
    },
  });
}

/** An unpaired UTF-16 surrogate ("\ud800" in JSON): no UTF-8 text can hold it. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Refuses NUL characters anywhere in the body or query (PostgreSQL cannot store them in text;
 * no field needs one), and unpaired surrogates (SQLite would store them as invalid UTF-8 that
 * every later read and export carries): 422 naming the field, instead of a driver error.
 */
export const rejectNulChars: RequestHandler = (req, _res, next) => {
  const issues: FieldIssue[] = [];
  const walk = (value: unknown, loc: (string | number)[]): void => {
    if (issues.length > 0) return;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) issues.push({ loc, msg: 'must not contain NUL characters', type: 'value_error' });
      else if (LONE_SURROGATE.test(value)) issues.push({ loc, msg: 'must be valid Unicode text (it holds an unpaired surrogate)', type: 'value_error' });
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...loc, i]));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        walk(k, loc);
        walk(v, [...loc, k]);
      }
    }
  };
  walk(req.query, ['query']);
  walk(req.body, ['body']);
  next(issues.length ? new ValidationError(issues) : undefined);
};

/**
 * A database id in a path: decimal digits only (Number() would also read `0x10`, `1e1` or ` 5`),
 * positive and within a 32-bit integer column. Every route that takes an id in its path uses this.
 */
export const PathIdSchema = z
  .string()
  .regex(/^[0-9]{1,10}$/, 'must be a positive integer id (decimal digits)')
  .transform(Number)
  .pipe(z.number().min(1, 'must be a positive integer id').max(2_147_483_647, 'must be a positive integer id'));

/** A positive integer path parameter (fits the database's integer ids), else 422 naming it. */
export function idParam(req: Request, name = 'id'): number {
  const r = PathIdSchema.safeParse(req.params[name]);
  if (!r.success) throw new ValidationError([{ loc: ['path', name], msg: 'must be a positive integer id', type: 'int_parsing' }]);
  return r.data;
}

/** A string path parameter (Express decodes %xx; a bad escape is answered 400 before we get here). */
export function textParam(req: Request, name: string): string {
  const v = req.params[name];
  return typeof v === 'string' ? v : '';
}

/** X-Total-Count and an RFC 8288 Link header (first/prev/next/last) for a page of a list. */
export function setPageHeaders(req: Request, res: Response, page: { total: number; limit: number; offset: number; exact?: boolean }): void {
  const { total, limit, offset } = page;
  res.setHeader('X-Total-Count', String(total));
  // Text/tag searches with very many matches stop counting at a cap: the total is then a lower bound.
  if (page.exact === false) res.setHeader('X-Total-Count-Exact', 'false');
  const url = new URL(req.originalUrl, 'http://local');
  const at = (o: number): string => {
    url.searchParams.set('limit', String(limit));
    url.searchParams.set('offset', String(Math.max(0, o)));
    return `${url.pathname}${url.search}`;
  };
  const links = [`<${at(0)}>; rel="first"`];
  if (offset > 0) links.push(`<${at(offset - limit)}>; rel="prev"`);
  if (offset + limit < total || page.exact === false) links.push(`<${at(offset + limit)}>; rel="next"`);
  if (page.exact !== false) links.push(`<${at(total === 0 ? 0 : Math.floor((total - 1) / limit) * limit)}>; rel="last"`);
  res.setHeader('Link', links.join(', '));
}

/**
 * Streams `[item, item, …]` from batches, honouring backpressure; stops quietly when the client
 * goes away. Errors after the first byte end the response (the status is already sent).
 */
export async function streamJsonArray(res: Response, batches: AsyncIterable<unknown[]>, status = 200): Promise<void> {
  res.status(status).type('application/json');
  let first = true;
  let closed = false;
  res.on('close', () => (closed = true));
  res.write('[');
  try {
    for await (const batch of batches) {
      if (closed) return;
      let chunk = '';
      for (const item of batch) {
        chunk += (first ? '' : ',') + JSON.stringify(item);
        first = false;
      }
      if (chunk && !res.write(chunk)) await drained(res);
    }
    res.end(']');
  } catch (err) {
    console.error('streamed list failed:', err);
    res.destroy(err as Error);
  }
}

/** Resolves when the response can take more data (or the client is gone); leaves no listeners behind. */
export function drained(res: Response): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** True when the query string has the key (even empty). */
export function hasQuery(req: Request, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(req.query, key);
}
