import type { Db } from '../../db/connection.js';
import { bulkInsert, selectIn } from '../../db/helpers/bulk-write.js';
import { disagreements, type SourceFacts } from '../../domain/devices/disagreements.js';

/**
 * Recomputes device_disagreements for these devices from their facts rows: called by every
 * writer of device_facts, in its transaction, after the chunk's facts are written. Writes only
 * what changed, so an unchanged re-sync writes nothing and a standing disagreement keeps the
 * time it was first detected.
 */
export async function refreshDisagreements(db: Db, deviceIds: readonly number[], now: string): Promise<void> {
  if (deviceIds.length === 0) return;
  const facts = await selectIn<{ device_id: number; source: string; fields: string }>(db, 'device_facts', ['device_id', 'source', 'fields'], 'device_id', deviceIds);
  const byDevice = new Map<number, SourceFacts[]>();
  for (const f of facts) {
    const id = Number(f.device_id);
    const list = byDevice.get(id) ?? [];
    list.push({ source: f.source, fields: JSON.parse(f.fields) as SourceFacts['fields'] });
    byDevice.set(id, list);
  }
  const wanted = new Map<string, { device_id: number; field: string; sources_values: string }>();
  for (const [id, list] of byDevice) {
    if (list.length < 2) continue;
    for (const d of disagreements(list)) wanted.set(`${id}\u0000${d.field}`, { device_id: id, field: d.field, sources_values: JSON.stringify(d.values) });
  }
  const stored = await selectIn<{ device_id: number; field: string; sources_values: string }>(db, 'device_disagreements', ['device_id', 'field', 'sources_values'], 'device_id', deviceIds);
  const gone: { device_id: number; field: string }[] = [];
  for (const s of stored) {
    const key = `${Number(s.device_id)}\u0000${s.field}`;
    const w = wanted.get(key);
    if (w && w.sources_values === s.sources_values) wanted.delete(key);
    else if (!w) gone.push({ device_id: Number(s.device_id), field: s.field });
    else {
      // Same field, other values: updated in place, detected_at kept (it is the same disagreement, still open).
      await db('device_disagreements').where({ device_id: w.device_id, field: w.field }).update({ sources_values: w.sources_values });
      wanted.delete(key);
    }
  }
  for (const g of gone) await db('device_disagreements').where(g).delete();
  await bulkInsert(db, 'device_disagreements', [...wanted.values()].map((w) => ({ ...w, detected_at: now })));
}
