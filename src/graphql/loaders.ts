import DataLoader from 'dataloader';
import type { TagChip } from '../services/assets/records.js';
import type { Host } from '../services/hosts.js';
import type { Services } from '../services/index.js';
import type { Pool, PoolStateCounts, Reservation } from '../services/pools/wire.js';
import type { Project } from '../services/projects.js';

/**
 * Per-request batch loaders: every field that follows a link (an asset's project, host, tags; a
 * catalog row's usage) asks its loader, so a page costs one statement per link, not one per row.
 * They live for one request, so nothing is cached across callers or writes.
 */
export function createLoaders(services: Services) {
  const byIds = <T>(fetch: (ids: number[]) => Promise<Map<number, T>>, missing: T) =>
    new DataLoader<number, T>(async (ids) => {
      const found = await fetch([...ids]);
      return ids.map((id) => found.get(id) ?? missing);
    });
  return {
    // Projects are a small catalog: one read of all of them serves every row of the request.
    project: byIds<Project | null>(async () => new Map((await services.projects.list()).map((p) => [Number(p.id), p])), null),
    host: byIds<Host | null>(async (ids) => new Map((await services.hosts.byIds(ids)).map((h) => [Number(h.id), h])), null),
    assetTags: byIds<TagChip[]>((ids) => services.assets.tagChips(ids), []),
    projectUsage: byIds<number>((ids) => services.projects.usageCounts(ids), 0),
    tagUsage: byIds<number>((ids) => services.tags.usageCounts(ids), 0),
    // Pools are few (each is a range): one read of all of them, with their range utilization.
    pool: byIds<Pool | null>(async () => new Map((await services.pools.list()).map((p) => [Number(p.id), p])), null),
    reservation: byIds<Reservation | null>(async (ids) => new Map(await Promise.all(ids.map(async (id) => [id, await services.reservations.get(id)] as const))), null),
    // Counts by state of every pool on the page together (a few statements for all of them): only asked for when a query selects them.
    poolCounts: byIds<PoolStateCounts>(async (ids) => new Map((await services.pools.stateCountsMany(ids)).map((c) => [c.pool_id, c])), null as never),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
