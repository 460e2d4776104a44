import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../shared/api';
import { loadCatalog, type Asset, type Catalog } from '../shared/catalog';
import { Notice } from '../shared/drawer';
import { EmptyState, IMPORT_PATH, ListShell } from '../shared/list-shell';
import { SuperuserBanner, useRole, whoCanAdd } from '../shared/role';
import { useFadingNotice, useListKeys, usePagedFetch } from '../shared/list-hooks';
import { selectPageColumn, useRowSelection } from '../shared/selection';
import { useIpkStyles } from '../shared/styles';
import { AssetFormDrawer, BulkDrawer, DeleteDrawer } from './asset-drawers';
import { BulkBar } from './bulk-bar';
import { IpRow } from './ip-row';
import { ListFilters } from './list-filters';
import { useListUrlState } from './list-url-state';
import { PAGE_SIZES, apiQuery, formatTotal, hostNamesFor, restoreAsset, restoreAssets, writeState } from './model';
import { useWorkspaceStyles } from './styles';

type Page = { items: Asset[]; total: number; exact: boolean; key: string };
type DrawerState = { kind: 'add' } | { kind: 'edit'; asset: Asset } | { kind: 'delete'; asset: Asset } | { kind: 'bulk'; ids: number[]; commonTags: string[] } | null;

const EMPTY_CATALOG: Catalog = { projects: [], tags: [], projectById: new Map(), tagByName: new Map() };

/** Tags shared by every asset of a selection. */
function commonTagsOf(assets: Asset[]): string[] {
  if (!assets.length) return [];
  return assets.slice(1).reduce((acc, a) => acc.filter((t) => a.tags.includes(t)), [...assets[0]!.tags]);
}

/**
 * The IP assets workspace: live filters (all state in the URL), compact rows, drawers for
 * add/edit/delete/bulk edit. Talks to the REST API with the panel session.
 */
