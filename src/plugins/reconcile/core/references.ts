import { fieldLoc } from '../../batch.js';
import type { PlanContext } from './plan.js';
import { MESSAGES, type DroppedRef } from './prepare.js';

/**
 * The names a record refers to that resolve to nothing (neither stored nor created by the plan),
 * with the original's messages. Vendors only when asked and the batch requires listed vendors.
 */
export function badReferences(ctx: PlanContext, r: DroppedRef, checkVendors = false): [string, string][] {
  const out: [string, string][] = [];
  if (r.vendor_name && checkVendors && ctx.prepared.vendorsMustExist && !ctx.known('vendors').has(r.vendor_name)) out.push([fieldLoc(r.loc, 'vendor_name'), MESSAGES.vendorMissing]);
  if (r.project_name && !ctx.known('projects').has(r.project_name)) out.push([fieldLoc(r.loc, 'project_name'), MESSAGES.projectMissing]);
  if (r.host_name && !ctx.known('hosts').has(r.host_name)) out.push([fieldLoc(r.loc, 'host_name'), MESSAGES.hostMissing]);
  return out;
}

/** Reports a record's bad references; true when it had any (the record is then not planned). */
export function reportBadReferences(ctx: PlanContext, r: DroppedRef, checkVendors = false): boolean {
  const bad = badReferences(ctx, r, checkVendors);
  for (const [loc, msg] of bad) ctx.error(loc, msg);
  return bad.length > 0;
}
