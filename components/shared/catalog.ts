import { api } from './api';

/** An IP asset as GET /ip-assets answers it: the API's own wire type (type-only, so nothing of the service reaches the bundle). */
export type { Asset } from '../../src/services/assets/wire';
export type Project = { id: number; name: string; color?: string | null };
export type Tag = { id: number; name: string; color?: string | null };
export type Host = { id: number; name: string };

/** Projects and tags (small catalogs), loaded once per page. */
export type Catalog = { projects: Project[]; tags: Tag[]; projectById: Map<number, Project>; tagByName: Map<string, Tag> };

export async function loadCatalog(): Promise<Catalog> {
  const [projects, tags] = await Promise.all([api.get<Project[]>('/projects'), api.get<Tag[]>('/tags')]);
  return { projects, tags, projectById: new Map(projects.map((p) => [p.id, p])), tagByName: new Map(tags.map((t) => [t.name, t])) };
}
