import express, { type Request, type RequestHandler } from 'express';
import multer from 'multer';
import { AppError, TooManyRequestsError } from '../domain/errors.js';
import type { AppDeps } from '../http/deps.js';

/** What an upload route takes instead of a JSON body. */
export interface UploadSpec {
  /** Raw (non-multipart) body types accepted; anything else is 415. */
  types: readonly string[];
  /** Files one multipart request may carry. */
  maxFiles: number;
  /** At most this many of the route's requests run at once on this instance (read once per app). */
  concurrency?: () => number;
}

class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'too_large';
}

class UnsupportedType extends AppError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
}

export class BadUpload extends AppError {
  readonly status = 400;
  readonly code = 'bad_upload';
}

/**
 * Multipart (any field names; files in req.files, fields in req.body) or a raw body (a Buffer in
 * req.body), both capped at IPOCKET_MAX_UPLOAD_MB; size errors become 413 with the original's message.
 */
export function uploadBody(deps: AppDeps, spec: UploadSpec): RequestHandler {
  const cap = deps.config.maxUploadBytes;
  // The original's wording, in bytes: clients match on it (and "0 MB" said nothing for small caps).
  const tooLarge = (): PayloadTooLargeError => new PayloadTooLargeError(`Uploaded file exceeds maximum size of ${cap} bytes.`);
  const multipart = multer({ storage: multer.memoryStorage(), limits: { fileSize: cap, files: spec.maxFiles, fields: 50, fieldSize: 64 * 1024 } }).any();
  const raw = express.raw({ type: () => true, limit: cap });
  const types = [...spec.types];
  return (req, res, next) => {
    const declared = Number(req.get('content-length') ?? 0);
    // Multipart framing adds a little; anything clearly over the cap is refused before reading it.
    if (declared > cap + 256 * 1024) {
      res.set('Connection', 'close');
      return next(tooLarge());
    }
    // Only real upload types: a cross-site <form> can send text/plain or urlencoded bodies, never these raw ones.
    if (hasBody(req) && !req.is('multipart/form-data') && !req.is(types)) {
      return next(new UnsupportedType(`An import takes multipart/form-data or a raw body of type ${types.join(', ')}; got ${req.get('content-type') ?? 'none'}.`));
    }
    const handler = req.is('multipart/form-data') ? multipart : raw;
    handler(req, res, (err?: unknown) => {
      if (!err) return next();
      const e = err as { code?: string; type?: string; message?: string };
      if (e.code === 'LIMIT_FILE_SIZE' || e.type === 'entity.too.large') return next(tooLarge());
      if (e.code === 'LIMIT_FILE_COUNT') return next(new PayloadTooLargeError(`At most ${spec.maxFiles} files per import.`));
      if (err instanceof multer.MulterError) return next(new BadUpload(`Upload refused: ${e.message}`));
      next(err);
    });
  };
}

/** As body-parser decides: a Transfer-Encoding, or a Content-Length other than 0. */
function hasBody(req: Request): boolean {
  return req.get('transfer-encoding') !== undefined || (req.get('content-length') ?? '0') !== '0';
}

/**
 * At most `max` requests (each may take seconds of CPU and hundreds of MB) run at once on this
 * instance; the rest get 429 with Retry-After before their upload is read.
 */
export function concurrencyGate(max: number): RequestHandler {
  let running = 0;
  return (_req, res, next) => {
    if (running >= max) return next(new TooManyRequestsError(`${max} imports are already running on this instance; try again in a few seconds.`, 5));
    running++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      running--;
    };
    res.on('finish', release);
    res.on('close', release);
    next();
  };
}
