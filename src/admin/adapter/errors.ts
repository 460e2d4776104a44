import { ForbiddenError as AdminForbidden, NotFoundError as AdminNotFound, ValidationError as AdminValidation } from 'adminjs';
import { ConflictError, ForbiddenError, InvalidAddressError, NotFoundError, ValidationError } from '../../domain/errors.js';

type PropertyErrors = Record<string, { message: string; type?: string }>;

/**
 * Maps a service failure to what AdminJS shows: field errors next to the inputs (zod issues,
 * duplicates, bad addresses), a base error for the rest. Unknown errors pass through (500).
 */
export function toAdminError(err: unknown, known: ReadonlyMap<string, unknown>): unknown {
  if (err instanceof AdminValidation || err instanceof AdminForbidden) return err;
  if (err instanceof ValidationError) {
    const fields: PropertyErrors = {};
    const rest: string[] = [];
    for (const issue of err.issues) {
      const field = issue.loc[0] === 'body' || issue.loc[0] === 'query' ? issue.loc[1] : issue.loc[0];
      if (typeof field === 'string' && known.has(field) && !fields[field]) fields[field] = { message: issue.msg, type: issue.type };
      else rest.push(typeof field === 'string' ? `${field}: ${issue.msg}` : issue.msg);
    }
    return new AdminValidation(fields, rest.length ? { message: rest.join('; '), type: 'validation' } : { message: 'Please correct the fields marked below.', type: 'validation' });
  }
  if (err instanceof InvalidAddressError) return new AdminValidation({ [err.field]: { message: err.message } }, { message: err.message });
  if (err instanceof ConflictError) {
    return err.field && known.has(err.field)
      ? new AdminValidation({ [err.field]: { message: err.message, type: 'conflict' } }, { message: err.message, type: 'conflict' })
      : new AdminValidation({}, { message: err.message, type: 'conflict' });
  }
  if (err instanceof NotFoundError) return new AdminNotFound(err.message, 'KnexResource');
  if (err instanceof ForbiddenError) return new AdminForbidden(err.message);
  return err;
}

/**
 * The HTTP status of an action's answer that AdminJS turned into a notice: its action error handler
 * answers a ForbiddenError or NotFoundError (ours arrive as those, see toAdminError) with 200 and
 * marks the record's baseError. Refusals answer 403 whatever the method (as the role gate before
 * the handler does), so monitoring and API clients see them. A missing record answers 404 to a
 * change (POST); a GET keeps AdminJS's 200, which the panel's record pages need to show "not found".
 */
export function refusalStatus(out: unknown, method: string): 403 | 404 | null {
  const type = (out as { record?: { baseError?: { type?: unknown } | null } } | null)?.record?.baseError?.type;
  if (type === 'ForbiddenError') return 403;
  if (type === 'NotFoundError' && method !== 'GET' && method !== 'HEAD') return 404;
  return null;
}
