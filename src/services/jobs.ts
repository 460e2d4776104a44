import type { Db } from '../db/connection.js';
import { formatTimestamp } from '../domain/time.js';

export type JobStatus = 'succeeded' | 'failed';

/** A job's row as the runner reports it. Times are `YYYY-MM-DD HH:MM:SS` UTC; the lease is epoch ms. */
export interface JobRecord {
  name: string;
  running: boolean;
  locked_by: string | null;
  last_slot: number | null;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_status: JobStatus | null;
  last_error: string | null;
  last_result: string | null;
  last_duration_ms: number | null;
  runs: number;
  failures: number;
}

interface JobRow extends Omit<JobRecord, 'running' | 'last_slot'> {
  locked_until: number | string | null;
  last_slot: number | string | null;
}

/**
 * Who runs a registered job, agreed through the database (table `jobs`) so that several app
 * instances (on one PostgreSQL, or processes sharing one SQLite file) run each due slot once:
 * the claim is ONE conditional UPDATE, atomic on both databases, that succeeds for one caller.
 */
export class JobsService {
  constructor(private readonly db: Db) {}

  /**
   * Claims slot `slotMs` of job `name` for `owner`: true for exactly one caller per slot, and never
   * while another claim's lease (renewed by its heartbeat) has not run out, so a job never overlaps itself.
   */
  async claim(name: string, slotMs: number, owner: string, nowMs: number, leaseMs: number): Promise<boolean> {
    await this.db('jobs').insert({ name }).onConflict('name').ignore();
    const n = await this.db('jobs')
      .where({ name })
      .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<', nowMs))
      .where((q) => q.whereNull('last_slot').orWhere('last_slot', '<', slotMs))
      .update({ locked_until: nowMs + leaseMs, locked_by: owner, last_slot: slotMs, last_started_at: formatTimestamp(new Date(nowMs)) });
    return Number(n) === 1;
  }

  /** Extends the lease of a job that is still running (its heartbeat). */
  async renew(name: string, owner: string, untilMs: number): Promise<void> {
    await this.db('jobs').where({ name, locked_by: owner }).update({ locked_until: untilMs });
  }

  /** Releases the lease and records the outcome of the run. */
  async finish(name: string, owner: string, outcome: { status: JobStatus; error: string | null; result: string | null; durationMs: number; finishedAt: Date }): Promise<void> {
    await this.db('jobs')
      .where({ name, locked_by: owner })
      .update({
        locked_until: null,
        locked_by: null,
        last_status: outcome.status,
        last_error: outcome.error?.slice(0, 4000) ?? null,
        last_result: outcome.result?.slice(0, 4000) ?? null,
        last_duration_ms: Math.round(outcome.durationMs),
        last_finished_at: formatTimestamp(outcome.finishedAt),
        runs: this.db.raw('runs + 1'),
        failures: outcome.status === 'failed' ? this.db.raw('failures + 1') : this.db.raw('failures'),
      });
  }

  /** Every job that has been claimed at least once, by name. */
  async list(nowMs = Date.now()): Promise<JobRecord[]> {
    const rows = (await this.db('jobs').select('*').orderBy('name')) as JobRow[];
    return rows.map((r) => toRecord(r, nowMs));
  }

  async get(name: string, nowMs = Date.now()): Promise<JobRecord | null> {
    const row = (await this.db('jobs').where({ name }).first()) as JobRow | undefined;
    return row ? toRecord(row, nowMs) : null;
  }
}

/** Driver numbers (pg answers bigint as text) as numbers; the lease as "running". */
function toRecord({ locked_until, last_slot, ...r }: JobRow, nowMs: number): JobRecord {
  return {
    ...r,
    running: locked_until !== null && Number(locked_until) >= nowMs,
    last_slot: last_slot === null ? null : Number(last_slot),
    last_duration_ms: r.last_duration_ms === null ? null : Number(r.last_duration_ms),
    runs: Number(r.runs),
    failures: Number(r.failures),
  };
}
