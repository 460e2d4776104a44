import type { Db } from '../../db/connection.js';
import { staleColumns, type DeviceState } from './state.js';

/**
 * Writes the effective columns that differ from the stored ones (and the hypervisor link, the
 * device named by the effective `hypervisor`), and updates each state's row to match, so a
 * snapshot taken after reads what is stored. Devices already up to date cost no write.
 */
export async function bringUpToDate(db: Db, states: readonly DeviceState[]): Promise<void> {
  const names = [...new Set(states.map((s) => staleColumns(s).hypervisor ?? s.row.hypervisor).filter((n): n is string => typeof n === 'string'))];
  const hypervisorIds = new Map<string, number>();
  for (let i = 0; i < names.length; i += 500) {
    const part = names.slice(i, i + 500);
    const found = (await db('hosts').select('id', 'name', 'hostname').whereIn('name', part).orWhereIn('hostname', part).orderBy('id')) as { id: number; name: string; hostname: string | null }[];
    for (const r of found) {
      // A device's own name is the better match than another's hostname.
      if (part.includes(r.name)) hypervisorIds.set(r.name, Number(r.id));
      else if (r.hostname && !hypervisorIds.has(r.hostname)) hypervisorIds.set(r.hostname, Number(r.id));
    }
  }
  for (const state of states) {
    const set: Record<string, unknown> = staleColumns(state);
    const hypervisor = (set.hypervisor !== undefined ? set.hypervisor : state.row.hypervisor) as string | null;
    let link = hypervisor ? (hypervisorIds.get(hypervisor) ?? null) : null;
    if (link === Number(state.row.id)) link = null;
    const stored = state.row.hypervisor_device_id == null ? null : Number(state.row.hypervisor_device_id);
    if (stored !== link) set.hypervisor_device_id = link;
    if (Object.keys(set).length === 0) continue;
    await db('hosts').where({ id: Number(state.row.id) }).update(set);
    state.row = { ...state.row, ...set };
  }
}
