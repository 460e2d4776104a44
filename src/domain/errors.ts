/** Typed failures shared by every layer; the HTTP and panel surfaces map them to answers. */

export interface FieldIssue {
  /** Path of the offending field, e.g. ["body", "ip_address"] or ["data", "ip_assets", 3, "host_name"]. */
  loc: (string | number)[];
  msg: string;
  type: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
}

/** Input that fails a rule; carries one issue per field. */
export class ValidationError extends AppError {
  readonly status = 422;
  readonly code = 'validation_error';
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; ') || 'Invalid input');
  }
  static field(field: string, msg: string, type = 'value_error'): ValidationError {
    return new ValidationError([{ loc: ['body', field], msg, type }]);
  }
}

/**
 * A reference to a row that does not exist (host_id, project_id, vendor_id). Still a field
 * issue for the panel; the API answers it as the original does, 422 with a plain-string
 * `detail` ("Host not found."), because clients of the original parse that string.
 */
export class UnresolvedReferenceError extends ValidationError {
  constructor(field: string, readonly detail: string, fieldMessage: string) {
    super([{ loc: ['body', field], msg: fieldMessage, type: 'value_error' }]);
  }
}

/** An address that does not parse; the original answers 400 "Invalid IP address." for it. */
export class InvalidAddressError extends AppError {
  readonly status = 400;
  readonly code = 'invalid_address';
  constructor(readonly input: string, readonly field = 'ip_address') {
    super('Invalid IP address.');
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(readonly entity: string, readonly key: string | number) {
    super(`${entity} ${key} not found.`);
  }
}

/** A unique name/address already taken, or a delete blocked by links. */
export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
  /** `extra`: fields sent beside `detail`, for a caller that can resolve the conflict (e.g. the archived record). */
  constructor(message: string, readonly field?: string, readonly extra?: Record<string, unknown>) {
    super(message);
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthorized';
  constructor(message = 'Unauthorized') {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(message = 'Forbidden') {
    super(message);
  }
}

/**
 * The user must choose a new password first (the generated first admin, a superuser's reset):
 * every route but the password change, /me and logout answers this, saying what to do.
 */
export class PasswordChangeRequiredError extends AppError {
  readonly status = 403;
  readonly code = 'password_change_required';
  readonly extra = { code: 'password_change_required', change_password: { method: 'PATCH', path: '/me/password', body: ['current_password', 'new_password'] } };
  constructor(message = 'You must change your password before using ipocket: send PATCH /me/password with current_password and new_password (in the panel: Change password).') {
    super(message);
  }
}

/** Too many attempts (failed logins); says when to try again. */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code = 'too_many_requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The database is locked by other work for longer than we wait; nothing was written. */
export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'service_unavailable';
  constructor(
    message = 'The database is busy with other work; nothing was changed. Try again shortly.',
    readonly retryAfterSeconds = 2,
  ) {
    super(message);
  }
}
