import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { writeTransaction } from '../db/transaction.js';
import type { Role } from '../domain/roles.js';

export { ROLES, type Role } from '../domain/roles.js';

/** Who is acting: a logged-in user, or the system (CLI, scheduler) with a label. */
export interface Actor {
  userId: number | null;
  username: string | null;
  role: Role;
  /** The user must choose a new password first: every route but the password change and logout refuses (access.ts). */
  mustChangePassword?: boolean;
}

export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system', role: 'superuser' };

export interface ServiceContext {
  db: Db;
  actor: Actor;
}

/** Runs fn in a write transaction, reusing the one in ctx if it already is one (see writeTransaction). */
export async function inTransaction<T>(db: Db, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return writeTransaction(db, fn);
}

/** Normalises a driver boolean (SQLite 0/1, PostgreSQL true/false). */
export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}
