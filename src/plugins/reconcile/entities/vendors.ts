import { loadVendors, type StoredVendor } from '../store/state.js';
import type { VendorWrites } from '../store/types.js';
import { writeVendors } from '../store/write-plan.js';
import { defineEntity } from '../core/contract.js';
import { MAX_NAME, MESSAGES } from '../core/prepare.js';

export interface VendorRecord {
  loc: string;
  name: string;
}

/**
 * Vendors are bare names. Besides the listed ones, a host's vendor joins this list in the hosts'
 * prepare (created on demand) unless the batch requires listed vendors.
 */
export const vendors = defineEntity({
  entity: 'vendors',
  matchKeys: [{ name: 'name', incoming: (r: VendorRecord) => r.name, stored: (s: StoredVendor) => s.name }],

  prepare(batch, ctx) {
    const out: VendorRecord[] = [];
    for (const v of batch.vendors) {
      const name = ctx.checkName(v.loc, 'name', v.name, MAX_NAME);
      if (!name) {
        if (name === null) ctx.error(v.loc, MESSAGES.vendorName);
        continue;
      }
      if (ctx.firstOf('vendor', name, v.loc)) out.push({ loc: v.loc, name });
    }
    return out;
  },

  // The catalogs are small: loaded whole (hosts show their stored vendor by id).
  keysToLoad: () => ({}),
  load: async (db) => ({ rows: await loadVendors(db) }),

  plan(items, loaded, ctx): VendorWrites {
    ctx.addStored('vendors', loaded.rows);
    const known = ctx.known('vendors');
    const create: string[] = [];
    for (const { record: v, stored } of items) {
      if (stored) ctx.record('vendors', v.name, v.loc, 'SKIP', []);
      else {
        create.push(v.name);
        known.add(v.name);
        ctx.record('vendors', v.name, v.loc, 'CREATE', [{ field: 'name', before: null, after: v.name }]);
      }
    }
    return { create };
  },

  write: writeVendors,
});
