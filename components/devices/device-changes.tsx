import React, { useEffect, useState } from 'react';
import { FACT_FIELD_NAMES } from '../../src/domain/devices/fields';
import { useWorkspaceStyles } from '../ip-assets/styles';
import { api, qs } from '../shared/api';
import { Chip } from '../shared/chip';
import { Pager } from '../shared/list-shell';
import { usePagedFetch } from '../shared/list-hooks';
import { SearchPicker, type PickerOption } from '../shared/search-picker';
import { useIpkStyles } from '../shared/styles';
import { ChangeTable, runPath } from './change-table';
import { devicePath, PAGE_SIZES } from './model';
import { useDeviceStyles } from './styles';
import { toPage, type DeviceChange, type DeviceSummary } from './wire';

/** What the page keeps in its URL: each filter under the API's own parameter name. */
type State = { field: string; device_id: number | null; device_name: string; run_id: number | null; changed_by: string; last24: boolean; page: number; per: number };

/** Fields a change can name besides the facts: the manual ones, the lists and "device" (created). */
const FIELDS = ['device', 'name', 'notes', 'asset_tag', 'room_location', 'sub_location', 'project_id', 'environment', 'business_owner_id', 'technical_owner_id', 'archived_at', 'archive_reason', 'macs', 'ips', 'nics', 'disks', 'tags', 'vendor', ...FACT_FIELD_NAMES];

const positive = (v: string | null): number | null => (v && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : null);

function read(search: string): State {
  const p = new URLSearchParams(search);
  const per = Number(p.get('per'));
  return {
    field: p.get('field') ?? '',
    device_id: positive(p.get('device_id')),
    device_name: p.get('device') ?? '',
    run_id: positive(p.get('run_id')),
    changed_by: p.get('changed_by') ?? '',
    last24: p.get('since_hours') === '24',
    page: positive(p.get('page')) ?? 1,
    per: PAGE_SIZES.includes(per) ? per : 50,
  };
}

function write(s: State): string {
  return qs({
    field: s.field || undefined,
    device_id: s.device_id ?? undefined,
    device: s.device_id ? s.device_name || undefined : undefined,
    run_id: s.run_id ?? undefined,
    changed_by: s.changed_by || undefined,
    since_hours: s.last24 ? 24 : undefined,
    page: s.page > 1 ? s.page : undefined,
    per: s.per !== 50 ? s.per : undefined,
  });
}

const apiQuery = (s: State): string =>
  qs({ field: s.field || undefined, device_id: s.device_id ?? undefined, run_id: s.run_id ?? undefined, changed_by: s.changed_by || undefined, since_hours: s.last24 ? 24 : undefined, limit: s.per, offset: (s.page - 1) * s.per });

async function searchDevices(q: string, signal: AbortSignal): Promise<PickerOption[]> {
  const { data, headers } = await api.getWithHeaders<unknown>(`/devices${qs({ q, limit: 10 })}`, signal);
  return toPage<DeviceSummary>(data, headers).items.map((d) => ({ id: d.id, label: d.name, hint: d.kind }));
}

type Page = { items: DeviceChange[]; total: number; key: string };

/**
 * Device changes: every history row across devices, newest first, paged by the server; filter by
 * field, device, run, user and "last 24 h" (all in the URL, so a link or Back shows the same
 * page). Each row links to its device and to the run that made it.
 */
