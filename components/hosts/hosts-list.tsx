import React, { useEffect, useState } from 'react';
import { api, formErrors, qs } from '../shared/api';
import { Chip } from '../shared/chip';
import { RecordDeleteDrawer, RowActionsCell } from '../shared/confirm-delete';
import { Drawer, Field, FormFooter, Notice, useDrawerPage } from '../shared/drawer';
import { EmptyState, IMPORT_PATH, LIST_PAGE_SIZES, ListShell } from '../shared/list-shell';
import { SuperuserBanner, useRole, whoCanAdd } from '../shared/role';
import { useIpkStyles } from '../shared/styles';

type Host = { id: number; name: string; notes: string | null; vendor: string | null; vendor_id: number | null; os_ips: string[]; bmc_ips: string[]; ip_count: number; project_ids: number[] };
type Named = { id: number; name: string; color?: string | null };
type Mode = { kind: 'add' } | { kind: 'edit'; host: Host } | { kind: 'delete'; host: Host };

/** Loose client-side check; the server parses strictly. */
const looksLikeIp = (v: string): boolean => /^(\d{1,3}\.){3}\d{1,3}$/.test(v) || (v.includes(':') && /^[0-9a-fA-F:.]+$/.test(v));

const SORTS = ['name', '-name', 'vendor', '-vendor'];

