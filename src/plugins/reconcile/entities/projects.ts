import { DEFAULT_PROJECT_COLOR, normalizeHexColor } from '../../../domain/colors.js';
import { fieldLoc } from '../../batch.js';
import { defineEntity } from '../core/contract.js';
import { diffRecord, mergeField } from '../core/diff.js';
import { MAX_NAME, MESSAGES, text } from '../core/prepare.js';
import { loadProjects, type StoredProject } from '../store/state.js';
import type { ProjectWrites } from '../store/types.js';
import { writeProjects } from '../store/write-plan.js';

export interface ProjectRecord {
  loc: string;
  name: string;
  description?: string | null;
  color?: string;
}

export const projects = defineEntity({
  entity: 'projects',
  matchKeys: [{ name: 'name', incoming: (r: ProjectRecord) => r.name, stored: (s: StoredProject) => s.name }],

  prepare(batch, ctx) {
    const out: ProjectRecord[] = [];
    for (const p of batch.projects) {
      const name = ctx.checkName(p.loc, 'name', p.name, MAX_NAME);
      if (name === null) ctx.error(p.loc, MESSAGES.projectName);
      let color: string | undefined;
      if (p.color) {
        color = normalizeHexColor(p.color) ?? undefined;
        if (!color) ctx.error(fieldLoc(p.loc, 'color'), MESSAGES.color);
      }
      if (!name || (p.color && !color)) continue;
      if (ctx.firstOf('project', name, p.loc)) out.push({ loc: p.loc, name, description: text(p.description), color });
    }
    return out;
  },

  // Loaded whole: every address record may name any project.
  keysToLoad: () => ({}),
  load: async (db) => ({ rows: await loadProjects(db) }),

  plan(items, loaded, ctx): ProjectWrites {
    const policy = ctx.prepared.catalogPolicy.fields;
    ctx.addStored('projects', loaded.rows);
    const known = ctx.known('projects');
    const writes: ProjectWrites = { create: [], update: [] };
    for (const { record: pr, stored: cur } of items) {
      if (!cur) {
        const row = { name: pr.name, description: pr.description ?? null, color: pr.color ?? DEFAULT_PROJECT_COLOR };
        writes.create.push(row);
        known.add(pr.name);
        ctx.record('projects', pr.name, pr.loc, 'CREATE', diffRecord({}, row));
        continue;
      }
      const after = { description: mergeField(policy, cur.description, pr.description), color: mergeField(policy, cur.color, pr.color) };
      const diff = diffRecord({ description: cur.description, color: cur.color }, after);
      if (diff.length > 0) writes.update.push({ id: cur.id, ...after });
      ctx.record('projects', pr.name, pr.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
    }
    return writes;
  },

  write: writeProjects,
});
