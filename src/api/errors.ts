import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isLockTimeout } from '../db/errors.js';
import { AppError, ConflictError, InvalidAddressError, PasswordChangeRequiredError, ServiceUnavailableError, UnauthorizedError, UnresolvedReferenceError, ValidationError } from '../domain/errors.js';

/**
 * One error shape for the whole API, as the original answers:
 * 401 {"detail":"Unauthorized"}, 422 {"detail":[{loc,msg,type}]} (an unknown host/project/vendor id:
 * 422 {"detail":"Host not found."}), others {"detail": message}.
 * Anything unexpected is logged and answered 500 without internals.
 */
export const apiErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) return;
  if (err instanceof UnresolvedReferenceError) return void res.status(422).json({ detail: err.detail });
  if (err instanceof ValidationError) return void res.status(422).json({ detail: err.issues });
  if (err instanceof UnauthorizedError) return void res.status(401).json({ detail: 'Unauthorized' });
  if (err instanceof InvalidAddressError) return void res.status(400).json({ detail: err.message });
  // A lock wait that ran out outside a service transaction (which already turns it into a 503).
  if (isLockTimeout(err)) err = new ServiceUnavailableError();
  if (err instanceof AppError) {
    const retry = (err as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (typeof retry === 'number') res.setHeader('Retry-After', String(retry));
    const extra = err instanceof ConflictError || err instanceof PasswordChangeRequiredError ? err.extra : undefined;
    return void res.status(err.status).json({ ...extra, detail: err.message });
  }
  const e = err as { type?: string; status?: number; message?: string };
  // body-parser failures: malformed JSON, wrong charset, too large.
  if (e.type === 'entity.too.large') return void res.status(413).json({ detail: 'Request body is too large.' });
  if (e.type === 'entity.parse.failed') return void res.status(400).json({ detail: 'Malformed JSON body.' });
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') return void res.status(415).json({ detail: e.message });
  // PostgreSQL data exceptions (class 22: number out of range, bad text encoding, …) are bad input, not our fault.
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) {
    return void res.status(422).json({ detail: [{ loc: ['body'], msg: 'A value is out of range or not valid text.', type: 'value_error' }] });
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return void res.status(e.status).json({ detail: e.message ?? 'Bad request' });
  console.error(`${req.method} ${req.originalUrl} failed:`, err);
  res.status(500).json({ detail: 'Internal server error' });
};

/** Paths no route answers: the API's JSON error shape (not Express's HTML page), with where to look. */
export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json({ detail: `No such endpoint: ${req.method} ${req.path}. The API is described at /docs and /openapi.json.` });
};
