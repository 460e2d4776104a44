import React, { useCallback, useEffect, useState } from 'react';
import { Address } from '../shared/address';
import { api, formErrors } from '../shared/api';
import { RecordDeleteDrawer, RowActionsCell } from '../shared/confirm-delete';
import { Drawer, Field, FormFooter, Notice, useDrawerPage } from '../shared/drawer';
import { EmptyState, ListShell, useLocalList } from '../shared/list-shell';
import { SuperuserBanner, useRole, whoCanAdd } from '../shared/role';
import { formatExact } from '../../src/domain/counts';
import { useIpkStyles } from '../shared/styles';
import { PrefixUnit, UtilizationBar } from '../shared/utilization-bar';
import { addressesPath, formatCount, type BigCount } from './format';

type Range = { id: number; name: string; cidr: string; ip_version: number; notes: string | null; parent_id: number | null; depth: number; utilization: { usable: BigCount; used: number; free: BigCount; percent: number; unit?: 'prefix' } };
type Mode = { kind: 'add' } | { kind: 'edit'; range: Range } | { kind: 'delete'; range: Range };


/** IP ranges: one table (name, CIDR, usable, used, free, utilization) with add/edit/delete drawers. */
const RangesList: React.FC = () => {
  useIpkStyles();
  const { role, canWrite } = useRole();
  const [ranges, setRanges] = useState<Range[] | null>(null);
  const reload = useCallback(() => api.get<Range[]>('/ranges').then(setRanges), []);
  const { mode, setMode, notice, setNotice, done } = useDrawerPage<Mode>(reload);
  // What the last save warned about (nesting, overlaps), shown beside the notice until the next action.
  const [warnings, setWarnings] = useState<string[]>([]);
  const saved = (message: string, w: string[] = []): void => {
    setWarnings(w);
    done(message);
  };
  const nameOf = new Map((ranges ?? []).map((r) => [r.id, r.name]));
  useEffect(() => {
    reload().catch((e: Error) => setNotice(e.message));
  }, [reload, setNotice]);
  // Every range is loaded (a few hundred at most), so search, sort and paging happen here.
  const list = useLocalList(
    ranges,
    (r, needle) => r.name.toLowerCase().includes(needle) || r.cidr.includes(needle),
    (r, key) => (key === 'name' ? r.name : key === 'used' ? r.utilization.used : key === 'usable' ? BigInt(String(r.utilization.usable)) : key === 'free' ? BigInt(String(r.utilization.free)) : key === 'utilization' ? r.utilization.percent : null),
  );
  const addButton = (
    <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setMode({ kind: 'add' })} data-testid="add-range">
      + Add IP range
    </button>
  );
  return (
    <div style={{ padding: 24 }} data-testid="ranges-page">
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 16 }}>
        <h2 style={{ margin: 0, fontSize: 22, fontWeight: 600 }}>IP ranges</h2>
        {canWrite ? addButton : null}
      </div>
      <SuperuserBanner role={role} />
      <Notice message={notice} />
      {warnings.length > 0 ? (
        <div role="status" data-testid="range-warnings" style={{ background: '#fffbeb', border: '1px solid #fde68a', color: '#92400e', borderRadius: 8, padding: '8px 12px', marginBottom: 12 }}>
          {warnings.map((w) => (
            <div key={w}>⚠ {w}</div>
          ))}
        </div>
      ) : null}
      <ListShell
        {...list.shell}
        search={{ ...list.search, placeholder: 'Range name or CIDR', label: 'Search ranges', testId: 'range-search' }}
        columns={[
          { key: 'name', label: 'Name', sortable: true },
          { key: 'cidr', label: 'CIDR', minWidth: 130 },
          { key: 'usable', label: 'Usable', sortable: true },
          { key: 'used', label: 'Used', sortable: true },
          { key: 'free', label: 'Free', sortable: true },
          { key: 'utilization', label: 'Utilization', width: 200, sortable: true },
          ...(canWrite ? [{ key: 'actions', label: 'Actions', width: 130 }] : []),
        ]}
        testId="ranges-table"
        empty={
          list.needle ? (
            <EmptyState canWrite={false} message="No ranges match." />
          ) : (
            <EmptyState canWrite={canWrite} message="No ranges yet. A range (e.g. 10.20.0.0/24) shows how full a network is and lists its free addresses." actions={
                <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setMode({ kind: 'add' })} data-testid="empty-add-range">
                  Create a range
                </button>
              } readerHint={whoCanAdd(role, 'ranges')} />
          )
        }
      >
        {list.shown.map((r) => (
          <tr key={r.id} data-testid={`range-row-${r.name}`} data-depth={r.depth}>
            <td title={r.parent_id ? `${r.name}, inside ${nameOf.get(r.parent_id) ?? `#${r.parent_id}`}` : r.name} style={{ paddingLeft: 10 + r.depth * 20 }}>
              {r.depth > 0 ? <span className="ipk-muted" aria-hidden="true">↳ </span> : null}
              <a href={addressesPath(r.id)} style={{ fontWeight: 500 }}>
                {r.name}
              </a>
              {r.parent_id ? <div className="ipk-muted" style={{ fontSize: 12 }} data-testid="range-parent">in {nameOf.get(r.parent_id) ?? `#${r.parent_id}`}</div> : null}
            </td>
            <td className="ipk-mono ipk-addr">
              <Address ip={r.cidr} />
            </td>
            <td className="ipk-num" title={formatExact(r.utilization.usable)}>
              {formatCount(r.utilization.usable)}
              <PrefixUnit unit={r.utilization.unit} />
            </td>
            <td className="ipk-num">
              <a href={addressesPath(r.id, 'used')} data-testid="used-link">
                {formatCount(r.utilization.used)}
              </a>
            </td>
            <td className="ipk-num" title={formatExact(r.utilization.free)}>
              <a href={addressesPath(r.id, 'free')} data-testid="free-link">
                {formatCount(r.utilization.free)}
              </a>
            </td>
            <td style={{ overflow: 'visible' }}>
              <UtilizationBar percent={r.utilization.percent} />
            </td>
            <RowActionsCell canWrite={canWrite} name={r.name} onEdit={() => setMode({ kind: 'edit', range: r })} onDelete={() => setMode({ kind: 'delete', range: r })} />
          </tr>
        ))}
      </ListShell>
      {mode?.kind === 'add' ? <RangeFormDrawer range={null} onClose={() => setMode(null)} onDone={saved} /> : null}
      {mode?.kind === 'edit' ? <RangeFormDrawer range={mode.range} onClose={() => setMode(null)} onDone={saved} /> : null}
      {mode?.kind === 'delete' ? <RangeDeleteDrawer range={mode.range} onClose={() => setMode(null)} onDone={saved} /> : null}
    </div>
  );
};

