import React, { useCallback, useEffect, useState } from 'react';
import { useCurrentAdmin } from 'adminjs';
import { api, formErrors } from '../shared/api';
import { RecordDeleteDrawer, RowActionsCell } from '../shared/confirm-delete';
import { Drawer, Field, FormFooter, Notice, useDrawerPage } from '../shared/drawer';
import { useIpkStyles } from '../shared/styles';
import { UtilizationBar } from '../utilization-bar';
import { addressesPath, formatCount, type BigCount } from './format';

type Range = { id: number; name: string; cidr: string; ip_version: number; notes: string | null; parent_id: number | null; depth: number; utilization: { usable: BigCount; used: number; free: BigCount; percent: number } };
type Mode = { kind: 'add' } | { kind: 'edit'; range: Range } | { kind: 'delete'; range: Range };

const card: React.CSSProperties = { background: '#fff', borderRadius: 10, padding: 20, boxShadow: '0 1px 3px rgba(15,23,42,0.08)' };
const th: React.CSSProperties = { textAlign: 'left', fontSize: 12, color: '#64748b', fontWeight: 600, padding: '8px 10px', borderBottom: '1px solid #e2e8f0' };
const td: React.CSSProperties = { padding: '8px 10px', borderBottom: '1px solid #f1f5f9', fontSize: 14, verticalAlign: 'middle' };
const num: React.CSSProperties = { ...td, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' };

/** IP ranges: one table (name, CIDR, usable, used, free, utilization) with add/edit/delete drawers. */
const RangesList: React.FC = () => {
  useIpkStyles();
  const [admin] = useCurrentAdmin();
  const canWrite = (admin as { role?: string } | null)?.role === 'editor';
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
  return (
    <div style={{ padding: 24 }} data-testid="ranges-page">
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 16 }}>
        <h2 style={{ margin: 0, fontSize: 22, fontWeight: 600 }}>IP ranges</h2>
        {canWrite ? (
          <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setMode({ kind: 'add' })} data-testid="add-range">
            + Add IP range
          </button>
        ) : null}
      </div>
      <Notice message={notice} />
      {warnings.length > 0 ? (
        <div role="status" data-testid="range-warnings" style={{ background: '#fffbeb', border: '1px solid #fde68a', color: '#92400e', borderRadius: 8, padding: '8px 12px', marginBottom: 12 }}>
          {warnings.map((w) => (
            <div key={w}>⚠ {w}</div>
          ))}
        </div>
      ) : null}
      <div style={card}>
        {ranges && ranges.length === 0 ? <div className="ipk-muted">No ranges yet.</div> : null}
        {ranges && ranges.length > 0 ? (
          <table style={{ width: '100%', borderCollapse: 'collapse' }} data-testid="ranges-table">
            <thead>
              <tr>
                <th style={th}>Name</th>
                <th style={th}>CIDR</th>
                <th style={th}>Usable</th>
                <th style={th}>Used</th>
                <th style={th}>Free</th>
                <th style={{ ...th, width: 200 }}>Utilization</th>
                {canWrite ? <th style={{ ...th, width: 120 }}>Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {ranges.map((r) => (
                <tr key={r.id} data-testid={`range-row-${r.name}`} data-depth={r.depth}>
                  <td style={{ ...td, paddingLeft: 10 + r.depth * 20 }} title={r.parent_id ? `Inside ${nameOf.get(r.parent_id) ?? `#${r.parent_id}`}` : undefined}>
                    {r.depth > 0 ? <span className="ipk-muted" aria-hidden="true">↳ </span> : null}
                    <a href={addressesPath(r.id)} style={{ fontWeight: 500 }}>
                      {r.name}
                    </a>
                    {r.parent_id ? <div className="ipk-muted" style={{ fontSize: 12 }} data-testid="range-parent">in {nameOf.get(r.parent_id) ?? `#${r.parent_id}`}</div> : null}
                  </td>
                  <td style={{ ...td, fontFamily: 'ui-monospace, monospace', fontSize: 13 }}>{r.cidr}</td>
                  <td style={num} title={String(r.utilization.usable)}>
                    {formatCount(r.utilization.usable)}
                  </td>
                  <td style={num}>
                    <a href={addressesPath(r.id, 'used')} data-testid="used-link">
                      {formatCount(r.utilization.used)}
                    </a>
                  </td>
                  <td style={num} title={String(r.utilization.free)}>
                    <a href={addressesPath(r.id, 'free')} data-testid="free-link">
                      {formatCount(r.utilization.free)}
                    </a>
                  </td>
                  <td style={td}>
                    <UtilizationBar percent={r.utilization.percent} />
                  </td>
                  <RowActionsCell canWrite={canWrite} style={td} onEdit={() => setMode({ kind: 'edit', range: r })} onDelete={() => setMode({ kind: 'delete', range: r })} />
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
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
        ['Usage', `${formatCount(u.used)} used of ${formatCount(u.usable)} (${u.percent}%)`],
      ]}
      confirmText={range.name}
      riskReason="Deleting a range cannot be undone."
    />
  );
};

export default RangesList;
