import type { Db } from '../../db/connection.js';
import { NotFoundError } from '../../domain/errors.js';
import { loadCustomValues } from './custom-fields.js';
import { deviceIps, effectiveDisks, effectiveNics, effectiveOf, loadStates, type DeviceState } from './state.js';
import { toSummary } from './summary.js';
import type { DeviceDetail, DeviceOwnerRef } from './wire.js';

export async function stateOf(db: Db, id: number): Promise<DeviceState> {
  const state = (await loadStates(db, [id])).get(id);
  if (!state) throw new NotFoundError('Device', id);
  return state;
}

/** Rows of `table` whose id is one of `ids`, by id; no statement when there are none. */
async function byId<R extends { id: unknown }>(db: Db, table: string, columns: string[], ids: Iterable<number>): Promise<Map<number, R>> {
  const list = [...new Set(ids)];
  if (list.length === 0) return new Map();
  const rows = (await db(table).select(['id', ...columns]).whereIn('id', list)) as R[];
  return new Map(rows.map((r) => [Number(r.id), r]));
}

const idOf = (v: unknown): number | null => (v == null ? null : Number(v));

/**
 * The device pages of `ids` (in that order; missing ids are left out): effective values with
 * their origin, facts per source, overrides, lists, IP assets, owners, project and custom values.
 * Every table is read once for all of them (a list page of VMs or LAIM items costs as many
 * statements as one device), so a page never reads per row.
 */
export async function details(db: Db, ids: readonly number[]): Promise<DeviceDetail[]> {
  const states = await loadStates(db, ids);
  const found = ids.filter((id) => states.has(id));
  if (found.length === 0) return [];
  const assets = (await db('ip_assets').select('host_id', 'ip_address', 'type').whereIn('host_id', found).where({ archived: false }).orderBy([{ column: 'host_id' }, { column: 'ip_version' }, { column: 'ip_key' }])) as { host_id: number; ip_address: string; type: string }[];
  const assetsOf = new Map<number, { ip_address: string; type: string }[]>();
  for (const a of assets) assetsOf.set(Number(a.host_id), [...(assetsOf.get(Number(a.host_id)) ?? []), { ip_address: a.ip_address, type: a.type }]);
  const rows = [...states.values()].map((s) => s.row);
  const owners = await byId<DeviceOwnerRef>(db, 'owners', ['full_name', 'email'], rows.flatMap((r) => [idOf(r.business_owner_id), idOf(r.technical_owner_id)]).filter((v): v is number => v !== null));
  const projects = await byId<{ id: number; name: string }>(db, 'projects', ['name'], rows.map((r) => idOf(r.project_id)).filter((v): v is number => v !== null));
  const custom = await loadCustomValues(db, found);
  const owner = (id: unknown): DeviceOwnerRef | null => {
    const o = owners.get(idOf(id) ?? 0);
    return o ? { id: Number(o.id), full_name: o.full_name, email: o.email } : null;
  };
  return found.map((id) => {
    const state = states.get(id)!;
    const summary = toSummary(state.row, { tags: [...state.tags].sort(), macs: [...new Set(state.macs.map((m) => m.mac))].sort(), sources: [...new Set(state.facts.map((f) => f.source))].sort() });
    return {
      ...summary,
      effective: effectiveOf(state),
      facts: state.facts.map((f) => ({ source: f.source, external_id: f.external_id, fields: f.fields, raw: f.raw === null ? null : (JSON.parse(f.raw) as unknown), run_id: f.run_id, first_seen_at: f.first_seen_at, last_seen_at: f.last_seen_at, missing_since: f.missing_since, missing_run_id: f.missing_run_id })),
      overrides: state.overrideRows,
      disks: effectiveDisks(state),
      nics: effectiveNics(state),
      ips: deviceIps(state),
      ip_assets: assetsOf.get(id) ?? [],
      business_owner: owner(state.row.business_owner_id),
      technical_owner: owner(state.row.technical_owner_id),
      project_name: projects.get(idOf(state.row.project_id) ?? 0)?.name ?? null,
      custom_fields: custom.get(id) ?? {},
    };
  });
}

/** One device page; 404 when there is no such device. */
export async function detail(db: Db, id: number): Promise<DeviceDetail> {
  const [d] = await details(db, [id]);
  if (!d) throw new NotFoundError('Device', id);
  return d;
}
