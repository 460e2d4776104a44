import type { ConflictError} from '../domain/errors.js';
import { NotFoundError } from '../domain/errors.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/connection.js';

/** Inserts a row and returns its id; a unique violation becomes a 409 naming the field. */
export async function insertRow(db: Db, table: string, row: Record<string, unknown>, conflict: ConflictError): Promise<number> {
  try {
    const [inserted] = await db(table).insert(row).returning('id');
    return typeof inserted === 'object' ? Number((inserted as { id: number }).id) : Number(inserted);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict;
    throw err;
  }
}

/** Updates a row by id; a unique violation becomes the given 409. */
export async function updateRow(db: Db, table: string, id: number, patch: Record<string, unknown>, conflict: ConflictError): Promise<void> {
  try {
    await db(table).where({ id }).update(patch);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict;
    throw err;
  }
}

/** Fetches one row by id or throws NotFoundError. */
export async function requireRow<T>(db: Db, table: string, id: number, entity: string): Promise<T> {
  const row = await db(table).where({ id }).first();
  if (!row) throw new NotFoundError(entity, id);
  return row as T;
}

/** COUNT(*) of a query as a number on both databases. */
export async function countOf(query: { count: (arg: Record<string, string>) => unknown }): Promise<number> {
  const rows = (await (query.count({ n: '*' }) as unknown as Promise<{ n: number | string }[]>)) ?? [];
  return Number(rows[0]?.n ?? 0);
}
