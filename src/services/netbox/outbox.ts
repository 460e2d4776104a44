import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { formatTimestamp } from '../../domain/time.js';

export type OutboxEntity = 'pool' | 'reservation';

export interface OutboxRow {
  id: number;
  entity: OutboxEntity;
  entity_id: number;
  netbox_id: number | null;
  seq: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  enqueued_at: string;
}

/**
 * Whether a NetBox connection is saved, per database, so that a pool or reservation write does not
 * ask each time. A "yes" is kept until this process changes a connector configuration: queueing
 * while the connection was just removed elsewhere costs an outbox row that waits (harmless). A "no"
 * is kept only `NO_TTL_MS`: another instance may save the first connection meanwhile, and a write
 * here in that window is not queued; it is not lost, since the bulk sync (hourly, and once on start
 * when its slot was missed) pushes every pool and live reservation NetBox lacks. A version counter
 * in the database would close that window but costs the same round trip per write we save here.
 */
const NO_TTL_MS = 5000;
const configured = new WeakMap<object, { yes: boolean; at: number; generation: number }>();
let generation = 0;

/** The cache key: a transaction shares its database's client config. */
const keyOf = (db: Knex.Transaction | Db): object => db.client.config as object;

async function netboxConfigured(db: Knex.Transaction | Db, nowMs = Date.now()): Promise<boolean> {
  const key = keyOf(db);
  const known = configured.get(key);
  if (known && known.generation === generation && (known.yes || nowMs - known.at < NO_TTL_MS)) return known.yes;
  const asked = generation;
  const yes = (await db('connector_configs').where({ plugin: 'netbox' }).first('id')) !== undefined;
  // A configuration changed while we asked: our answer may predate it, so it is not kept.
  if (asked === generation) configured.set(key, { yes, at: nowMs, generation });
  return yes;
}

/** A connector configuration was saved or removed here (called after its commit): ask again. */
export function forgetNetBoxConfigured(): void {
  generation++;
}

/**
 * Queues pushes of pools or reservations to NetBox, inside the caller's transaction (the one
 * that made the change): the push commits with the change or not at all. A row already queued
 * for the same record gets its `seq` bumped and is due at once; the push sends the record's
 * state at send time, so N changes before a send cost one push. `netboxId` is for deletes.
 */
export async function enqueueNetBoxPush(trx: Knex.Transaction | Db, entity: OutboxEntity, ids: readonly number[], netboxId: number | null = null): Promise<void> {
  if (ids.length === 0 || !(await netboxConfigured(trx))) return;
  const now = formatTimestamp();
  for (let i = 0; i < ids.length; i += 500) {
    await trx('netbox_outbox')
      .insert(ids.slice(i, i + 500).map((id) => ({ entity, entity_id: id, netbox_id: netboxId, seq: 1, attempts: 0, next_attempt_at: 0, enqueued_at: now })))
      .onConflict(['entity', 'entity_id'])
      .merge({ seq: trx.raw('netbox_outbox.seq + 1'), next_attempt_at: 0, ...(netboxId !== null ? { netbox_id: netboxId } : {}) });
  }
}

/** Backoff of a failed push: 5 s, 10 s, 20 s … capped at 10 minutes (or NetBox's Retry-After when longer). */
export function nextAttemptDelayMs(attempts: number, retryAfterMs?: number): number {
  return Math.max(Math.min(5000 * 2 ** Math.max(0, attempts - 1), 600_000), retryAfterMs ?? 0);
}

/** The queue as the push job and the status page see it. */
export class NetBoxOutbox {
  constructor(private readonly db: Db) {}

  /** Rows due at `nowMs`, oldest first. */
  async due(nowMs: number, limit = 200): Promise<OutboxRow[]> {
    const rows = (await this.db('netbox_outbox').where('next_attempt_at', '<=', nowMs).orderBy('id').limit(limit)) as OutboxRow[];
    return rows.map((r) => ({ ...r, id: Number(r.id), entity_id: Number(r.entity_id), seq: Number(r.seq), attempts: Number(r.attempts), next_attempt_at: Number(r.next_attempt_at), netbox_id: r.netbox_id === null ? null : Number(r.netbox_id) }));
  }

  /** Sent: removed, unless the record changed again meanwhile (then it stays queued for the newer state). */
  async sent(row: OutboxRow): Promise<void> {
    await this.db('netbox_outbox').where({ id: row.id, seq: row.seq }).delete();
  }

  async failed(row: OutboxRow, error: string, nowMs: number, retryAfterMs?: number): Promise<void> {
    const attempts = row.attempts + 1;
    await this.db('netbox_outbox').where({ id: row.id }).update({ attempts, last_error: error.slice(0, 2000), next_attempt_at: nowMs + nextAttemptDelayMs(attempts, retryAfterMs) });
  }

  async summary(): Promise<{ pending: number; failing: number; last_error: string | null }> {
    const [c] = (await this.db('netbox_outbox').select(this.db.raw('COUNT(*) as n'), this.db.raw('SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END) as f'))) as { n: number | string; f: number | string | null }[];
    const last = (await this.db('netbox_outbox').whereNotNull('last_error').orderBy('id', 'desc').first('last_error')) as { last_error: string } | undefined;
    return { pending: Number(c?.n ?? 0), failing: Number(c?.f ?? 0), last_error: last?.last_error ?? null };
  }
}
