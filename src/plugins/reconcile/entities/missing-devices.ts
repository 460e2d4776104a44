import type { Db } from '../../../db/connection.js';
import { bulkInsert, bulkUpdateById } from '../../../db/helpers/bulk-write.js';
import { missingState } from '../../../domain/devices/missing.js';
import type { DeviceRecord } from './devices-report.js';
import { defineEntity, type WriteContext } from '../core/contract.js';
import { SEEN_DEVICES, seenField, seenKey } from './missing-devices-keys.js';

/** One source a complete run covers (one record per source of the batch's devices). */
export interface MissingScope {
  loc: string;
  source: string;
  scope: string;
  archiveAfterDays: number | null;
  /** The source ids the run reports. */
  reported: ReadonlySet<string>;
}

interface ScopedFact {
  id: number;
  device_id: number;
  name: string;
  external_id: string;
  missing_since: string | null;
  last_seen_at: string;
}

interface MissingLoaded {
  rows: { id: number }[];
  facts: Map<string, ScopedFact[]>;
}

export interface MissingWrites {
  mark: { factId: number; deviceId: number; source: string; lastSeen: string; archiveAfterDays: number | null }[];
}

const scopeKey = (source: string, scope: string): string => `${source}\u0000${scope}`;
const CHUNK = 500;

/**
 * The devices a complete run no longer reports (netbox-sync's orphans): each such facts row of
 * the run's source and scope is marked missing (when, by which run, the archive delay), with a
 * history row; nothing is deleted. Planned after every device, so the devices this run matched
 * by serial, MAC or name count as reported. A run with errors, or one that reports no device of
 * a source, marks nothing: an empty answer is more likely a broken source than an empty one.
 */
export const missingDevices = defineEntity({
  entity: 'missing_devices',
  chunked: true,
  matchKeys: [],

  prepare(batch, ctx): MissingScope[] {
    const complete = batch.devicesComplete;
    if (!complete) return [];
    const bySource = new Map<string, Set<string>>();
    for (const r of (ctx.records.get('devices') ?? []) as DeviceRecord[]) {
      let ids = bySource.get(r.source);
      if (!ids) bySource.set(r.source, (ids = new Set()));
      ids.add(r.source_id);
    }
    if (bySource.size === 0) ctx.warn('devices', 'the run reported no devices: none is marked missing (check the source if it really has none)');
    const scope = complete.scope ?? batch.source;
    return [...bySource].map(([source, reported]) => ({ loc: `devices (${source}, complete run)`, source, scope, archiveAfterDays: complete.archiveAfterDays, reported }));
  },

  keysToLoad: (records: readonly MissingScope[]) => ({ scope: records.map((r) => scopeKey(r.source, r.scope)) }),

  async load(db: Db, keys): Promise<MissingLoaded> {
    const facts = new Map<string, ScopedFact[]>();
    for (const key of keys.scope ?? []) {
      const [source, scope] = key.split('\u0000') as [string, string];
      // The facts the scope's runs wrote, of live devices: a complete run's cost is its source's size anyway.
      const rows = (await db('device_facts as f')
        .join('import_runs as r', 'r.id', 'f.run_id')
        .join('hosts as h', 'h.id', 'f.device_id')
        .where('f.source', source)
        .where('r.source', scope)
        .whereNull('h.archived_at')
        .select('f.id', 'f.device_id', 'h.name', 'f.external_id', 'f.missing_since', 'f.last_seen_at')
        .orderBy('f.id')) as ScopedFact[];
      facts.set(key, rows.map((r) => ({ ...r, id: Number(r.id), device_id: Number(r.device_id) })));
    }
    return { rows: [], facts };
  },

  plan(items, loaded, ctx): MissingWrites {
    const writes: MissingWrites = { mark: [] };
    if (ctx.hasErrors()) return writes;
    const seen = ctx.uses(SEEN_DEVICES);
    for (const { record: r } of items) {
      for (const f of loaded.facts.get(scopeKey(r.source, r.scope)) ?? []) {
        if (r.reported.has(f.external_id) || seen.has(seenKey(r.source, f.device_id))) continue;
        if (f.missing_since !== null) {
          ctx.record('missing_devices', f.name, r.loc, 'SKIP', []);
          continue;
        }
        writes.mark.push({ factId: f.id, deviceId: f.device_id, source: r.source, lastSeen: f.last_seen_at, archiveAfterDays: r.archiveAfterDays });
        ctx.record('missing_devices', f.name, r.loc, 'MISSING', [{ field: seenField(r.source), before: `last seen ${f.last_seen_at}`, after: 'missing' }]);
      }
    }
    return writes;
  },

  write: writeMissing,
});

/** Marks the rows, writes a history row each, then recomputes each device's missing summary from all its sources. */
async function writeMissing(w: MissingWrites, ctx: WriteContext): Promise<void> {
  if (w.mark.length === 0) return;
  const { trx, now } = ctx;
  const runId = ctx.history?.runId ?? null;
  await bulkUpdateById(
    trx,
    'device_facts',
    [{ name: 'missing_since', type: 'text' }, { name: 'missing_run_id', type: 'integer' }, { name: 'archive_after_days', type: 'integer' }],
    w.mark.map((m) => ({ id: m.factId, missing_since: now, missing_run_id: runId, archive_after_days: m.archiveAfterDays })),
  );
  await bulkInsert(
    trx,
    'device_changes',
    w.mark.map((m) => ({ device_id: m.deviceId, run_id: runId, source: m.source, field: seenField(m.source), old_value: `last seen ${m.lastSeen}`, new_value: 'missing', changed_at: now, changed_by: null })),
  );
  await refreshMissingSummary(trx, [...new Set(w.mark.map((m) => m.deviceId))]);
}

/** hosts.missing_since / archive_at of these devices, from their facts rows (domain/devices/missing.ts). */
export async function refreshMissingSummary(db: Db, deviceIds: readonly number[]): Promise<void> {
  for (let i = 0; i < deviceIds.length; i += CHUNK) {
    const part = deviceIds.slice(i, i + CHUNK);
    const rows = (await db('device_facts').whereIn('device_id', part).select('device_id', 'missing_since', 'archive_after_days')) as { device_id: number; missing_since: string | null; archive_after_days: number | null }[];
    const byDevice = new Map<number, { missing_since: string | null; archive_after_days: number | null }[]>();
    for (const r of rows) {
      const id = Number(r.device_id);
      let list = byDevice.get(id);
      if (!list) byDevice.set(id, (list = []));
      list.push({ missing_since: r.missing_since, archive_after_days: r.archive_after_days === null ? null : Number(r.archive_after_days) });
    }
    await bulkUpdateById(db, 'hosts', [{ name: 'missing_since', type: 'text' }, { name: 'archive_at', type: 'text' }], part.map((id) => ({ id, ...missingState(byDevice.get(id) ?? []) })));
  }
}