const DeviceChanges: React.FC = () => {
  useIpkStyles();
  useWorkspaceStyles();
  useDeviceStyles();
  const [state, setState] = useState<State>(() => read(window.location.search));
  // Text filters apply on Enter or on leaving the box, not on every key.
  const [runText, setRunText] = useState(state.run_id ? String(state.run_id) : '');
  const [userText, setUserText] = useState(state.changed_by);
  const update = (patch: Partial<State>): void => {
    const next = { ...state, page: 1, ...patch };
    const url = `${window.location.pathname}${write(next)}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.pushState(null, '', url);
    setState(next);
  };
  useEffect(() => {
    const onPop = (): void => {
      const s = read(window.location.search);
      setState(s);
      setRunText(s.run_id ? String(s.run_id) : '');
      setUserText(s.changed_by);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const key = apiQuery(state);
  const { page, loading, error } = usePagedFetch<Page>(
    (signal) => api.getWithHeaders<unknown>(`/device-changes${key}`, signal).then(({ data, headers }) => ({ ...toPage<DeviceChange>(data, headers), key })),
    key,
    0,
  );
  const applyText = (): void => {
    const run = positive(runText.trim());
    const user = userText.trim();
    if (run !== state.run_id || user !== state.changed_by) update({ run_id: run, changed_by: user });
  };
  const onEnter = (e: React.KeyboardEvent): void => {
    if (e.key === 'Enter') applyText();
  };
  const device: PickerOption | null = state.device_id ? { id: state.device_id, label: state.device_name || `device #${state.device_id}` } : null;
  const filtered = !!(state.field || state.device_id || state.run_id || state.changed_by || state.last24);
  return (
    <div className="ipw" style={{ padding: 24 }} data-testid="device-changes">
      <div className="ipw-head">
        <div>
          <h1>Device changes</h1>
          <p className="ipk-hint" style={{ margin: '4px 0 0' }}>
            Every change to every device, by a person or a sync run, newest first.
          </p>
        </div>
      </div>
      <div className="ipw-card dvc-filters" role="search" aria-label="Filter device changes">
        <label>
          Field
          <select className="ipk-select" value={state.field} onChange={(e) => update({ field: e.target.value })} data-testid="filter-field">
            <option value="">any field</option>
            {FIELDS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <div className="dvc-device">
          <span id="dvc-device-label">Device</span>
          <SearchPicker value={device} onChange={(o) => update({ device_id: o?.id ?? null, device_name: o?.label ?? '' })} search={searchDevices} placeholder="Any device — type a name" id="dvc-device" testId="filter-device" clearLabel="Any device" />
        </div>
        <label>
          Run
          <input className="ipk-input" inputMode="numeric" placeholder="run id" value={runText} onChange={(e) => setRunText(e.target.value)} onBlur={applyText} onKeyDown={onEnter} data-testid="filter-run" />
        </label>
        <label>
          User
          <input className="ipk-input" placeholder="username" value={userText} onChange={(e) => setUserText(e.target.value)} onBlur={applyText} onKeyDown={onEnter} data-testid="filter-user" />
        </label>
        <label className="dvc-check">
          <input type="checkbox" checked={state.last24} onChange={(e) => update({ last24: e.target.checked })} data-testid="filter-24h" />
          Last 24 h
        </label>
      </div>
      {filtered ? (
        <div className="ipw-chips" style={{ marginBottom: 10 }} data-testid="active-filters">
          {state.device_id ? (
            <a href={devicePath(state.device_id)}>
              <Chip label={`device: ${device?.label}`} />
            </a>
          ) : null}
          {state.run_id ? (
            <a href={runPath(state.run_id)}>
              <Chip label={`run #${state.run_id}`} color="#e9d5ff" />
            </a>
          ) : null}
          <button
            type="button"
            className="ipk-btn ipk-btn-sm ipk-btn-link"
            onClick={() => {
              setRunText('');
              setUserText('');
              update({ field: '', device_id: null, device_name: '', run_id: null, changed_by: '', last24: false });
            }}
            data-testid="clear-filters"
          >
            Clear filters
          </button>
        </div>
      ) : null}
      {error ? <div className="ipk-warn">{error}</div> : null}
      <div className="ipw-card" data-testid="changes-card" data-loading={loading ? 'true' : 'false'}>
        {page && page.items.length === 0 ? (
          <p className="ipk-muted" data-testid="changes-empty">
            {filtered ? 'No change matches these filters.' : 'No device has changed yet: changes appear here when a person edits a device or a sync run reports one.'}
          </p>
        ) : null}
        {page && page.items.length ? <ChangeTable rows={page.items} withDevice testId="changes-table" /> : null}
        {page && page.total > 0 ? (
          <Pager offset={String((state.page - 1) * state.per)} limit={state.per} shown={page.items.length} total={String(page.total)} sizes={PAGE_SIZES} onChange={(n) => update({ page: Number(n.offset) / n.limit + 1, per: n.limit })} />
        ) : null}
      </div>
    </div>
  );
};

export default DeviceChanges;
