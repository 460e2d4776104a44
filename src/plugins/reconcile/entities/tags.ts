import { normalizeHexColor } from '../../../domain/colors.js';
import { DEFAULT_TAG_COLOR, normalizeTagName } from '../../../domain/tags.js';
import { fieldLoc } from '../../batch.js';
import { defineEntity } from '../core/contract.js';
import { diffRecord, mergeField } from '../core/diff.js';
import { MESSAGES } from '../core/prepare.js';
import { loadTags, type StoredTag } from '../store/state.js';
import type { TagWrites } from '../store/types.js';
import { writeTags } from '../store/write-plan.js';

export interface TagRecord {
  loc: string;
  name: string;
  color?: string;
}

/**
 * Listed tags are planned here; tags that records of later entities carry but nobody lists
 * (`ctx.uses('tags')`) are created with the default colour, and get their CREATE record once
 * every record is planned (`finish`).
 */
export const tags = defineEntity({
  entity: 'tags',
  matchKeys: [{ name: 'name', incoming: (r: TagRecord) => r.name, stored: (s: StoredTag) => s.name }],

  prepare(batch, ctx) {
    const out: TagRecord[] = [];
    for (const t of batch.tags) {
      const name = normalizeTagName(t.name ?? '');
      if (!name) {
        ctx.error(fieldLoc(t.loc, 'name'), `invalid tag name "${t.name}" (use letters, digits, "-" and "_")`);
        continue;
      }
      let color: string | undefined;
      if (t.color) {
        const c = normalizeHexColor(t.color);
        if (!c) {
          ctx.error(fieldLoc(t.loc, 'color'), MESSAGES.color);
          continue;
        }
        color = c;
      }
      if (ctx.firstOf('tag', name, t.loc)) out.push({ loc: t.loc, name, color });
    }
    return out;
  },

  // Loaded whole: the addresses' tag links are read as tag ids and named from here.
  keysToLoad: () => ({}),
  load: async (db) => ({ rows: await loadTags(db) }),

  plan(items, loaded, ctx): TagWrites {
    const policy = ctx.prepared.catalogPolicy.fields;
    ctx.addStored('tags', loaded.rows);
    const known = ctx.known('tags');
    const writes: TagWrites = { create: [], update: [] };
    for (const { record: t, stored: cur } of items) {
      known.add(t.name);
      if (!cur) {
        const row = { name: t.name, color: t.color ?? DEFAULT_TAG_COLOR };
        writes.create.push(row);
        ctx.record('tags', t.name, t.loc, 'CREATE', diffRecord({}, row));
        continue;
      }
      const color = mergeField(policy, cur.color, t.color);
      const diff = diffRecord({ color: cur.color }, { color });
      if (diff.length > 0) writes.update.push({ id: cur.id, color });
      ctx.record('tags', t.name, t.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
    }
    return writes;
  },

  write: writeTags,

  finish(ctx) {
    const known = ctx.known('tags');
    for (const t of ctx.uses('tags')) {
      if (known.has(t)) continue;
      known.add(t);
      ctx.record('tags', t, ctx.prepared.source, 'CREATE', [{ field: 'name', before: null, after: t }]);
    }
  },
});
