import { tryParseCidr, type ParsedCidr } from '../../../domain/ip/cidr.js';
import { fieldLoc } from '../../batch.js';
import { defineEntity } from '../core/contract.js';
import { diffRecord, mergeField } from '../core/diff.js';
import { MAX_NAME, text } from '../core/prepare.js';
import { loadRanges, type StoredRange } from '../store/state.js';
import type { RangeWrites } from '../store/types.js';
import { writeRanges } from '../store/write-plan.js';

export interface RangeRecord {
  loc: string;
  name?: string;
  notes?: string | null;
  cidr: ParsedCidr;
}

/** Ranges match by CIDR; their names are unique, so a name another range holds is an error. */
export const ranges = defineEntity({
  entity: 'ranges',
  matchKeys: [{ name: 'cidr', incoming: (r: RangeRecord) => r.cidr.cidr, stored: (s: StoredRange) => s.cidr }],

  prepare(batch, ctx) {
    const out: RangeRecord[] = [];
    for (const r of batch.ranges) {
      const cidr = tryParseCidr(String(r.cidr ?? ''));
      if (!cidr) {
        ctx.error(fieldLoc(r.loc, 'cidr'), `invalid CIDR "${r.cidr}"`);
        continue;
      }
      const name = ctx.checkName(r.loc, 'name', r.name, MAX_NAME);
      if (ctx.firstOf('range', cidr.cidr, r.loc)) out.push({ loc: r.loc, cidr, name: name ?? undefined, notes: text(r.notes) });
    }
    return out;
  },

  keysToLoad: (records) => ({ cidr: records.map((r) => r.cidr.cidr) }),
  load: (db, keys) => loadRanges(db, keys.cidr ?? []),

  plan(items, loaded, ctx): RangeWrites {
    const policy = ctx.prepared.catalogPolicy.fields;
    const writes: RangeWrites = { create: [], update: [] };
    // Range names are unique: a name another range holds (stored or earlier in the batch) is an error.
    const rangeNames = new Map(loaded.names);
    const nameTaken = (name: string, cidr: string, loc: string): boolean => {
      const holder = rangeNames.get(name);
      if (holder === undefined || holder === cidr) return false;
      ctx.error(fieldLoc(loc, 'name'), `range name "${name}" is already used by ${holder}`);
      return true;
    };
    for (const { record: r, stored: cur } of items) {
      if (!cur) {
        const row = { name: r.name ?? r.cidr.cidr, notes: r.notes ?? null };
        if (nameTaken(row.name, r.cidr.cidr, r.loc)) continue;
        rangeNames.set(row.name, r.cidr.cidr);
        writes.create.push({ ...row, cidr: r.cidr });
        ctx.record('ranges', r.cidr.cidr, r.loc, 'CREATE', diffRecord({}, { cidr: r.cidr.cidr, ...row }));
        continue;
      }
      const after = { name: mergeField(policy, cur.name, r.name), notes: mergeField(policy, cur.notes, r.notes) };
      if (after.name !== cur.name) {
        if (nameTaken(after.name, cur.cidr, r.loc)) continue;
        rangeNames.delete(cur.name);
        rangeNames.set(after.name, cur.cidr);
      }
      const diff = diffRecord({ name: cur.name, notes: cur.notes }, after);
      if (diff.length > 0) writes.update.push({ id: cur.id, ...after });
      ctx.record('ranges', r.cidr.cidr, r.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
    }
    return writes;
  },

  write: writeRanges,
});
