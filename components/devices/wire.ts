import { api } from '../shared/api';

/** The API's own wire types (type-only: nothing of the service reaches the bundle). */
export type { CustomFieldDefinition, DeviceChange, DeviceDetail, DeviceFacts, DeviceIp, DeviceOverride, DeviceSummary, Owner } from '../../src/services/devices/wire';

/**
 * A page of a list endpoint: an array with X-Total-Count, or `{items, total}`; `exact` is false
 * when a broad search stopped counting at the server's cap (the total is then "at least").
 */
export function toPage<T>(data: unknown, headers: Headers): { items: T[]; total: number; exact: boolean } {
  const headerExact = headers.get('X-Total-Count-Exact') !== 'false';
  if (Array.isArray(data)) return { items: data as T[], total: Number(headers.get('X-Total-Count') ?? data.length), exact: headerExact };
  const d = (data ?? {}) as { items?: T[]; total?: number; total_exact?: boolean };
  const items = d.items ?? [];
  return { items, total: Number(d.total ?? headers.get('X-Total-Count') ?? items.length), exact: d.total_exact ?? headerExact };
}

/** Owner names by id, cached for the page (a list row carries only the ids). */
const ownerNames = new Map<number, string>();
export async function ownerNamesFor(ids: (number | null)[]): Promise<Map<number, string>> {
  const missing = [...new Set(ids.filter((i): i is number => !!i && !ownerNames.has(i)))];
  await Promise.all(
    missing.map((id) =>
      api
        .get<{ full_name: string }>(`/owners/${id}`)
        .then((o) => ownerNames.set(id, o.full_name))
        .catch(() => ownerNames.set(id, `#${id}`)),
    ),
  );
  return ownerNames;
}
export function rememberOwner(id: number, name: string): void {
  ownerNames.set(id, name);
}
