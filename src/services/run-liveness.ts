import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Db } from '../db/connection.js';
import { formatTimestamp, parseTimestamp } from '../domain/time.js';

/** This process as import_runs.instance_id names it: host, pid and a random part (pids are reused). */
export const INSTANCE_ID = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** How often a process renews the heartbeat of its runs in progress. */
export const HEARTBEAT_MS = 15_000;
/**
 * A run on another host is taken for dead when its heartbeat is this old. SQLite runs share one
 * host (one file), where the pid answers sooner; on SQLite a heartbeat may also wait for the
 * run's own apply to commit, so this stays well above the longest apply.
 */
export const STALE_MS = 2 * 60_000;
/** On this host a live pid still counts as gone after this long without a heartbeat (a reused pid). */
const SAME_HOST_STALE_MS = 30 * 60_000;

interface RunningRow {
  id: number;
  mode: string;
  instance_id: string | null;
  heartbeat_at: string | null;
  started_at: string;
}

/** True when the process named by the row may still be working on it. */
export function ownerAlive(row: Pick<RunningRow, 'instance_id' | 'heartbeat_at' | 'started_at'>, now = Date.now()): boolean {
  if (row.instance_id === INSTANCE_ID) return true;
  const last = parseTimestamp(row.heartbeat_at ?? row.started_at)?.getTime() ?? 0;
  const age = now - last;
  const m = /^(.*):(\d+):([0-9a-f]+)$/.exec(row.instance_id ?? '');
  if (!m || m[1] !== os.hostname()) return age < STALE_MS;
  const pid = Number(m[2]);
  // Our own pid under another random part: the process before a restart (a container's pid 1).
  if (pid === process.pid) return false;
  return pidAlive(pid) && age < SAME_HOST_STALE_MS;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Renews the heartbeat of runs this process is working on. */
export async function heartbeat(db: Db, runIds: readonly number[]): Promise<void> {
  if (runIds.length === 0) return;
  await db('import_runs').whereIn('id', runIds).where('status', 'running').update({ heartbeat_at: formatTimestamp() });
}

/**
 * Marks runs whose process is gone as interrupted, with a message and a log line saying so (the
 * panel's run history and the connector's last status show it). Whether an interrupted apply was
 * written is read from the audit log: the IMPORT_RUN entry commits with the apply or not at all.
 * Returns the ids it marked.
 */
export async function reapStaleRuns(db: Db, now = Date.now()): Promise<number[]> {
  const rows = (await db('import_runs').where('status', 'running').select('id', 'mode', 'instance_id', 'heartbeat_at', 'started_at')) as RunningRow[];
  const reaped: number[] = [];
  for (const row of rows) {
    if (ownerAlive(row, now)) continue;
    const id = Number(row.id);
    const committed = row.mode === 'apply' && (await db('audit_log').where({ target_type: 'IMPORT_RUN', target_id: id }).first('id')) !== undefined;
    const who = row.instance_id ? `the process running it (${row.instance_id})` : 'the process running it';
    const outcome = committed ? 'its apply had been committed (see the audit log), but its counts were not recorded' : row.mode === 'apply' ? 'nothing was written (an apply is all-or-nothing)' : 'it was a dry-run, which writes nothing';
    const message = `Interrupted: ${who} stopped before the run finished; ${outcome}.`;
    const at = formatTimestamp(new Date(now));
    const changed = await db('import_runs').where({ id, status: 'running' }).update({ status: 'interrupted', error: message, finished_at: at });
    if (!changed) continue;
    await db('import_run_logs').insert({ run_id: id, level: 'error', message, at });
    reaped.push(id);
  }
  return reaped;
}
