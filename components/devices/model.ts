import { DEVICE_KINDS, KNOWN_PLATFORMS, POWER_STATES, type DeviceKind } from '../../src/domain/devices/kinds';
import { daysUntil } from '../../src/domain/devices/missing';
import { qs } from '../shared/api';

export const DEVICES_PATH = '/ui/resources/devices';
export const devicePath = (id: number): string => `${DEVICES_PATH}/records/${id}/show`;
export const PAGE_SIZES = [20, 50, 100, 200];

/** The kinds, with LAIM's category names as the chip labels (LAIM's seven first, then the rest). */
const KIND_LABELS: Record<DeviceKind, string> = { laptop: 'Laptops', desktop: 'Desktops', smart_tv: 'Smart TVs', server: 'Servers', wap: 'WAPs', router: 'Routers', switch: 'Switches', vm: 'VMs', hypervisor: 'Hypervisors', storage: 'Storage', other: 'Other' };
const SINGULAR: Record<DeviceKind, string> = { laptop: 'Laptop', desktop: 'Desktop', smart_tv: 'Smart TV', server: 'Server', wap: 'WAP', router: 'Router', switch: 'Switch', vm: 'VM', hypervisor: 'Hypervisor', storage: 'Storage', other: 'Other' };
export const KIND_CHIPS: { kind: DeviceKind; label: string }[] = (Object.keys(KIND_LABELS) as DeviceKind[]).map((kind) => ({ kind, label: KIND_LABELS[kind] }));
export const KINDS: readonly string[] = DEVICE_KINDS;
/** A chip colour per kind, so a mixed list reads at a glance. */
const KIND_COLORS: Record<DeviceKind, string> = { laptop: '#bfdbfe', desktop: '#c7d2fe', smart_tv: '#fbcfe8', server: '#bbf7d0', wap: '#a5f3fc', router: '#fde68a', switch: '#fed7aa', vm: '#ddd6fe', hypervisor: '#e9d5ff', storage: '#d9f99d', other: '#e2e8f0' };
export const kindColor = (kind: string): string => KIND_COLORS[kind as DeviceKind] ?? '#e2e8f0';
export const kindLabel = (kind: string | null | undefined): string => (kind ? (SINGULAR[kind as DeviceKind] ?? kind) : '—');

/**
 * The filters beside the kind chips: each is one URL parameter named as the API's, and shows
 * as a removable chip while set. `options` are fixed choices, `project`/`owner` pick a record,
 * anything else is free text.
 */
export type FilterKey = 'platform' | 'power_state' | 'os_family' | 'os_type' | 'room_location' | 'project_id' | 'environment' | 'owner_id' | 'tag' | 'source' | 'network' | 'cluster' | 'not_seen_days' | 'missing';
export type FilterSpec = { key: FilterKey; label: string; options?: readonly string[]; pick?: 'project' | 'owner' };
export const FILTERS: FilterSpec[] = [
  { key: 'platform', label: 'Platform', options: KNOWN_PLATFORMS },
  { key: 'power_state', label: 'Power', options: POWER_STATES },
  { key: 'os_family', label: 'OS family' },
  { key: 'os_type', label: 'OS type' },
  { key: 'room_location', label: 'Room' },
  { key: 'project_id', label: 'Project', pick: 'project' },
  { key: 'environment', label: 'Environment' },
  { key: 'owner_id', label: 'Owner', pick: 'owner' },
  { key: 'tag', label: 'Tag' },
  { key: 'source', label: 'Source' },
  { key: 'network', label: 'Network' },
  { key: 'cluster', label: 'Cluster' },
  { key: 'not_seen_days', label: 'Not seen for (days)', options: ['1', '7', '30', '90', '365'] },
  { key: 'missing', label: 'Missing', options: ['only', 'exclude'] },
];

/**
 * "missing since … (archived in N days)" for a device every source stopped reporting, null for
 * one that is not missing. The delay is the connectors' archive_missing_after_days.
 */
export function missingText(d: { missing_since: string | null; archive_at: string | null; archived: boolean }, now: Date = new Date()): string | null {
  if (!d.missing_since) return null;
  const since = `missing since ${d.missing_since.slice(0, 16)} UTC`;
  if (d.archived) return since;
  if (!d.archive_at) return `${since} (never archived by policy)`;
  const days = daysUntil(d.archive_at, now);
  return `${since} (${days === 0 ? 'archived at the next archive job' : `archived in ${days} day${days === 1 ? '' : 's'}`})`;
}

