/**
 * An app instance's allocations in a process of its own (as a second server would be), on the
 * database in CHILD_DATABASE: fires every request of CHILD_PLAN at once through the real services
 * (the same ReservationsService the REST routes call) and prints one JSON line of outcomes.
 */
import { openDatabase } from '../../src/db/connection.js';
import type { AppError } from '../../src/domain/errors.js';
import type { AppConfig } from '../../src/config.js';
import { servicesFor } from '../helpers/services.js';

interface Request {
  pool_id?: number;
  group_name?: string;
  count?: number;
}

const database = JSON.parse(process.env.CHILD_DATABASE!) as AppConfig['database'];
const plan = JSON.parse(process.env.CHILD_PLAN!) as Request[];
const db = openDatabase(database);
const s = servicesFor(db);
const outcomes = await Promise.all(
  plan.map(async (r, i) => {
    try {
      const got = r.count
        ? await s.reservations.reserveBatch({ pool_id: r.pool_id!, subscriber_id: `${process.pid}-${i}`, count: r.count })
        : [await s.reservations.reserve({ ...(r.pool_id ? { pool_id: r.pool_id } : { group_name: r.group_name! }), subscriber_id: `${process.pid}-${i}` })];
      return { ok: true, addresses: got.map((g) => g.ip_address), pools: got.map((g) => g.pool_id) };
    } catch (err) {
      const e = err as AppError;
      return { ok: false, status: e.status ?? 500, message: e.message };
    }
  }),
);
process.stdout.write(JSON.stringify(outcomes) + '\n');
await db.destroy();