const IpAssetsList: React.FC = () => {
  useIpkStyles();
  useWorkspaceStyles();
  const { role, canWrite } = useRole();
  const [catalog, setCatalog] = useState<Catalog>(EMPTY_CATALOG);
  const [hosts, setHosts] = useState<Map<number, string>>(new Map());
  const selection = useRowSelection();
  const { selected, allMatching } = selection;
  const [drawer, setDrawer] = useState<DrawerState>(null);
  const [notice, setNotice] = useFadingNotice();
  const [reload, setReload] = useState(0);
  const searchInput = useRef<HTMLInputElement>(null);

  const clearSelection = selection.clear;
  const { state, search, setSearch, update } = useListUrlState(clearSelection);

  useEffect(() => {
    loadCatalog()
      .then(setCatalog)
      .catch((e: Error) => setError(e.message));
  }, []);

  const key = writeState(state);
  const { page, loading, error, setError } = usePagedFetch<Page>(
    (signal) =>
      api.getWithHeaders<Asset[]>(`/ip-assets${apiQuery(state)}`, signal).then(({ data, headers }) => {
        // Host names fill in after the rows render (cached by id): the page never waits on them.
        void hostNamesFor(data.map((a) => a.host_id)).then((names) => !signal.aborted && setHosts(new Map(names)));
        return { items: data, total: Number(headers.get('X-Total-Count') ?? data.length), exact: headers.get('X-Total-Count-Exact') !== 'false', key };
      }),
    key,
    reload,
  );

  // Keyboard: "/" focuses search, "n" opens Add (Esc is the drawer's).
  const addKey = useCallback((k: string) => (k === 'n' && canWrite ? (setDrawer({ kind: 'add' }), true) : false), [canWrite]);
  useListKeys(searchInput, !!drawer, addKey);

  const closeDrawer = useCallback(() => setDrawer(null), []);
  const done = useCallback((message: string) => {
    setDrawer(null);
    setNotice(message);
    clearSelection();
    setReload((r) => r + 1);
    loadCatalog().then(setCatalog).catch(() => undefined);
  }, [clearSelection]);

  const items = page?.items ?? [];
  const total = page?.total ?? 0;
  const pageIds = items.map((a) => a.id);
  const allOnPage = selection.allOnPage(pageIds);
  const tagOptions = useMemo(() => catalog.tags.map((t) => ({ name: t.name, color: t.color })), [catalog.tags]);
  const selectionCount = allMatching ? total : selected.size;

  const openBulk = async (): Promise<void> => {
    if (allMatching) {
      const all = await api.get<Asset[]>(`/ip-assets${apiQuery(state, false)}`);
      setDrawer({ kind: 'bulk', ids: all.map((a) => a.id), commonTags: commonTagsOf(all) });
    } else {
      const chosen = items.filter((a) => selected.has(a.id));
      setDrawer({ kind: 'bulk', ids: chosen.map((a) => a.id), commonTags: commonTagsOf(chosen) });
    }
  };
  // Archived rows of the selection (all matching ones when the whole filter is selected).
  const selectedArchived = allMatching ? (state.archived ? total : 0) : items.filter((a) => selected.has(a.id) && a.archived).length;
  const restoreSelected = async (): Promise<void> => {
    try {
      const ids = allMatching ? (await api.get<Asset[]>(`/ip-assets${apiQuery(state, false)}`)).filter((a) => a.archived).map((a) => a.id) : items.filter((a) => selected.has(a.id) && a.archived).map((a) => a.id);
      const r = await restoreAssets(ids);
      done(`${r.updated.toLocaleString('en-US')} restored with their data and history.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const restoreOne = async (a: Asset): Promise<void> => {
    try {
      await restoreAsset(a.ip_address);
      done(`${a.ip_address} restored with its data and history.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const toggleTagFilter = (name: string): void => update({ tags: state.tags.includes(name) ? state.tags : [...state.tags, name] });
  const filtered = !!(state.q || state.project || state.type || state.assignment || state.archived || state.tags.length || state.seen);

  return (
    <div className="ipw" data-testid="ip-workspace">
      <div className="ipw-head">
        <div>
          <h1>IP assets</h1>
          <div className="ipw-sub" data-testid="total">
            {page ? `${formatTotal(total, page.exact)}${state.archived ? ' archived' : ''} address${total === 1 && page.exact ? '' : 'es'}${filtered ? (total === 1 && page.exact ? ' matches the filters' : ' match the filters') : ''}` : 'Loading…'}
          </div>
        </div>
        {canWrite ? (
          <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setDrawer({ kind: 'add' })} title="Add IP (n)">
            + Add IP
          </button>
        ) : null}
      </div>
      <SuperuserBanner role={role} />

      <ListShell
        search={{ value: search, onChange: setSearch, placeholder: 'Search IP, CIDR, host or notes…  ( / )', label: 'Search IP, CIDR, host or notes', testId: 'search', inputRef: searchInput }}
        filters={<ListFilters state={state} catalog={catalog} tagOptions={tagOptions} filtered={filtered} update={update} onClear={() => (setSearch(''), update({ q: '', project: '', type: '', assignment: '', archived: false, tags: [], match: 'any', seen: '' }))} />}
        aboveTable={
          <>
            {canWrite && selection.any ? (
              <BulkBar
                count={selectionCount}
                selectAllLabel={allOnPage && !allMatching && total > items.length ? `Select all ${formatTotal(total, page?.exact ?? true)} matching the filter` : null}
                archived={selectedArchived}
                onSelectAll={selection.selectAllMatching}
                onRestore={() => void restoreSelected()}
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
          { key: 'ip', label: 'IP address', width: 136 },
          { key: 'type', label: 'Type', width: 76 },
          { key: 'project', label: 'Project', width: 116 },
          { key: 'host', label: 'Host', width: 108 },
          { key: 'tags', label: 'Tags', width: 230 },
          { key: 'notes', label: 'Notes' },
          { key: 'last_seen', label: 'Last seen', width: 90 },
          ...(canWrite ? [{ key: 'actions', label: '', title: 'Actions', width: 130 }] : []),
        ]}
        rowCount={page ? items.length : null}
        testId="ip-table"
        className="ipw-list"
        tableAttrs={{ 'data-state': page?.key ?? '', 'data-loading': loading ? 'true' : 'false' }}
        empty={
          filtered || state.archived ? (
            <EmptyState canWrite={false} message="No IP assets match these filters." />
          ) : (
            <EmptyState
              canWrite={canWrite}
              message="No IP addresses yet."
              actions={
                <>
                  <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setDrawer({ kind: 'add' })} data-testid="empty-add-ip">
                    + Add IP
                  </button>
                  <a className="ipk-btn" href={IMPORT_PATH} data-testid="empty-import">
                    Import
                  </a>
                  <a className="ipk-btn" href="/ui/resources/ranges" data-testid="empty-ranges">
                    Create a range
                  </a>
                </>
              }
              readerHint={whoCanAdd(role, 'IP addresses')}
            />
          )
        }
        pager={{ offset: (state.page - 1) * state.per, limit: state.per, shown: items.length, total, exact: page?.exact ?? true, sizes: PAGE_SIZES, rangeTestId: 'page-label', onChange: (n) => update({ per: n.limit, page: Number(n.offset) / n.limit + 1 }, false) }}
      >
        {items.map((a) => (
          <IpRow
            key={a.id}
            asset={a}
            project={a.project_id ? catalog.projectById.get(a.project_id) : undefined}
            hostName={a.host_id ? hosts.get(a.host_id) : undefined}
            tagColor={(name) => catalog.tagByName.get(name)?.color}
            canWrite={canWrite}
            selected={selection.isSelected(a.id)}
            onSelect={(checked) => selection.toggle(a.id, checked, pageIds)}
            filter={update}
            onPickTag={toggleTagFilter}
            onRestore={() => void restoreOne(a)}
            onEdit={() => setDrawer({ kind: 'edit', asset: a })}
            onDelete={() => setDrawer({ kind: 'delete', asset: a })}
          />
        ))}
      </ListShell>

      {drawer?.kind === 'add' ? <AssetFormDrawer asset={null} catalog={catalog} onClose={closeDrawer} onSaved={done} /> : null}
      {drawer?.kind === 'edit' ? <AssetFormDrawer asset={drawer.asset} catalog={catalog} hostName={drawer.asset.host_id ? hosts.get(drawer.asset.host_id) : undefined} onClose={closeDrawer} onSaved={done} /> : null}
      {drawer?.kind === 'delete' ? <DeleteDrawer asset={drawer.asset} catalog={catalog} hostName={drawer.asset.host_id ? hosts.get(drawer.asset.host_id) : undefined} onClose={closeDrawer} onDone={done} /> : null}
      {drawer?.kind === 'bulk' ? <BulkDrawer ids={drawer.ids} commonTags={drawer.commonTags} catalog={catalog} onClose={closeDrawer} onDone={done} /> : null}
    </div>
  );
};

export default IpAssetsList;