const RangeFormDrawer: React.FC<{ range: Range | null; onClose: () => void; onDone: (m: string, warnings?: string[]) => void }> = ({ range, onClose, onDone }) => {
  const [name, setName] = useState(range?.name ?? '');
  const [cidr, setCidr] = useState(range?.cidr ?? '');
  const [notes, setNotes] = useState(range?.notes ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const save = async (): Promise<void> => {
    setBusy(true);
    setErrors({});
    const body = { name: name.trim(), cidr: cidr.trim(), notes: notes.trim() || null };
    try {
      const saved = range ? await api.patch<Range & { warnings?: string[] }>(`/ranges/${range.id}`, body) : await api.post<Range & { warnings?: string[] }>('/ranges', body);
      onDone(range ? `Range ${saved.name} saved.` : `Range ${saved.name} (${saved.cidr}) added.`, saved.warnings ?? []);
    } catch (err) {
      // Both the name and the CIDR are unique: a 409 names which one ("A range named …").
      setErrors(formErrors(err, /range named/.test((err as Error).message) ? 'name' : 'cidr'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer
      open
      title={range ? `Edit range ${range.name}` : 'Add IP range'}
      onClose={onClose}
      onSubmit={() => void save()}
      formId="range-form"
      testId="range-drawer"
      footer={<FormFooter formId="range-form" submitLabel={range ? 'Save' : 'Add range'} disabled={busy || !name.trim() || !cidr.trim()} onCancel={onClose} />}
    >
      <Field label="Name" error={errors.name} htmlFor="range-name">
        <input id="range-name" className="ipk-input" value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="CIDR" error={errors.cidr} hint="IPv4 or IPv6, e.g. 10.20.0.0/24 or 2001:db8::/64" htmlFor="range-cidr">
        <input id="range-cidr" className="ipk-input" value={cidr} onChange={(e) => setCidr(e.target.value)} style={{ fontFamily: 'ui-monospace, monospace' }} />
      </Field>
      <Field label="Notes" error={errors.notes} htmlFor="range-notes">
        <textarea id="range-notes" className="ipk-textarea" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
      {errors._ ? <div className="ipk-err">{errors._}</div> : null}
    </Drawer>
  );
};

const RangeDeleteDrawer: React.FC<{ range: Range; onClose: () => void; onDone: (m: string) => void }> = ({ range, onClose, onDone }) => {
  const u = range.utilization;
  return (
    <RecordDeleteDrawer
      title="Delete range"
      subtitle="The addresses themselves are kept: a range only describes the space."
      testId="range-delete-drawer"
      path={`/ranges/${range.id}`}
      doneMessage={`Range ${range.name} deleted.`}
      onClose={onClose}
      onDone={onDone}
      summary={[
        ['Name', range.name],
        ['CIDR', <code key="c">{range.cidr}</code>],
        ['Usage', `${formatCount(u.used)} used of ${formatCount(u.usable)}${u.unit === 'prefix' ? ' prefixes' : ''} (${u.percent}%)`],
      ]}
      confirmText={range.name}
      riskReason="Deleting a range cannot be undone."
    />
  );
};

export default RangesList;