/** Hosts: search, vendor filter, sortable name/vendor, linked OS/BMC IPs, project badge, add/edit/delete drawers. */
const HostsList: React.FC = () => {
  useIpkStyles();
  const { role, canWrite } = useRole();
  const initial = new URLSearchParams(window.location.search);
  const [q, setQ] = useState(initial.get('q') ?? '');
  const [vendor, setVendor] = useState(initial.get('vendor_id') ?? '');
  const [sort, setSort] = useState(SORTS.includes(initial.get('sort') ?? '') ? initial.get('sort')! : 'name');
  const [offset, setOffset] = useState(0);
  const [per, setPer] = useState(50);
  const [hosts, setHosts] = useState<Host[] | null>(null);
  const [total, setTotal] = useState(0);
  const [vendors, setVendors] = useState<Named[]>([]);
  const [projects, setProjects] = useState<Named[]>([]);
  const [tick, setTick] = useState(0);
  const { mode, setMode, notice, done } = useDrawerPage<Mode>(() => setTick((n) => n + 1));
  useEffect(() => {
    Promise.all([api.get<Named[]>('/vendors'), api.get<Named[]>('/projects')]).then(([v, p]) => {
      setVendors(v);
      setProjects(p);
    }, () => undefined);
  }, []);
  useEffect(() => {
    window.history.replaceState(null, '', `${window.location.pathname}${qs({ q: q.trim(), vendor_id: vendor, sort: sort === 'name' ? null : sort })}`);
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      api
        .getWithHeaders<Host[]>(`/hosts${qs({ q: q.trim(), vendor_id: vendor, sort, limit: per, offset })}`, ctrl.signal)
        .then((r) => {
          setHosts(r.data);
          setTotal(Number(r.headers.get('X-Total-Count') ?? r.data.length));
        })
        .catch(() => undefined);
    }, 150);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [q, vendor, sort, per, offset, tick]);
  const byId = new Map(projects.map((p) => [p.id, p]));
  const filtered = Boolean(q.trim() || vendor);
  return (
    <div style={{ padding: 24 }} data-testid="hosts-page">
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 16 }}>
        <h2 style={{ margin: 0, fontSize: 22, fontWeight: 600 }}>Hosts</h2>
        {canWrite ? (
          <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setMode({ kind: 'add' })} data-testid="add-host">
            + Add host
          </button>
        ) : null}
      </div>
      <SuperuserBanner role={role} />
      <Notice message={notice} />
      <ListShell
        search={{ value: q, onChange: (v) => (setQ(v), setOffset(0)), placeholder: 'Name, vendor, notes or linked IP', label: 'Search hosts', testId: 'host-search' }}
        filters={
          <select className="ipk-select" style={{ width: 200 }} value={vendor} onChange={(e) => (setVendor(e.target.value), setOffset(0))} aria-label="Vendor" data-testid="vendor-filter">
            <option value="">All vendors</option>
            {vendors.map((v) => (
              <option key={v.id} value={String(v.id)}>
                {v.name}
              </option>
            ))}
          </select>
        }
        columns={[
          { key: 'name', label: 'Name', width: '13%', sortable: true },
          { key: 'vendor', label: 'Vendor', width: '9%', sortable: true },
          { key: 'project', label: 'Project', width: '12%' },
          { key: 'os', label: 'OS IP', width: '12%' },
          { key: 'bmc', label: 'BMC IP', width: '12%' },
          { key: 'ips', label: 'IPs', width: 60 },
          { key: 'notes', label: 'Notes' },
          ...(canWrite ? [{ key: 'actions', label: 'Actions', width: 130 }] : []),
        ]}
        sort={{ key: sort.replace(/^-/, ''), dir: sort.startsWith('-') ? 'desc' : 'asc' }}
        onSort={(s) => (setSort(s.dir === 'desc' ? `-${s.key}` : s.key), setOffset(0))}
        rowCount={hosts ? hosts.length : null}
        testId="hosts-table"
        empty={
          filtered ? (
            <EmptyState canWrite={false} message="No hosts match." />
          ) : (
            <EmptyState canWrite={canWrite} message="No hosts yet."
              actions={
                <>
                  <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setMode({ kind: 'add' })} data-testid="empty-add-host">
                    + Add host
                  </button>
                  <a className="ipk-btn" href={IMPORT_PATH} data-testid="empty-import">
                    Import
                  </a>
                </>
              } readerHint={whoCanAdd(role, 'hosts')} />
          )
        }
        pager={{ offset, limit: per, shown: hosts?.length ?? 0, total, sizes: LIST_PAGE_SIZES, rangeTestId: 'hosts-total', onChange: (n) => (setOffset(Number(n.offset)), setPer(n.limit)) }}
      >
        {hosts?.map((h) => {
          const linked = h.project_ids.map((id) => byId.get(id)).filter((p): p is Named => !!p);
          return (
            <tr key={h.id} data-testid={`host-row-${h.name}`}>
              <td style={{ fontWeight: 500 }} title={h.name}>
                {h.name}
              </td>
              <td>{h.vendor ?? <span className="ipk-muted">—</span>}</td>
              <td>
                {linked.length === 1 ? <Chip label={linked[0]!.name} color={linked[0]!.color} /> : null}
                {linked.length > 1 ? <Chip label={`⚠ ${linked.length} projects`} color="#fef3c7" title={linked.map((p) => p.name).join(', ')} testId="mixed-projects" /> : null}
                {linked.length === 0 ? <span className="ipk-muted">—</span> : null}
              </td>
              <td className="ipk-mono ipk-wrap">{h.os_ips.join(', ') || <span className="ipk-muted">—</span>}</td>
              <td className="ipk-mono ipk-wrap">{h.bmc_ips.join(', ') || <span className="ipk-muted">—</span>}</td>
              <td className="ipk-num">{h.ip_count}</td>
              <td title={h.notes ?? ''}>{h.notes ?? ''}</td>
              <RowActionsCell canWrite={canWrite} name={h.name} onEdit={() => setMode({ kind: 'edit', host: h })} onDelete={() => setMode({ kind: 'delete', host: h })} />
            </tr>
          );
        })}
      </ListShell>
      {mode?.kind === 'add' || mode?.kind === 'edit' ? <HostDrawer host={mode.kind === 'edit' ? mode.host : null} vendors={vendors} projects={projects} onClose={() => setMode(null)} onDone={done} /> : null}
      {mode?.kind === 'delete' ? <HostDeleteDrawer host={mode.host} onClose={() => setMode(null)} onDone={done} /> : null}
    </div>
  );
};

