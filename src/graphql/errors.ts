import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { isLockTimeout } from '../db/errors.js';
import { AppError, ConflictError, ServiceUnavailableError, ValidationError } from '../domain/errors.js';

/** The AppError behind a resolver failure, or a driver error we know to be the caller's or the load's. */
function appErrorOf(error: unknown): AppError | null {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof AppError) return original;
  if (isLockTimeout(original)) return new ServiceUnavailableError();
  // PostgreSQL data exceptions (class 22: a number out of range, bad text) are bad input, as on REST.
  const code = (original as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return new ValidationError([{ loc: ['args'], msg: 'A value is out of range or not valid text.', type: 'value_error' }]);
  return null;
}

/**
 * What a client sees of a failure: our AppErrors keep their message and carry their code
 * (`extensions.code`: validation_error, not_found, conflict, unauthorized, forbidden, …), the HTTP
 * status REST would answer, and the field issues of a validation error; GraphQL's own errors
 * (syntax, validation, limits) pass as they are; anything else is logged and masked.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const app = appErrorOf(error);
  if (!app) {
    if (!(error instanceof GraphQLError) || error.originalError) console.error('GraphQL resolver failed:', error);
    return yogaMaskError(error, message, isDev);
  }
  const located = error instanceof GraphQLError ? error : undefined;
  const extensions: Record<string, unknown> = { code: app.code, status: app.status };
  if (app instanceof ValidationError) extensions.issues = app.issues;
  if (app instanceof ConflictError && app.extra) Object.assign(extensions, app.extra);
  const retry = (app as { retryAfterSeconds?: number }).retryAfterSeconds;
  if (typeof retry === 'number') extensions.retryAfterSeconds = retry;
  return new GraphQLError(app.message, { nodes: located?.nodes, source: located?.source, positions: located?.positions, path: located?.path, extensions });
}
