import React, { useEffect, useRef, useState } from 'react';
import { BulkBar } from '../ip-assets/bulk-bar';
import { formatTotal } from '../ip-assets/model';
import { useWorkspaceStyles } from '../ip-assets/styles';
import { api } from '../shared/api';
import { loadCatalog, type Project } from '../shared/catalog';
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
import { ownerNamesFor, rememberOwner, toPage, type DeviceSummary } from './wire';

type Page = { items: DeviceSummary[]; total: number; exact: boolean; key: string };

/** Where "Export CSV" downloads from: the list's own filters, no paging (exactly what is filtered). */
export const exportHref = (s: DeviceListState): string => {
  const q = deviceApiQuery(s, false);
  return `/devices/export${q || '?'}${q ? '&' : ''}format=csv`;
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
  const [projects, setProjects] = useState<Map<number, Project>>(new Map());
  const [owners, setOwners] = useState<Map<number, string>>(new Map());
  useEffect(() => {
    loadCatalog().then((c) => setProjects(c.projectById), () => undefined);
  }, []);
  const { page, loading, error, setError, setPage } = usePagedFetch<Page>(
    (signal) =>
      api.getWithHeaders<unknown>(`/devices${deviceApiQuery(state)}`, signal).then(({ data, headers }) => {
        const p = toPage<DeviceSummary>(data, headers);
        // Owner names fill in after the rows render (cached by id): the page never waits on them.
        void ownerNamesFor(p.items.flatMap((d) => [d.technical_owner_id, d.business_owner_id])).then((names) => !signal.aborted && setOwners(new Map(names)));
        return { ...p, key };
      }),
    key,
    reload,
  );
  useListKeys(searchInput, !!bulk);

  const items = page?.items ?? [];
  const total = page?.total ?? 0;
  const filtered = isFiltered(state);
  const pageIds = items.map((d) => d.id);
  const allOnPage = selection.allOnPage(pageIds);
  const openBulk = async (): Promise<void> => {
    if (!selection.allMatching) return setBulk(items.filter((d) => selection.selected.has(d.id)).map((d) => d.id));
    try {
      // A bulk edit takes up to 1,000 devices at once (the API's cap, all or nothing).
      if (total > 1000 || !page?.exact) return setError(`Bulk edit takes up to 1,000 devices at once; these filters match ${total.toLocaleString('en-US')}. Narrow them first.`);
      const { data, headers } = await api.getWithHeaders<unknown>(`/devices${deviceApiQuery({ ...state, page: 1, per: 1000 })}`);
      setBulk(toPage<DeviceSummary>(data, headers).items.map((d) => d.id));
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
            {page ? `${formatTotal(total, page.exact)} device${total === 1 && page.exact ? '' : 's'}${filtered ? (total === 1 && page.exact ? ' matches the filters' : ' match the filters') : ''}` : 'Loading…'}
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
            <FilterChips state={state} update={update} filtered={filtered} projects={projects} ownerName={(id) => owners.get(id)} onClear={() => (setSearch(''), update({ q: '', kind: '', filters: {}, archived: false }))} />
          </>
        }
        aboveTable={
          <>
            {canWrite && selection.any ? (
              <BulkBar
                count={selection.allMatching ? total : selection.selected.size}
                selectAllLabel={allOnPage && !selection.allMatching && total > items.length ? `Select all ${formatTotal(total, page?.exact ?? true)} matching the filter` : null}
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
          ...shown.map((c) => ({ key: c.key, label: c.label, width: c.width, minWidth: c.minWidth, sortable: !!c.sort })),
        ]}
        sort={{ key: COLUMNS.find((c) => c.sort === sortKey)?.key ?? '', dir: state.sort.startsWith('-') ? 'desc' : 'asc' }}
        onSort={(s) => {
          const by = COLUMNS.find((c) => c.key === s.key)?.sort ?? 'name';
          update({ sort: s.dir === 'desc' ? `-${by}` : by });
        }}
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
        pager={{ offset: (state.page - 1) * state.per, limit: state.per, shown: items.length, total, exact: page?.exact ?? true, sizes: PAGE_SIZES, rangeTestId: 'devices-range', onChange: (n) => update({ per: n.limit, page: Number(n.offset) / n.limit + 1 }, false) }}
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
            project={d.project_id ? projects.get(d.project_id) : undefined}
            ownerName={(id) => (id ? owners.get(id) : undefined)}
            onOwnerAssigned={(owner) => {
              if (owner) {
                rememberOwner(owner.id, owner.label);
                setOwners((m) => new Map(m).set(owner.id, owner.label));
              }
              setPage((p) => (p ? { ...p, items: p.items.map((x) => (x.id === d.id ? { ...x, technical_owner_id: owner?.id ?? null } : x)) } : p));
              setNotice(owner ? `${d.name}: technical owner is now ${owner.label}.` : `${d.name}: technical owner removed.`);
            }}
          />
        ))}
      </ListShell>
      {bulk ? (
        <DeviceBulkDrawer
          ids={bulk}
          projects={[...projects.values()]}
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
