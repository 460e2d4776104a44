import type { Db } from '../../db/connection.js';
import { bulkInsert } from '../../db/helpers/bulk-write.js';
import type { FieldChange } from '../../domain/changes.js';
import { diffSnapshots, historyText } from '../../domain/devices/history.js';
import { formatTimestamp } from '../../domain/time.js';
import { countOf } from '../rows.js';
import { parseInput } from '../validate.js';
import { HistoryQuerySchema, type HistoryQuery } from './schemas.js';
import type { DeviceChange } from './wire.js';

/** Who made a change: a person (username), or a sync run of a source. */
export interface ChangeAuthor {
  changedBy: string | null;
  runId: number | null;
  source: string | null;
}

/** Rows for the differences between two snapshots of one device; none when nothing changed. */
export function changeRows(deviceId: number, before: Record<string, unknown>, after: Record<string, unknown>, by: ChangeAuthor, at = formatTimestamp()): Record<string, unknown>[] {
  return diffSnapshots(before, after).map((c) => ({
    device_id: deviceId,
    run_id: by.runId,
    source: by.source,
    field: c.field,
    old_value: c.old,
    new_value: c.new,
    changed_at: at,
    changed_by: by.changedBy,
  }));
}

/** The one row a new device gets (by a person, or by the run that first reported it). */
export function createdRow(deviceId: number, by: ChangeAuthor, at = formatTimestamp()): Record<string, unknown> {
  return { device_id: deviceId, run_id: by.runId, source: by.source, field: 'device', old_value: null, new_value: 'created', changed_at: at, changed_by: by.changedBy };
}

/** History rows of a change described as audit field diffs (the /hosts surface's edits). */
export function fieldChangeRows(deviceId: number, changes: readonly FieldChange[], by: ChangeAuthor, at = formatTimestamp()): Record<string, unknown>[] {
  return changes.map((c) => ({ device_id: deviceId, run_id: by.runId, source: by.source, field: c.field, old_value: historyText(c.before), new_value: historyText(c.after), changed_at: at, changed_by: by.changedBy }));
}

export async function writeChanges(db: Db, rows: Record<string, unknown>[]): Promise<number> {
  if (rows.length > 0) await bulkInsert(db, 'device_changes', rows);
  return rows.length;
}

/** History newest first: per device, per run, or since a time ("changed in the last 24 h": since_hours=24). */
export async function listChanges(db: Db, query: HistoryQuery): Promise<{ items: DeviceChange[]; total: number }> {
  const f = parseInput(HistoryQuerySchema, query, 'query');
  const since = f.since ?? (f.since_hours ? formatTimestamp(new Date(Date.now() - f.since_hours * 3_600_000)) : undefined);
  const filtered = () => {
    const q = db('device_changes as c');
    if (f.device_id) q.where('c.device_id', f.device_id);
    if (f.run_id) q.where('c.run_id', f.run_id);
    if (since) q.where('c.changed_at', '>=', since);
    if (f.field) q.where('c.field', f.field);
    if (f.changed_by) q.where('c.changed_by', f.changed_by);
    return q;
  };
  const rows = (await filtered()
    .join('hosts as h', 'h.id', 'c.device_id')
    .select('c.*', 'h.name as device_name')
    // By time when a time bounds it, so the changed_at index gives the rows in page order.
    .orderBy(since ? [{ column: 'c.changed_at', order: 'desc' }, { column: 'c.id', order: 'desc' }] : [{ column: 'c.id', order: 'desc' }])
    .limit(f.limit)
    .offset(f.offset)) as Record<string, unknown>[];
  const items = rows.map((r) => ({
    id: Number(r.id),
    device_id: Number(r.device_id),
    device_name: String(r.device_name),
    run_id: r.run_id == null ? null : Number(r.run_id),
    source: (r.source as string | null) ?? null,
    field: String(r.field),
    old_value: (r.old_value as string | null) ?? null,
    new_value: (r.new_value as string | null) ?? null,
    changed_at: String(r.changed_at),
    changed_by: (r.changed_by as string | null) ?? null,
  }));
  return { items, total: await countOf(filtered()) };
}