/** The columns a user may show or hide; `fixed` ones are always there. `sort` is the API's sort key. */
export type ColumnKey = 'name' | 'kind' | 'platform' | 'serial' | 'asset_tag' | 'macs' | 'os' | 'power_state' | 'cpu_mem' | 'location' | 'project' | 'environment' | 'technical_owner' | 'business_owner' | 'tags' | 'sources' | 'last_seen';
export const COLUMNS: { key: ColumnKey; label: string; width?: number | string; minWidth?: number; fixed?: boolean; sort?: string }[] = [
  { key: 'name', label: 'Name', fixed: true, sort: 'name', minWidth: 120 },
  { key: 'kind', label: 'Kind', sort: 'kind', width: 84 },
  { key: 'platform', label: 'Platform', sort: 'platform', width: 84 },
  { key: 'serial', label: 'Serial', sort: 'serial', width: 110 },
  { key: 'asset_tag', label: 'Asset tag', width: 100 },
  { key: 'macs', label: 'MAC', width: 130 },
  { key: 'os', label: 'OS', sort: 'os_type', width: 130 },
  { key: 'power_state', label: 'Power', sort: 'power_state', width: 84 },
  { key: 'cpu_mem', label: 'vCPU / RAM', sort: 'memory_mb', width: 100 },
  { key: 'location', label: 'Location', sort: 'room_location', width: 100 },
  { key: 'project', label: 'Project', width: 100 },
  { key: 'environment', label: 'Env', width: 70 },
  { key: 'technical_owner', label: 'Technical owner', width: 160 },
  { key: 'business_owner', label: 'Business owner', width: 130 },
  { key: 'tags', label: 'Tags', width: 140 },
  { key: 'sources', label: 'Sources', width: 110 },
  { key: 'last_seen', label: 'Last seen', sort: 'last_seen_at', width: 84 },
];
export const DEFAULT_COLUMNS: ColumnKey[] = ['name', 'kind', 'platform', 'serial', 'macs', 'power_state', 'location', 'technical_owner', 'last_seen'];
const COLUMN_KEYS = new Set<string>(COLUMNS.map((c) => c.key));
const SORT_KEYS = new Set(COLUMNS.map((c) => c.sort).filter(Boolean));

/** Everything the Devices list shows is in the URL (shareable; back/forward/reload restore it). */
export type DeviceListState = {
  q: string;
  kind: string;
  filters: Partial<Record<FilterKey, string>>;
  archived: boolean;
  sort: string;
  cols: ColumnKey[];
  page: number;
  per: number;
};

export function readDeviceState(search: string): DeviceListState {
  const p = new URLSearchParams(search);
  const per = Number(p.get('per'));
  const page = Number(p.get('page'));
  const filters: DeviceListState['filters'] = {};
  for (const f of FILTERS) {
    const v = p.get(f.key)?.trim();
    if (v) filters[f.key] = v;
  }
  if (filters.not_seen_days && !/^[1-9]\d{0,4}$/.test(filters.not_seen_days)) delete filters.not_seen_days;
  const sort = p.get('sort') ?? '';
  const cols = (p.get('cols') ?? '').split(',').filter((c): c is ColumnKey => COLUMN_KEYS.has(c));
  return {
    q: p.get('q') ?? '',
    kind: KINDS.includes(p.get('kind') ?? '') ? p.get('kind')! : '',
    filters,
    archived: p.get('archived') === 'only',
    sort: SORT_KEYS.has(sort.replace(/^-/, '')) ? sort : 'name',
    cols: cols.length ? (['name', ...cols.filter((c) => c !== 'name')] as ColumnKey[]) : DEFAULT_COLUMNS,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    per: PAGE_SIZES.includes(per) ? per : 50,
  };
}

const sameColumns = (a: ColumnKey[], b: ColumnKey[]): boolean => a.length === b.length && a.every((c, i) => c === b[i]);

export function writeDeviceState(s: DeviceListState): string {
  return qs({
    q: s.q.trim(),
    kind: s.kind,
    ...s.filters,
    archived: s.archived ? 'only' : '',
    sort: s.sort !== 'name' ? s.sort : '',
    cols: sameColumns(s.cols, DEFAULT_COLUMNS) ? '' : s.cols,
    page: s.page > 1 ? s.page : '',
    per: s.per !== 50 ? s.per : '',
  });
}

/** The API's query for a list state: the same filters the list shows (without paging when `page` is false: exports). */
export function deviceApiQuery(s: DeviceListState, page = true): string {
  return qs({
    q: s.q.trim(),
    kind: s.kind,
    ...s.filters,
    archived: s.archived ? 'only' : '',
    sort: s.sort,
    ...(page ? { limit: s.per, offset: (s.page - 1) * s.per } : {}),
  });
}

export const isFiltered = (s: DeviceListState): boolean => !!(s.q.trim() || s.kind || s.archived || Object.keys(s.filters).length);

/** "2026-11-30 08:00" → "3 days ago" style text for a list cell (the full time is the title). */
export function agoText(at: string | null | undefined, now = Date.now()): string {
  if (!at) return 'never';
  const t = Date.parse(at.includes('T') ? at : `${at.replace(' ', 'T')}Z`);
  if (Number.isNaN(t)) return at;
  const days = Math.floor((now - t) / 86_400_000);
  return days <= 0 ? 'today' : days === 1 ? '1 day ago' : `${days} days ago`;
}