const HostDrawer: React.FC<{ host: Host | null; vendors: Named[]; projects: Named[]; onClose: () => void; onDone: (m: string) => void }> = ({ host, vendors, projects, onClose, onDone }) => {
  const startProject = host && host.project_ids.length === 1 ? String(host.project_ids[0]) : '';
  const [name, setName] = useState(host?.name ?? '');
  const [vendor, setVendor] = useState(host?.vendor_id ? String(host.vendor_id) : '');
  const [notes, setNotes] = useState(host?.notes ?? '');
  const [project, setProject] = useState(startProject);
  const [os, setOs] = useState(host?.os_ips[0] ?? '');
  const [bmc, setBmc] = useState(host?.bmc_ips[0] ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = async (): Promise<void> => {
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = 'Name is required.';
    if (os.trim() && !looksLikeIp(os.trim())) local.os_ip = 'Invalid IP address.';
    if (bmc.trim() && !looksLikeIp(bmc.trim())) local.bmc_ip = 'Invalid IP address.';
    setErrors(local);
    if (Object.keys(local).length) return;
    const body: Record<string, unknown> = { name: name.trim(), vendor_id: vendor ? Number(vendor) : null, notes: notes.trim() || null };
    // Only what changed: clearing an IP unlinks it (the asset stays); a new project re-assigns every linked IP.
    if (!host || os.trim() !== (host.os_ips[0] ?? '')) body.os_ip = os.trim() || null;
    if (!host || bmc.trim() !== (host.bmc_ips[0] ?? '')) body.bmc_ip = bmc.trim() || null;
    if (project !== startProject || (!host && project)) body.project_id = project ? Number(project) : null;
    try {
      if (host) await api.patch(`/hosts/${host.id}`, body);
      else await api.post('/hosts', body);
      onDone(host ? `Host ${name.trim()} saved.` : `Host ${name.trim()} added.`);
    } catch (err) {
      setErrors(formErrors(err, 'name'));
    }
  };
  return (
    <Drawer
      open
      title={host ? `Edit host ${host.name}` : 'Add host'}
      onClose={onClose}
      onSubmit={() => void save()}
      formId="host-form"
      testId="host-drawer"
      footer={<FormFooter formId="host-form" submitLabel={host ? 'Save' : 'Add host'} onCancel={onClose} />}
    >
      <Field label="Name" error={errors.name} htmlFor="host-name">
        <input id="host-name" className="ipk-input" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Vendor" error={errors.vendor_id} htmlFor="host-vendor">
        <select id="host-vendor" className="ipk-select" value={vendor} onChange={(e) => setVendor(e.target.value)}>
          <option value="">—</option>
          {vendors.map((v) => (
            <option key={v.id} value={String(v.id)}>
              {v.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Project" error={errors.project_id} hint={host ? 'Changing it re-assigns every linked IP.' : 'Linked IPs get this project.'} htmlFor="host-project">
        <select id="host-project" className="ipk-select" value={project} onChange={(e) => setProject(e.target.value)}>
          <option value="">{host && host.project_ids.length > 1 ? '(mixed — keep)' : 'Unassigned'}</option>
          {projects.map((p) => (
            <option key={p.id} value={String(p.id)}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="OS IP" error={errors.os_ip} hint="Clearing it unlinks the IP (the asset is kept)." htmlFor="host-os">
        <input id="host-os" className="ipk-input" value={os} onChange={(e) => (setOs(e.target.value), setErrors({}))} placeholder="e.g. 10.0.0.10" />
      </Field>
      <Field label="BMC IP" error={errors.bmc_ip} htmlFor="host-bmc">
        <input id="host-bmc" className="ipk-input" value={bmc} onChange={(e) => (setBmc(e.target.value), setErrors({}))} placeholder="e.g. 10.0.1.10" />
      </Field>
      <Field label="Notes" error={errors.notes} htmlFor="host-notes">
        <textarea id="host-notes" className="ipk-textarea" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
      {errors._ ? <div className="ipk-err">{errors._}</div> : null}
    </Drawer>
  );
};

const HostDeleteDrawer: React.FC<{ host: Host; onClose: () => void; onDone: (m: string) => void }> = ({ host, onClose, onDone }) => (
  <RecordDeleteDrawer
    title="Delete host"
    subtitle="Its IP addresses are kept and unlinked from the host."
    testId="host-delete-drawer"
    path={`/hosts/${host.id}`}
    doneMessage={`Host ${host.name} deleted; its IPs were kept and unlinked.`}
    onClose={onClose}
    onDone={onDone}
    summary={[
      ['Host', host.name],
      ['Vendor', host.vendor],
      ['OS IP', host.os_ips.join(', ') || null],
      ['BMC IP', host.bmc_ips.join(', ') || null],
      ['Linked IPs', String(host.ip_count)],
    ]}
    confirmText={host.name}
    riskReason="Deleting a host cannot be undone."
  />
);

export default HostsList;
