import React, { useRef, useState } from 'react';
import { BulkBar } from '../ip-assets/bulk-bar';
import { useWorkspaceStyles } from '../ip-assets/styles';
import { api } from '../shared/api';
import { Notice } from '../shared/drawer';
import { EmptyState, IMPORT_PATH, ListShell } from '../shared/list-shell';
import { SuperuserBanner, useRole, whoCanAdd } from '../shared/role';
import { useFadingNotice, useListKeys, usePagedFetch } from '../shared/list-hooks';
import { selectPageColumn, useRowSelection } from '../shared/selection';
import { useIpkStyles } from '../shared/styles';
import { useUrlListState } from '../shared/url-state';
import { DeviceBulkDrawer } from './bulk-drawer';
import { ColumnPicker, FilterChips, KindChips } from './device-filters';
import { DeviceListRow } from './device-row';
import { COLUMNS, PAGE_SIZES, deviceApiQuery, isFiltered, readDeviceState, writeDeviceState, type DeviceListState } from './model';
import { useDeviceStyles } from './styles';
import { toPage, type DeviceRow } from './wire';

type Page = { items: DeviceRow[]; total: number; key: string };

/** Where "Export CSV" downloads from: the list's own filters, no paging (exactly what is filtered). */
export const exportHref = (s: DeviceListState): string => {
  const q = deviceApiQuery(s, false);
  return `/devices/export.csv${q}`;
};

/**
 * The Devices page: live search (hostname, serial, MAC, asset tag…), LAIM's kind chips, the
 * other filters as chips, column choice, paging — all in the URL; quick "assign technical
 * owner" in the row, bulk edit of a selection, CSV export of exactly what is filtered.
 */
const DevicesList: React.FC = () => {
  useIpkStyles();
  useWorkspaceStyles();
  useDeviceStyles();
  const { role, canWrite } = useRole();
  const selection = useRowSelection();
  const [bulk, setBulk] = useState<number[] | null>(null);
  const [notice, setNotice] = useFadingNotice();
  const [reload, setReload] = useState(0);
  const searchInput = useRef<HTMLInputElement>(null);
  const clearSelection = selection.clear;
  const { state, search, setSearch, update } = useUrlListState(readDeviceState, writeDeviceState, clearSelection);

  const key = writeDeviceState({ ...state, cols: [] });
  const { page, loading, error, setError, setPage } = usePagedFetch<Page>((signal) => api.getWithHeaders<unknown>(`/devices${deviceApiQuery(state)}`, signal).then(({ data, headers }) => ({ ...toPage(data, headers), key })), key, reload);
  useListKeys(searchInput, !!bulk);

  const items = page?.items ?? [];
  const total = page?.total ?? 0;
  const filtered = isFiltered(state);
  const pageIds = items.map((d) => d.id);
  const allOnPage = selection.allOnPage(pageIds);
  const openBulk = async (): Promise<void> => {
    if (!selection.allMatching) return setBulk(items.filter((d) => selection.selected.has(d.id)).map((d) => d.id));
    try {
      const { data, headers } = await api.getWithHeaders<unknown>(`/devices${deviceApiQuery({ ...state, page: 1, per: Math.min(total, 10_000) })}`);
      setBulk(toPage(data, headers).items.map((d) => d.id));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const shown = COLUMNS.filter((c) => state.cols.includes(c.key));
  const sortKey = state.sort.replace(/^-/, '');

  return (
    <div className="ipw" data-testid="devices-page">
      <div className="ipw-head">
        <div>
          <h1>Devices</h1>
          <div className="ipw-sub" data-testid="devices-total">
            {page ? `${total.toLocaleString('en-US')} device${total === 1 ? '' : 's'}${filtered ? (total === 1 ? ' matches the filters' : ' match the filters') : ''}` : 'Loading…'}
          </div>
        </div>
        <div style={{ display: 'flex', gap: 8 }}>
          <a className="ipk-btn" href={exportHref(state)} download data-testid="export-csv" title="Downloads exactly the devices the filters select">
            Export CSV
          </a>
        </div>
      </div>
      <SuperuserBanner role={role} />
      <KindChips kind={state.kind} update={update} />
      <ListShell
        search={{ value: search, onChange: setSearch, placeholder: 'Search hostname, serial, MAC, asset tag, IP…  ( / )', label: 'Search devices', testId: 'device-search', inputRef: searchInput }}
        filters={
          <>
            <ColumnPicker cols={state.cols} onChange={(cols) => update({ cols }, false)} />
            <FilterChips state={state} update={update} filtered={filtered} onClear={() => (setSearch(''), update({ q: '', kind: '', filters: {}, archived: false }))} />
          </>
        }
        aboveTable={
          <>
            {canWrite && selection.any ? (
              <BulkBar
                count={selection.allMatching ? total : selection.selected.size}
                selectAllLabel={allOnPage && !selection.allMatching && total > items.length ? `Select all ${total.toLocaleString('en-US')} matching the filter` : null}
                archived={0}
                onSelectAll={selection.selectAllMatching}
                onRestore={() => undefined}
                onBulkEdit={() => void openBulk()}
                onClear={clearSelection}
              />
            ) : null}
            <Notice message={notice || null} />
            {error ? <div className="ipk-warn">{error}</div> : null}
          </>
        }
        columns={[
          ...(canWrite ? [selectPageColumn(selection, pageIds)] : []),
          ...shown.map((c) => ({ key: c.key, label: c.label, width: c.width, sortable: c.sortable })),
        ]}
        sort={{ key: sortKey, dir: state.sort.startsWith('-') ? 'desc' : 'asc' }}
        onSort={(s) => update({ sort: s.dir === 'desc' ? `-${s.key}` : s.key })}
        rowCount={page ? items.length : null}
        testId="devices-table"
        tableAttrs={{ 'data-state': page?.key ?? '', 'data-loading': loading ? 'true' : 'false' }}
        empty={
          filtered ? (
            <EmptyState canWrite={false} message="No devices match these filters." />
          ) : (
            <EmptyState
              canWrite={canWrite}
              message="No devices yet."
              actions={
                <a className="ipk-btn ipk-btn-primary" href={IMPORT_PATH}>
                  Import
                </a>
              }
              readerHint={whoCanAdd(role, 'devices')}
            />
          )
        }
        pager={{ offset: (state.page - 1) * state.per, limit: state.per, shown: items.length, total, sizes: PAGE_SIZES, rangeTestId: 'devices-range', onChange: (n) => update({ per: n.limit, page: Number(n.offset) / n.limit + 1 }, false) }}
      >
        {items.map((d) => (
          <DeviceListRow
            key={d.id}
            device={d}
            cols={state.cols}
            canWrite={canWrite}
            selected={selection.isSelected(d.id)}
            onSelect={(checked) => selection.toggle(d.id, checked, pageIds)}
            filter={update}
            filters={state.filters}
            onOwnerAssigned={(owner) => {
              setPage((p) => (p ? { ...p, items: p.items.map((x) => (x.id === d.id ? { ...x, technical_owner: owner } : x)) } : p));
              setNotice(owner ? `${d.name}: technical owner is now ${owner.full_name}.` : `${d.name}: technical owner removed.`);
            }}
          />
        ))}
      </ListShell>
      {bulk ? (
        <DeviceBulkDrawer
          ids={bulk}
          onClose={() => setBulk(null)}
          onDone={(m) => {
            setBulk(null);
            setNotice(m);
            clearSelection();
            setReload((r) => r + 1);
          }}
        />
      ) : null}
    </div>
  );
};

export default DevicesList;
