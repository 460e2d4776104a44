import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { ConflictError } from '../../domain/errors.js';
import { INSTANCE_ID } from '../run-liveness.js';

/** How long a holder keeps the lease without renewing it (it renews every third of it while it works). */
const LEASE_MS = 60_000;
const POLL_MS = 200;

/** Another instance (or connection) holds the NetBox sync lease: 409, saying who and what to do. */
export class NetBoxBusyError extends ConflictError {
  constructor(readonly holder: string) {
    super(`A NetBox sync is running on ${holder}; try again when it has finished (the NetBox Sync page shows the run).`);
  }
}

/**
 * The NetBox conversation lease (table netbox_sync_lease, one row): pushes, bulk syncs, imports
 * and resolutions hold it, so two instances on one database never both see "not in NetBox yet"
 * and create the same prefix or address twice. Taking it is ONE conditional UPDATE (atomic on
 * SQLite and PostgreSQL); a holder that dies stops renewing and the lease runs out.
 */
export async function underNetBoxLease<T>(db: Db, waitMs: number, fn: () => Promise<T>): Promise<T> {
  const owner = `${INSTANCE_ID}:${randomBytes(3).toString('hex')}`;
  const deadline = Date.now() + waitMs;
  await db('netbox_sync_lease').insert({ id: 1 }).onConflict('id').ignore();
  for (;;) {
    const now = Date.now();
    const n = await db('netbox_sync_lease')
      .where({ id: 1 })
      .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<', now))
      .update({ locked_by: owner, locked_until: now + LEASE_MS });
    if (Number(n) === 1) break;
    if (now >= deadline) {
      const row = (await db('netbox_sync_lease').where({ id: 1 }).first('locked_by')) as { locked_by: string | null } | undefined;
      throw new NetBoxBusyError(row?.locked_by ?? 'another instance');
    }
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, deadline - now))));
  }
  let renewing: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    renewing ??= db('netbox_sync_lease').where({ id: 1, locked_by: owner }).update({ locked_until: Date.now() + LEASE_MS }).catch(() => undefined).finally(() => (renewing = null));
  }, LEASE_MS / 3);
  timer.unref();
  try {
    return await fn();
  } finally {
    clearInterval(timer);
    await renewing;
    await db('netbox_sync_lease').where({ id: 1, locked_by: owner }).update({ locked_by: null, locked_until: null });
  }
}

/**
 * Claims the scheduled bulk sync of hour `slotMs` (epoch ms on the job runner's clock): true once
 * per hour across instances, and, after the app was down, once for the latest hour only.
 */
export async function claimHourlySync(db: Db, slotMs: number): Promise<boolean> {
  await db('netbox_sync_lease').insert({ id: 1 }).onConflict('id').ignore();
  const n = await db('netbox_sync_lease')
    .where({ id: 1 })
    .where((q) => q.whereNull('hourly_slot').orWhere('hourly_slot', '<', slotMs))
    .update({ hourly_slot: slotMs });
  return Number(n) === 1;
}
