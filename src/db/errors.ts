/** Driver error codes, per dialect, turned into questions the services can ask. */
interface DriverError {
  code?: string;
  constraint?: string;
  message?: string;
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as DriverError;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The database could not grant a lock in time: SQLite's busy_timeout ran out (another process
 * holds the write lock) or PostgreSQL's lock_timeout fired. Nothing was written: try again later.
 */
export function isLockTimeout(err: unknown): boolean {
  const code = (err as DriverError)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === '55P03');
}

/** PostgreSQL aborted the transaction to break a deadlock or a serialisation conflict: running it again is safe. */
export function isTransactionConflict(err: unknown): boolean {
  const code = (err as DriverError)?.code;
  return code === '40P01' || code === '40001';
}
