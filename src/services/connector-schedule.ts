import { formatTimestamp } from '../domain/time.js';
import type { Db } from '../db/connection.js';
import type { ConfigRow } from './connector-configs.js';

/**
 * Who runs a connector configuration, agreed through the database so that several app instances
 * (on one PostgreSQL, or processes sharing one SQLite file) never run the same job twice:
 * each claim is ONE conditional UPDATE, atomic on both databases, and succeeds for one caller only.
 * Times are epoch milliseconds.
 */
export class ConnectorScheduleService {
  constructor(private readonly db: Db) {}

  /** Enabled configurations with a cron expression. */
  async scheduled(): Promise<ConfigRow[]> {
    return (await this.db('connector_configs').where('enabled', true).whereNotNull('cron').select('*')) as ConfigRow[];
  }

  /**
   * Claims the scheduled slot `slotMs` (the cron fire time) of a configuration: true for exactly
   * one caller per slot, and never while a run of it holds the lease (a run never overlaps itself).
   */
  async claimSlot(id: number, slotMs: number, owner: string, nowMs: number, leaseMs: number): Promise<boolean> {
    const n = await this.db('connector_configs')
      .where({ id })
      .where('enabled', true)
      .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<', nowMs))
      .where((q) => q.whereNull('last_slot').orWhere('last_slot', '<', slotMs))
      .update({ locked_until: nowMs + leaseMs, locked_by: owner, last_slot: slotMs });
    return Number(n) === 1;
  }

  /** Claims a configuration for a run started by hand (no slot); false while another run holds it. */
  async claimManual(id: number, owner: string, nowMs: number, leaseMs: number): Promise<boolean> {
    const n = await this.db('connector_configs')
      .where({ id })
      .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<', nowMs))
      .update({ locked_until: nowMs + leaseMs, locked_by: owner });
    return Number(n) === 1;
  }

  /** Extends the lease of a long run. */
  async heartbeat(id: number, owner: string, untilMs: number): Promise<void> {
    await this.db('connector_configs').where({ id, locked_by: owner }).update({ locked_until: untilMs });
  }

  /** Releases the lease and records the outcome. */
  async release(id: number, owner: string, outcome: { runId: number | null; status: string; error: string | null }): Promise<void> {
    await this.db('connector_configs')
      .where({ id, locked_by: owner })
      .update({ locked_until: null, locked_by: null, last_run_id: outcome.runId, last_status: outcome.status, last_error: outcome.error?.slice(0, 4000) ?? null, last_run_at: formatTimestamp() });
  }

  /** Tags a run with the configuration that started it (run history per configuration). */
  async linkRun(id: number, runId: number): Promise<void> {
    await this.db('import_runs').where({ id: runId }).update({ config_id: id });
  }
}
