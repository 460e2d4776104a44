import React, { useEffect, useState } from 'react';
import { api, formErrors, qs } from '../shared/api';
import { RecordDeleteDrawer, RowActionsCell } from '../shared/confirm-delete';
import { Drawer, Field, FormFooter, Notice, useDrawerPage } from '../shared/drawer';
import { EmptyState, LIST_PAGE_SIZES, ListShell } from '../shared/list-shell';
import { SuperuserBanner, useRole, whoCanAdd } from '../shared/role';
import { useIpkStyles } from '../shared/styles';
import { toPage, type Owner as WireOwner } from '../devices/wire';

type Owner = WireOwner & { device_count?: number };
type Mode = { kind: 'add' } | { kind: 'edit'; owner: Owner } | { kind: 'delete'; owner: Owner };

/** Owners (business and technical owners of devices): search, paging, add/edit/delete drawers for editors. */
const OwnersList: React.FC = () => {
  useIpkStyles();
  const { role, canWrite } = useRole();
  const [q, setQ] = useState(new URLSearchParams(window.location.search).get('q') ?? '');
  const [offset, setOffset] = useState(0);
  const [per, setPer] = useState(50);
  const [owners, setOwners] = useState<Owner[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const { mode, setMode, notice, done } = useDrawerPage<Mode>(() => setTick((n) => n + 1));
  useEffect(() => {
    window.history.replaceState(null, '', `${window.location.pathname}${qs({ q: q.trim() })}`);
    const ctrl = new AbortController();
    const t = setTimeout(() => {
      api
        .getWithHeaders<unknown>(`/owners${qs({ q: q.trim(), limit: per, offset })}`, ctrl.signal)
        .then((r) => {
          const page = toPage<Owner>(r.data, r.headers);
          setOwners(page.items);
          setTotal(page.total);
          setError('');
        })
        .catch((e: Error) => !ctrl.signal.aborted && setError(e.message));
    }, 150);
    return () => {
      clearTimeout(t);
      ctrl.abort();
    };
  }, [q, per, offset, tick]);
  return (
    <div style={{ padding: 24 }} data-testid="owners-page">
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 16 }}>
        <h2 style={{ margin: 0, fontSize: 22, fontWeight: 600 }}>Owners</h2>
        {canWrite ? (
          <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setMode({ kind: 'add' })} data-testid="add-owner">
            + Add owner
          </button>
        ) : null}
      </div>
      <SuperuserBanner role={role} />
      <Notice message={notice} />
      {error ? <div className="ipk-warn">{error}</div> : null}
      <ListShell
        search={{ value: q, onChange: (v) => (setQ(v), setOffset(0)), placeholder: 'Name, email, department…', label: 'Search owners', testId: 'owner-search' }}
        columns={[
          { key: 'name', label: 'Full name', width: '20%' },
          { key: 'email', label: 'Email', width: '22%' },
          { key: 'designation', label: 'Designation', width: '15%' },
          { key: 'department', label: 'Department', width: '15%' },
          { key: 'user', label: 'User', width: '10%' },
          { key: 'devices', label: 'Devices', width: 80 },
          ...(canWrite ? [{ key: 'actions', label: 'Actions', width: 130 }] : []),
        ]}
        rowCount={owners ? owners.length : null}
        testId="owners-table"
        empty={q.trim() ? <EmptyState canWrite={false} message="No owners match." /> : <EmptyState canWrite={canWrite} message="No owners yet." actions={<button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setMode({ kind: 'add' })}>+ Add owner</button>} readerHint={whoCanAdd(role, 'owners')} />}
        pager={{ offset, limit: per, shown: owners?.length ?? 0, total, sizes: LIST_PAGE_SIZES, rangeTestId: 'owners-total', onChange: (n) => (setOffset(Number(n.offset)), setPer(n.limit)) }}
      >
        {owners?.map((o) => (
          <tr key={o.id} data-testid={`owner-row-${o.email}`}>
            <td style={{ fontWeight: 500 }}>{o.full_name}</td>
            <td>
              <a href={`mailto:${o.email}`}>{o.email}</a>
            </td>
            <td>{o.designation ?? <span className="ipk-muted">—</span>}</td>
            <td>{o.department ?? <span className="ipk-muted">—</span>}</td>
            <td>{o.user_id ? `#${o.user_id}` : <span className="ipk-muted">—</span>}</td>
            <td className="ipk-num">{o.device_count !== undefined ? <a href={`/ui/resources/devices?owner_id=${o.id}`} aria-label={`Devices of ${o.full_name}`}>{o.device_count}</a> : <span className="ipk-muted">—</span>}</td>
            <RowActionsCell canWrite={canWrite} name={o.full_name} onEdit={() => setMode({ kind: 'edit', owner: o })} onDelete={() => setMode({ kind: 'delete', owner: o })} />
          </tr>
        ))}
      </ListShell>
      {mode?.kind === 'add' || mode?.kind === 'edit' ? <OwnerDrawer owner={mode.kind === 'edit' ? mode.owner : null} onClose={() => setMode(null)} onDone={done} /> : null}
      {mode?.kind === 'delete' ? (
        <RecordDeleteDrawer
          title="Delete owner"
          subtitle="Devices they own keep their other fields; the owner is removed from them."
          testId="owner-delete-drawer"
          path={`/owners/${mode.owner.id}`}
          doneMessage={`Owner ${mode.owner.full_name} deleted.`}
          onClose={() => setMode(null)}
          onDone={done}
          summary={[
            ['Owner', mode.owner.full_name],
            ['Email', mode.owner.email],
            ['Devices', mode.owner.device_count !== undefined ? String(mode.owner.device_count) : null],
          ]}
        />
      ) : null}
    </div>
  );
};

const OwnerDrawer: React.FC<{ owner: Owner | null; onClose: () => void; onDone: (m: string) => void }> = ({ owner, onClose, onDone }) => {
  const [form, setForm] = useState({ full_name: owner?.full_name ?? '', email: owner?.email ?? '', designation: owner?.designation ?? '', department: owner?.department ?? '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const field = (key: keyof typeof form, label: string, type = 'text'): React.ReactNode => (
    <Field label={label} error={errors[key]} htmlFor={`owner-${key}`}>
      <input id={`owner-${key}`} type={type} className="ipk-input" value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
    </Field>
  );
  const save = async (): Promise<void> => {
    const body = { full_name: form.full_name.trim(), email: form.email.trim(), designation: form.designation.trim() || null, department: form.department.trim() || null };
    try {
      if (owner) await api.patch(`/owners/${owner.id}`, body);
      else await api.post('/owners', body);
      onDone(owner ? `Owner ${body.full_name} saved.` : `Owner ${body.full_name} added.`);
    } catch (err) {
      setErrors(formErrors(err, 'email'));
    }
  };
  return (
    <Drawer open title={owner ? `Edit ${owner.full_name}` : 'Add owner'} onClose={onClose} onSubmit={() => void save()} formId="owner-form" testId="owner-drawer" footer={<FormFooter formId="owner-form" submitLabel={owner ? 'Save' : 'Add owner'} onCancel={onClose} />}>
      {field('full_name', 'Full name')}
      {field('email', 'Email', 'email')}
      {field('designation', 'Designation')}
      {field('department', 'Department')}
      {errors._ ? <div className="ipk-err">{errors._}</div> : null}
    </Drawer>
  );
};

export default OwnersList;
