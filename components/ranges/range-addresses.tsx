import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { api, formErrors, qs } from '../shared/api';
import { Address } from '../shared/address';
import { Chip } from '../shared/chip';
import { Drawer, Field, FormFooter, Notice } from '../shared/drawer';
import { EmptyState, LIST_PAGE_SIZES, ListShell } from '../shared/list-shell';
import { SuperuserBanner, useRole } from '../shared/role';
import { useIpkStyles } from '../shared/styles';
import { TagOverflow } from '../shared/tag-overflow';
import { TagPicker } from '../shared/tag-picker';
import { ASSET_TYPES } from '../../src/domain/asset-types';
import { loadCatalog, type Asset, type Catalog } from '../shared/catalog';
import { TYPE_COLORS } from '../shared/value-colors';
import { rangeListPath, type BigCount } from './format';

type Row = { ip_address: string; status: 'used' | 'free'; asset: null | { id: number; type: string; project_id: number | null; host_id: number | null; host_name: string | null; notes: string | null; tags: string[] } };
type Page = { range: { id: number; name: string; cidr: string; ip_version: number }; status: string; used_only: boolean; total: BigCount; limit: number; offset: BigCount; items: Row[] };
type State = { status: 'all' | 'used' | 'free'; q: string; project: string; type: string; tags: string[]; limit: number; offset: string };


function readState(search: string): State {
  const p = new URLSearchParams(search);
  const status = p.get('status');
  const limit = Number(p.get('limit'));
  return {
    status: status === 'used' || status === 'free' ? status : 'all',
    q: p.get('q') ?? '',
    project: p.get('project_id') ?? '',
    type: p.get('type') ?? '',
    tags: (p.get('tags') ?? '').split(',').filter(Boolean),
    limit: LIST_PAGE_SIZES.includes(limit) ? limit : 50,
    offset: /^\d+$/.test(p.get('offset') ?? '') ? p.get('offset')! : '0',
  };
}

function queryOf(s: State): string {
  return qs({ status: s.status === 'all' ? null : s.status, q: s.q.trim(), project_id: s.project, type: s.type, tags: s.tags, limit: s.limit === 50 ? null : s.limit, offset: s.offset === '0' ? null : s.offset });
}


