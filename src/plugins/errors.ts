import { AppError } from '../domain/errors.js';

/** The input cannot be read at all (not a bundle, wrong schema_version, DOCTYPE, truncated zip): 400 with a message. */
export class ImportInputError extends AppError {
  readonly status = 400;
  readonly code = 'invalid_import';
  constructor(readonly reason: string, readonly location?: string) {
    super(location ? `${location}: ${reason}` : reason);
  }
}

/**
 * Input refused for safety rather than unreadable (JSON nesting past the cap): stays a 400 even
 * on the endpoints that answer unreadable files with 200 and `errors`, as the original does.
 */
export class InputRefusedError extends AppError {
  readonly status = 400;
  readonly code = 'input_refused';
  constructor(message: string, readonly location?: string) {
    super(location ? `${location}: ${message}` : message);
  }
}

/** The input is larger than a configured limit (rows, zip entries, uncompressed bytes): 413. */
export class ImportLimitError extends AppError {
  readonly status = 413;
  readonly code = 'too_large';
  constructor(message: string) {
    super(message);
  }
}

/** No plugin of that name. */
export class UnknownPluginError extends AppError {
  readonly status = 404;
  readonly code = 'unknown_plugin';
  constructor(readonly pluginName: string) {
    super(`No importer or connector named "${pluginName}".`);
  }
}

/** The request carries no input at all (no file): 400, before any run (the original answers so too). */
export class NoInputError extends AppError {
  readonly status = 400;
  readonly code = 'no_input';
}

/** A run cut short by a shutdown: 503, try again later (on another instance, or after the restart). */
export class RunInterruptedError extends AppError {
  readonly status = 503;
  readonly code = 'interrupted';
  readonly retryAfterSeconds = 10;
  constructor(message: string) {
    super(message);
  }
}
