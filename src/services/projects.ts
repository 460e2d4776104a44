import { DEFAULT_PROJECT_COLOR } from '../domain/colors.js';
import { whereLive } from '../db/queries/live-assets.js';
import type { ServiceContext } from './context.js';
import { CatalogService, type CatalogSpec } from './catalog.js';
import { ProjectCreateSchema, ProjectUpdateSchema } from './schemas/catalog.js';
import { countOf } from './rows.js';

export interface Project {
  id: number;
  name: string;
  description: string | null;
  color: string;
}

/** Projects own IP assets; a project still assigned to assets cannot be deleted. */
export class ProjectsService extends CatalogService<Project> {
  protected readonly spec: CatalogSpec<Project> = {
    table: 'projects',
    entity: 'Project',
    targetType: 'PROJECT',
    fields: ['name', 'description', 'color'],
    createSchema: ProjectCreateSchema,
    updateSchema: ProjectUpdateSchema,
    defaults: { description: null, color: DEFAULT_PROJECT_COLOR },
  };

  protected withDb(db: ServiceContext['db']): ProjectsService {
    return new ProjectsService({ ...this.ctx, db });
  }

  protected async deleteBlocker(row: Project): Promise<string | null> {
    const n = await countOf(this.ctx.db('ip_assets').where({ project_id: row.id }));
    return n > 0 ? `Project "${row.name}" is assigned to ${n} IP asset(s); reassign or clear them first.` : null;
  }

  async usageCounts(ids?: number[]): Promise<Map<number, number>> {
    const q = this.ctx.db('ip_assets').select('project_id as id').count({ n: '*' }).modify(whereLive, 'ip_assets').whereNotNull('project_id').groupBy('project_id');
    if (ids) q.whereIn('project_id', ids);
    const rows = (await q) as { id: number; n: number | string }[];
    return new Map(rows.map((r) => [Number(r.id), Number(r.n)]));
  }
}