/** A range's addresses, used and free, with filters, paging and URL state (a record action of ranges). */
const RangeAddresses: React.FC<{ record?: { params: Record<string, unknown> } }> = ({ record }) => {
  useIpkStyles();
  const id = Number(record?.params.id);
  const { role, canWrite } = useRole();
  const [state, setState] = useState<State>(() => readState(window.location.search));
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [adding, setAdding] = useState<string | null>(null);
  const [editing, setEditing] = useState<Asset | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    loadCatalog().then(setCatalog, () => undefined);
  }, []);
  useEffect(() => {
    window.history.replaceState(null, '', `${window.location.pathname}${queryOf(state)}`);
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      api
        .get<Page>(`/ranges/${id}/addresses${qs({ status: state.status, q: state.q.trim(), project_id: state.project, type: state.type, tags: state.tags, limit: state.limit, offset: state.offset })}`, ctrl.signal)
        .then((p) => {
          setPage(p);
          setError(null);
        })
        .catch((e: Error) => {
          if (e.name !== 'AbortError') setError(e.message);
        });
    }, 120);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [id, state, tick]);

  const set = (patch: Partial<State>): void => setState((s) => ({ ...s, offset: '0', ...patch }));
  const projectById = catalog?.projectById;
  const tagByName = catalog?.tagByName;
  const addTag = (name: string): void => {
    if (!state.tags.includes(name)) set({ tags: [...state.tags, name] });
  };
  const openEdit = useCallback(async (ip: string) => {
    try {
      setEditing(await api.get<Asset>(`/ip-assets/${encodeURIComponent(ip)}`));
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  const saved = (message: string): void => {
    setAdding(null);
    setEditing(null);
    setNotice(message);
    setTick((n) => n + 1);
  };
  const projectOptions = useMemo(() => catalog?.projects ?? [], [catalog]);

  return (
    <div style={{ padding: 24 }} data-testid="range-addresses">
      <div style={{ marginBottom: 4 }}>
        <a href={rangeListPath} style={{ fontSize: 13 }}>
          ← IP ranges
        </a>
      </div>
      <h2 style={{ margin: '0 0 4px', fontSize: 22, fontWeight: 600 }}>
        {page ? page.range.name : 'Range'} <code style={{ fontSize: 16, color: '#475569' }}>{page?.range.cidr}</code>
      </h2>
      <div style={{ color: '#64748b', fontSize: 13, marginBottom: 16 }}>Every usable address, used or free. Project, type and tag filters match used addresses only.</div>
      <SuperuserBanner role={role} />
      <Notice message={notice} />
      {error ? <div className="ipk-err">{error}</div> : null}
      <ListShell
        search={{ value: state.q, onChange: (q) => set({ q }), placeholder: 'Search IP, CIDR, 10.0.1. or host…', label: 'Search IP', testId: 'ip-search' }}
        filters={
          <>
            <div role="group" aria-label="Status" style={{ display: 'inline-flex', border: '1px solid #cbd5e1', borderRadius: 6, overflow: 'hidden' }}>
              {(['all', 'used', 'free'] as const).map((s) => (
                <button key={s} type="button" onClick={() => set({ status: s })} aria-pressed={state.status === s} data-testid={`status-${s}`} style={{ border: 0, padding: '6px 12px', fontSize: 13, cursor: 'pointer', background: state.status === s ? '#2563eb' : '#fff', color: state.status === s ? '#fff' : '#0f172a' }}>
                  {s[0]!.toUpperCase() + s.slice(1)}
                </button>
              ))}
            </div>
            <select className="ipk-select" style={{ width: 170 }} value={state.project} onChange={(e) => set({ project: e.target.value })} aria-label="Project" data-testid="project-filter">
              <option value="">All projects</option>
              <option value="unassigned">Unassigned</option>
              {projectOptions.map((p) => (
                <option key={p.id} value={String(p.id)}>
                  {p.name}
                </option>
              ))}
            </select>
            <select className="ipk-select" style={{ width: 130 }} value={state.type} onChange={(e) => set({ type: e.target.value })} aria-label="Type" data-testid="type-filter">
              <option value="">All types</option>
              {ASSET_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
            <div style={{ minWidth: 220, flex: '1 1 220px' }}>
              <TagPicker value={state.tags} onChange={(tags) => set({ tags })} options={catalog?.tags ?? []} placeholder="Filter tags…" testId="tag-filter" />
            </div>
          </>
        }
        columns={[
          // Wide enough for a whole IPv6 address (8 groups of 4 in monospace): addresses are never cut.
          { key: 'ip', label: 'IP address', width: page?.range.ip_version === 6 ? 264 : 130 },
          { key: 'status', label: 'Status', width: 64 },
          { key: 'project', label: 'Project', width: '11%' },
          { key: 'type', label: 'Type', width: 72 },
          { key: 'host', label: 'Host', width: '10%' },
          { key: 'tags', label: 'Tags', width: '21%' },
          { key: 'notes', label: 'Notes' },
          { key: 'actions', label: '', title: 'Actions', width: 64 },
        ]}
        rowCount={page ? page.items.length : null}
        testId="addresses-table"
        empty={<EmptyState canWrite={false} message="No addresses match." />}
        pager={{ offset: state.offset, limit: state.limit, shown: page?.items.length ?? 0, total: page?.total ?? 0, sizes: LIST_PAGE_SIZES, rangeTestId: 'range-total', onChange: (n) => setState((s) => ({ ...s, offset: n.offset, limit: n.limit })) }}
      >
        {page?.items.map((r) => {
          const project = r.asset?.project_id ? projectById?.get(r.asset.project_id) : undefined;
          return (
            <tr key={r.ip_address} data-testid={`address-${r.ip_address}`} style={{ background: r.status === 'free' ? '#fcfdfc' : undefined }}>
              <td className="ipk-mono ipk-wrap">
                <Address ip={r.ip_address} />
              </td>
              <td>{r.status === 'used' ? <Chip label="used" color="#dbeafe" /> : <Chip label="free" color="#dcfce7" />}</td>
              <td>{project ? <Chip label={project.name} color={project.color} onClick={() => set({ project: String(project.id) })} /> : r.asset ? <span className="ipk-muted">—</span> : null}</td>
              <td>{r.asset ? <Chip label={r.asset.type} color={TYPE_COLORS[r.asset.type]} onClick={() => set({ type: r.asset!.type })} /> : null}</td>
              <td title={r.asset?.host_name ?? ''}>{r.asset?.host_name ?? ''}</td>
              <td style={{ overflow: 'visible' }}>{r.asset ? <TagOverflow tags={r.asset.tags.map((n) => ({ name: n, color: tagByName?.get(n)?.color }))} onPick={addTag} /> : null}</td>
              <td title={r.asset?.notes ?? ''}>{r.asset?.notes ?? ''}</td>
              <td className="ipk-actions">
                {canWrite && r.status === 'free' ? (
                  <button type="button" className="ipk-btn ipk-btn-sm" onClick={() => setAdding(r.ip_address)}>
                    Add
                  </button>
                ) : null}
                {canWrite && r.status === 'used' ? (
                  <button type="button" className="ipk-btn ipk-btn-sm" onClick={() => void openEdit(r.ip_address)}>
                    Edit
                  </button>
                ) : null}
              </td>
            </tr>
          );
        })}
      </ListShell>
      {adding && catalog ? <AddressDrawer ip={adding} asset={null} catalog={catalog} onClose={() => setAdding(null)} onSaved={saved} /> : null}
      {editing && catalog ? <AddressDrawer ip={editing.ip_address} asset={editing} catalog={catalog} onClose={() => setEditing(null)} onSaved={saved} /> : null}
    </div>
  );
};

/** Adds the free address clicked (IP prefilled and fixed) or edits a used one. */
const AddressDrawer: React.FC<{ ip: string; asset: Asset | null; catalog: Catalog; onClose: () => void; onSaved: (m: string) => void }> = ({ ip, asset, catalog, onClose, onSaved }) => {
  const [type, setType] = useState<string>(asset?.type ?? 'VM');
  const [project, setProject] = useState(asset?.project_id ? String(asset.project_id) : '');
  const [tags, setTags] = useState<string[]>(asset?.tags ?? []);
  const [notes, setNotes] = useState(asset?.notes ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = async (): Promise<void> => {
    const body = { type, project_id: project ? Number(project) : null, tags, notes: notes.trim() || null };
    try {
      if (asset) await api.patch(`/ip-assets/${encodeURIComponent(ip)}`, body);
      else await api.post('/ip-assets', { ip_address: ip, ...body });
      onSaved(asset ? `${ip} saved.` : `${ip} added.`);
    } catch (err) {
      setErrors(formErrors(err));
    }
  };
  return (
    <Drawer
      open
      title={asset ? 'Edit IP address' : 'Add IP address'}
      subtitle={ip}
      onClose={onClose}
      onSubmit={() => void save()}
      formId="address-form"
      testId={asset ? 'edit-address-drawer' : 'add-address-drawer'}
      footer={<FormFooter formId="address-form" submitLabel={asset ? 'Save' : 'Add IP'} onCancel={onClose} />}
    >
      <Field label="IP address" error={errors.ip_address} htmlFor="add-ip">
        <input id="add-ip" className="ipk-input" value={ip} readOnly />
      </Field>
      <Field label="Type" error={errors.type} htmlFor="add-type">
        <select id="add-type" className="ipk-select" value={type} onChange={(e) => setType(e.target.value)}>
          {ASSET_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Project" error={errors.project_id} htmlFor="add-project">
        <select id="add-project" className="ipk-select" value={project} onChange={(e) => setProject(e.target.value)}>
          <option value="">Unassigned</option>
          {catalog.projects.map((p) => (
            <option key={p.id} value={String(p.id)}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Tags" error={errors.tags}>
        <TagPicker value={tags} onChange={setTags} options={catalog.tags} allowNew />
      </Field>
      <Field label="Notes" error={errors.notes} htmlFor="add-notes">
        <textarea id="add-notes" className="ipk-textarea" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
      {errors._ ? <div className="ipk-err">{errors._}</div> : null}
    </Drawer>
  );
};

export default RangeAddresses;
