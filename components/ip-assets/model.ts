import { api, qs } from '../shared/api';
import type { Asset, Host } from '../shared/catalog';

export const PAGE_SIZES = [20, 50, 100, 200];
export const LIST_PATH = '/ui/resources/ip_assets';
export const detailPath = (id: number): string => `${LIST_PATH}/records/${id}/show`;
export const enc = encodeURIComponent;

/** Everything the list shows is in the URL (shareable; back/forward/reload restore it). */
export type ListState = {
  q: string;
  project: string; // '' | 'unassigned' | id
  type: string;
  assignment: string; // '' | 'unassigned'
  archived: boolean;
  tags: string[];
  match: 'any' | 'all' | 'not';
  /** "Not seen for N days" ('' for any). */
  seen: string;
  page: number;
  per: number;
};

export function readState(search: string): ListState {
  const p = new URLSearchParams(search);
  const per = Number(p.get('per'));
  const page = Number(p.get('page'));
  const match = p.get('match');
  // filters.archived=true is the panel's generic spelling (older links).
  const archived = p.get('archived') === 'only' || p.get('filters.archived') === 'true';
  return {
    q: p.get('q') ?? '',
    project: p.get('project') ?? '',
    type: p.get('type') ?? '',
    assignment: p.get('assignment') === 'unassigned' ? 'unassigned' : '',
    archived,
    tags: (p.get('tags') ?? '').split(',').map((t) => t.trim()).filter(Boolean),
    match: match === 'all' || match === 'not' ? match : 'any',
    seen: /^[1-9]\d{0,4}$/.test(p.get('seen') ?? '') ? p.get('seen')! : '',
    page: Number.isInteger(page) && page > 0 ? page : 1,
    per: PAGE_SIZES.includes(per) ? per : 20,
  };
}

export function writeState(s: ListState): string {
  return qs({
    q: s.q.trim(),
    project: s.project,
    type: s.type,
    assignment: s.assignment,
    archived: s.archived ? 'only' : '',
    tags: s.tags,
    match: s.tags.length && s.match !== 'any' ? s.match : '',
    seen: s.seen,
    page: s.page > 1 ? s.page : '',
    per: s.per !== 20 ? s.per : '',
  });
}

/** The API query of a list state (without paging when `page` is false). */
export function apiQuery(s: ListState, page = true): string {
  return qs({
    q: s.q.trim(),
    project_id: s.project,
    type: s.type,
    'unassigned-only': s.assignment === 'unassigned' ? 'true' : '',
    archived: s.archived ? 'archived' : '',
    tags: s.tags,
    tag_match: s.tags.length ? s.match : '',
    not_seen_days: s.seen,
    ...(page ? { limit: s.per, offset: (s.page - 1) * s.per } : {}),
  });
}

const HIGH_RISK_TAGS = new Set(['prod', 'production', 'critical', 'flagged']);

/** Why deleting this asset asks for the exact IP (null: an acknowledgement is enough). */
export function deleteRisk(a: Asset): string | null {
  const reasons: string[] = [];
  if (a.project_id) reasons.push('assigned to a project');
  if (a.host_id) reasons.push('linked to a host');
  if (a.type === 'VIP') reasons.push('a VIP');
  const risky = a.tags.filter((t) => HIGH_RISK_TAGS.has(t.toLowerCase()));
  if (risky.length) reasons.push(`tagged ${risky.join(', ')}`);
  return reasons.length ? `This address is ${reasons.join(', ')}.` : null;
}

/** Host names by id, cached for the page. */
const hostNames = new Map<number, string>();
export async function hostNamesFor(ids: (number | null)[]): Promise<Map<number, string>> {
  const missing = [...new Set(ids.filter((i): i is number => !!i && !hostNames.has(i)))];
  await Promise.all(
    missing.map((id) =>
      api
        .get<Host>(`/hosts/${id}`)
        .then((h) => hostNames.set(id, h.name))
        .catch(() => hostNames.set(id, `#${id}`)),
    ),
  );
  return hostNames;
}
export function rememberHost(h: Host): void {
  hostNames.set(h.id, h.name);
}

export async function searchHosts(q: string, signal: AbortSignal): Promise<{ id: number; label: string }[]> {
  const hosts = await api.get<Host[]>(`/hosts${qs({ q, limit: 10 })}`, signal);
  return hosts.map((h) => ({ id: h.id, label: h.name }));
}

/** Choices of the "not seen for" filter, in days (any number works in the URL). */
export const NOT_SEEN_DAYS = [1, 7, 30, 90, 365];

/** "2026-11-30 08:00" and how long ago, or "never". */
export function lastSeenText(at: string | null | undefined, now = Date.now()): string {
  if (!at) return 'never';
  const days = Math.floor((now - Date.parse(at.replace(' ', 'T') + 'Z')) / 86_400_000);
  const ago = days <= 0 ? 'today' : days === 1 ? '1 day ago' : `${days} days ago`;
  return `${at.slice(0, 16)} (${ago})`;
}

/** Brings an archived asset back as it was (project, host, tags, notes, history). */
export function restoreAsset(ip: string): Promise<Asset> {
  return api.post<Asset>(`/ip-assets/${enc(ip)}/restore`);
}

/** Restores many archived assets in one transaction; answers how many changed. */
export function restoreAssets(ids: number[]): Promise<{ updated: number; unchanged: number }> {
  return api.post<{ updated: number; unchanged: number }>('/ip-assets/bulk', { asset_ids: ids, archived: false });
}

/** The archived record a 409 of `POST /ip-assets` with `if_archived: 'conflict'` carries, if any. */
export function archivedConflict(body: unknown): Asset | null {
  const a = (body as { archived_asset?: Asset } | null)?.archived_asset;
  return a && typeof a.ip_address === 'string' ? a : null;
}

export function formatTotal(total: number, exact: boolean): string {
  return `${total.toLocaleString('en-US')}${exact ? '' : '+'}`;
}
