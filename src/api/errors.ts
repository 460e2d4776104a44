import type { ErrorRequestHandler } from 'express';
import { AppError, InvalidAddressError, UnauthorizedError, ValidationError } from '../domain/errors.js';

/**
 * One error shape for the whole API, as the original answers:
 * 401 {"detail":"Unauthorized"}, 422 {"detail":[{loc,msg,type}]}, others {"detail": message}.
 * Anything unexpected is logged and answered 500 without internals.
 */
export const apiErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) return;
  if (err instanceof ValidationError) return void res.status(422).json({ detail: err.issues });
  if (err instanceof UnauthorizedError) return void res.status(401).json({ detail: 'Unauthorized' });
  if (err instanceof InvalidAddressError) return void res.status(400).json({ detail: err.message });
  if (err instanceof AppError) return void res.status(err.status).json({ detail: err.message });
  const e = err as { type?: string; status?: number; message?: string };
  // body-parser failures: malformed JSON, wrong charset, too large.
  if (e.type === 'entity.too.large') return void res.status(413).json({ detail: 'Request body is too large.' });
  if (e.type === 'entity.parse.failed') return void res.status(400).json({ detail: 'Malformed JSON body.' });
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') return void res.status(415).json({ detail: e.message });
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return void res.status(e.status).json({ detail: e.message ?? 'Bad request' });
  console.error(`${req.method} ${req.originalUrl} failed:`, err);
  res.status(500).json({ detail: 'Internal server error' });
};
