import { api } from '../shared/api';

/** An IP asset as GET /ip-assets/{ip} returns it (the fields the drill-down edits). */
export type Asset = { id: number; ip_address: string; type: string; project_id: number | null; host_id: number | null; notes: string | null; tags: string[] };
export type Project = { id: number; name: string; color?: string | null };
export type Tag = { id: number; name: string; color?: string | null };

export const ASSET_TYPES = ['VM', 'OS', 'BMC', 'VIP', 'OTHER'] as const;
export const TYPE_COLORS: Record<string, string> = { VM: '#bfdbfe', OS: '#bbf7d0', BMC: '#fde68a', VIP: '#e9d5ff', OTHER: '#e2e8f0' };

/** Projects and tags (small catalogs), loaded once per page. */
export type Catalog = { projects: Project[]; tags: Tag[]; projectById: Map<number, Project>; tagByName: Map<string, Tag> };

export async function loadCatalog(): Promise<Catalog> {
  const [projects, tags] = await Promise.all([api.get<Project[]>('/projects'), api.get<Tag[]>('/tags')]);
  return { projects, tags, projectById: new Map(projects.map((p) => [p.id, p])), tagByName: new Map(tags.map((t) => [t.name, t])) };
}
