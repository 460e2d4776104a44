import type { Db } from '../../db/connection.js';
import { UnresolvedReferenceError, ValidationError } from '../../domain/errors.js';

const REFERENCES = [
  ['vendor_id', 'vendors', 'Selected vendor does not exist.'],
  ['project_id', 'projects', 'Project not found.'],
  ['business_owner_id', 'owners', 'Owner not found.'],
  ['technical_owner_id', 'owners', 'Owner not found.'],
  ['hypervisor_device_id', 'hosts', 'Device not found.'],
] as const;

/** Every id the input names must exist: a 422 at that field (as the hosts' vendor check), never a foreign-key 500. */
export async function checkReferences(db: Db, d: Partial<Record<(typeof REFERENCES)[number][0], number | null | undefined>>, selfId?: number): Promise<void> {
  if (selfId !== undefined && d.hypervisor_device_id === selfId) throw ValidationError.field('hypervisor_device_id', 'a device cannot run on itself');
  for (const [field, table, detail] of REFERENCES) {
    const id = d[field];
    if (id == null) continue;
    if (!(await db(table).where({ id }).first('id'))) throw new UnresolvedReferenceError(field, detail, `${table.replace(/s$/, '')} ${id} does not exist.`);
  }
}
