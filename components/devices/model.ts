import { qs } from '../shared/api';

export const DEVICES_PATH = '/ui/resources/devices';
export const devicePath = (id: number): string => `${DEVICES_PATH}/records/${id}/show`;
export const PAGE_SIZES = [20, 50, 100, 200];

/** The kinds, with LAIM's category names as the chip labels (LAIM's seven first, then the rest). */
export const KIND_CHIPS: { kind: string; label: string }[] = [
  { kind: 'laptop', label: 'Laptops' },
  { kind: 'desktop', label: 'Desktops' },
  { kind: 'smart_tv', label: 'Smart TVs' },
  { kind: 'server', label: 'Servers' },
  { kind: 'wap', label: 'WAPs' },
  { kind: 'router', label: 'Routers' },
  { kind: 'switch', label: 'Switches' },
  { kind: 'vm', label: 'VMs' },
  { kind: 'hypervisor', label: 'Hypervisors' },
  { kind: 'storage', label: 'Storage' },
  { kind: 'other', label: 'Other' },
];
export const KINDS = KIND_CHIPS.map((k) => k.kind);
export const kindLabel = (kind: string | null | undefined): string => KIND_CHIPS.find((k) => k.kind === kind)?.label.replace(/s$/, '').replace(/^Switche$/, 'Switch') ?? kind ?? '—';

export const POWER_STATES = ['on', 'off', 'suspended', 'unknown'];

/**
 * The filters beside the kind chips: each is one URL parameter and one API parameter, and shows
 * as a removable chip while set. `options` are fixed choices; otherwise the value is free text.
 */
export type FilterKey = 'platform' | 'power_state' | 'os_type' | 'os_family' | 'location' | 'project' | 'environment' | 'tag' | 'source' | 'network' | 'owner' | 'not_seen_days';
export const FILTERS: { key: FilterKey; label: string; options?: string[] }[] = [
  { key: 'platform', label: 'Platform', options: ['vmware', 'nutanix', 'physical', 'other'] },
  { key: 'power_state', label: 'Power', options: POWER_STATES },
  { key: 'os_family', label: 'OS family' },
  { key: 'os_type', label: 'OS type' },
  { key: 'location', label: 'Location' },
  { key: 'project', label: 'Project' },
  { key: 'environment', label: 'Environment' },
  { key: 'tag', label: 'Tag' },
  { key: 'source', label: 'Source' },
  { key: 'network', label: 'Network' },
  { key: 'owner', label: 'Owner' },
  { key: 'not_seen_days', label: 'Not seen for (days)', options: ['1', '7', '30', '90', '365'] },
];

/** The columns a user may show or hide; `fixed` ones are always there. */
export type ColumnKey = 'name' | 'kind' | 'platform' | 'serial' | 'asset_tag' | 'macs' | 'ips' | 'os' | 'power_state' | 'cpu_mem' | 'location' | 'project' | 'environment' | 'technical_owner' | 'business_owner' | 'tags' | 'last_seen';
export const COLUMNS: { key: ColumnKey; label: string; width?: number | string; fixed?: boolean; sortable?: boolean }[] = [
  { key: 'name', label: 'Name', fixed: true, sortable: true, width: '14%' },
  { key: 'kind', label: 'Kind', sortable: true, width: 96 },
  { key: 'platform', label: 'Platform', sortable: true, width: 90 },
  { key: 'serial', label: 'Serial', sortable: true, width: 120 },
  { key: 'asset_tag', label: 'Asset tag', sortable: true, width: 100 },
  { key: 'macs', label: 'MAC', width: 140 },
  { key: 'ips', label: 'IPs', width: 130 },
  { key: 'os', label: 'OS', width: 130 },
  { key: 'power_state', label: 'Power', sortable: true, width: 70 },
  { key: 'cpu_mem', label: 'vCPU / RAM', width: 96 },
  { key: 'location', label: 'Location', sortable: true, width: 110 },
  { key: 'project', label: 'Project', sortable: true, width: 100 },
  { key: 'environment', label: 'Env', width: 70 },
  { key: 'technical_owner', label: 'Technical owner', width: 170 },
  { key: 'business_owner', label: 'Business owner', width: 130 },
  { key: 'tags', label: 'Tags', width: 140 },
  { key: 'last_seen', label: 'Last seen', sortable: true, width: 92 },
];
export const DEFAULT_COLUMNS: ColumnKey[] = ['name', 'kind', 'platform', 'serial', 'macs', 'ips', 'power_state', 'location', 'technical_owner', 'last_seen'];
const COLUMN_KEYS = new Set<string>(COLUMNS.map((c) => c.key));
const SORT_KEYS = new Set(COLUMNS.filter((c) => c.sortable).map((c) => c.key));

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
    sort: SORT_KEYS.has(sort.replace(/^-/, '') as ColumnKey) ? sort : 'name',
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
