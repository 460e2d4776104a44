import { DEFAULT_TAG_COLOR } from '../domain/tags.js';
import { formatTimestamp } from '../domain/time.js';
import type { Db } from '../db/connection.js';
import { whereLive } from '../db/queries/live-assets.js';
import type { ServiceContext } from './context.js';
import { CatalogService, type CatalogSpec } from './catalog.js';
import { TagCreateSchema, TagUpdateSchema } from './schemas/catalog.js';

export interface Tag {
  id: number;
  name: string;
  color: string;
}

/** Tags label IP assets; deleting one removes it from every asset. */
export class TagsService extends CatalogService<Tag> {
  protected readonly spec: CatalogSpec<Tag> = {
    table: 'tags',
    entity: 'Tag',
    targetType: 'TAG',
    fields: ['name', 'color'],
    createSchema: TagCreateSchema,
    updateSchema: TagUpdateSchema,
    defaults: { color: DEFAULT_TAG_COLOR },
  };

  protected withDb(db: ServiceContext['db']): TagsService {
    return new TagsService({ ...this.ctx, db });
  }

  protected async deleteBlocker(): Promise<string | null> {
    return null;
  }

  async usageCounts(ids?: number[]): Promise<Map<number, number>> {
    const q = this.ctx
      .db('ip_asset_tags as t')
      .join('ip_assets as a', 'a.id', 't.ip_asset_id')
      .select('t.tag_id as id')
      .count({ n: '*' })
      .modify(whereLive, 'a')
      .groupBy('t.tag_id');
    if (ids) q.whereIn('t.tag_id', ids);
    const rows = (await q) as { id: number; n: number | string }[];
    return new Map(rows.map((r) => [Number(r.id), Number(r.n)]));
  }
}

/** Ids for normalised tag names, creating missing ones with the default colour. */
export async function ensureTagIds(db: Db, names: readonly string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (names.length === 0) return ids;
  for (let i = 0; i < names.length; i += 500) {
    const chunk = names.slice(i, i + 500);
    const rows = (await db('tags').select('id', 'name').whereIn('name', chunk)) as { id: number; name: string }[];
    for (const r of rows) ids.set(r.name, r.id);
  }
  // Sorted, and taken over when a parallel writer creates the same name first: two transactions
  // adding the same new tags neither fail on the unique name nor wait for each other in a circle.
  const missing = [...new Set(names.filter((n) => !ids.has(n)))].sort();
  for (let i = 0; i < missing.length; i += 500) {
    const chunk = missing.slice(i, i + 500);
    const now = formatTimestamp();
    const created = (await db('tags')
      .insert(chunk.map((name) => ({ name, color: DEFAULT_TAG_COLOR, created_at: now, updated_at: now })))
      .onConflict('name')
      .ignore()
      .returning(['id', 'name'])) as { id: number; name: string }[];
    for (const r of created) ids.set(r.name, r.id);
    const taken = chunk.filter((n) => !ids.has(n));
    if (taken.length > 0) for (const r of (await db('tags').select('id', 'name').whereIn('name', taken)) as { id: number; name: string }[]) ids.set(r.name, r.id);
  }
  return ids;
}
