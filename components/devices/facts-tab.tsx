import React, { useState } from 'react';
import { api } from '../shared/api';
import { show, type DeviceDetail } from './detail-wire';

/** Fields an operator may override (what the sources report and a person may know better). */
export const OVERRIDABLE = ['name', 'hostname', 'kind', 'platform', 'serial', 'asset_tag', 'model', 'vendor', 'os_type', 'os_family', 'os_version', 'firmware', 'power_state', 'vcpus', 'memory_mb', 'cluster', 'room', 'sub_location'];

/** Sets (a value) or clears (null) one override: it wins over every source until cleared. */
export function saveOverride(deviceId: number, field: string, value: string | null): Promise<unknown> {
  return api.patch(`/devices/${deviceId}`, { overrides: { [field]: value } });
}

const OverrideCell: React.FC<{ deviceId: number; field: string; value: unknown; canWrite: boolean; onSaved: (message: string) => void }> = ({ deviceId, field, value, canWrite, onSaved }) => {
  const has = value !== undefined && value !== null;
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(has ? show(value) : '');
  const [error, setError] = useState('');
  const run = async (v: string | null): Promise<void> => {
    setError('');
    try {
      await saveOverride(deviceId, field, v);
      setEditing(false);
      onSaved(v === null ? `Override of ${field} cleared: the sources decide again.` : `${field} overridden: ${v}.`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  if (editing)
    return (
      <form
        className="dvw-ovr-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) void run(text.trim());
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            setEditing(false);
          }
        }}
      >
        <input className="ipk-input" aria-label={`Override ${field}`} value={text} onChange={(e) => setText(e.target.value)} autoFocus data-testid={`override-input-${field}`} />
        <button type="submit" className="ipk-btn ipk-btn-sm ipk-btn-primary" disabled={!text.trim()} data-testid={`override-save-${field}`}>
          Save
        </button>
        <button type="button" className="ipk-btn ipk-btn-sm" onClick={() => setEditing(false)}>
          Cancel
        </button>
        {error ? <div className="ipk-err" role="alert">{error}</div> : null}
      </form>
    );
  return (
    <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
      {has ? <strong data-testid={`override-${field}`}>{show(value)}</strong> : <span className="ipk-muted">—</span>}
      {canWrite ? (
        <>
          <button type="button" className="ipk-btn ipk-btn-link ipk-btn-sm" onClick={() => (setText(has ? show(value) : ''), setEditing(true))} aria-label={`${has ? 'Change' : 'Set'} override of ${field}`} data-testid={`override-set-${field}`}>
            {has ? 'Change' : 'Override'}
          </button>
          {has ? (
            <button type="button" className="ipk-btn ipk-btn-link ipk-btn-sm" onClick={() => void run(null)} aria-label={`Clear override of ${field}`} data-testid={`override-clear-${field}`}>
              Clear
            </button>
          ) : null}
        </>
      ) : null}
      {error ? <span className="ipk-err">{error}</span> : null}
    </span>
  );
};

/**
 * Facts and overrides side by side: a row per field, a column per source (highest priority
 * first) with what it reported, the override, and the effective value (bold where it comes from).
 */
export const FactsTab: React.FC<{ detail: DeviceDetail; canWrite: boolean; onSaved: (message: string) => void }> = ({ detail, canWrite, onSaved }) => {
  const sources = [...detail.facts].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  const fields = [...new Set([...OVERRIDABLE, ...sources.flatMap((s) => Object.keys(s.values)), ...Object.keys(detail.overrides)])].filter(
    (f) => OVERRIDABLE.includes(f) || sources.some((s) => s.values[f] !== undefined) || detail.overrides[f] !== undefined,
  );
  const [rawOf, setRawOf] = useState<string | null>(null);
  return (
    <div className="ipw-card" data-testid="facts-tab">
      <h2>Facts and overrides</h2>
      <p className="ipk-hint" style={{ marginTop: -6 }}>
        The effective value is the override when there is one, else the fact of the highest-priority source. An override survives every later sync until it is cleared.
      </p>
      {sources.length === 0 ? <p className="ipk-muted" data-testid="no-facts">No source has reported this device yet: every value is manual.</p> : null}
      <table className="dvw-facts" data-testid="facts-table">
        <thead>
          <tr>
            <th>Field</th>
            {sources.map((s) => (
              <th key={s.source}>
                {s.source}
                <div className="dvw-src">{s.last_seen_at ? `seen ${s.last_seen_at.slice(0, 16)}` : ''}</div>
              </th>
            ))}
            <th>Override</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => {
            const override = detail.overrides[f];
            const hasOverride = override !== undefined && override !== null;
            const winner = hasOverride ? -1 : sources.findIndex((s) => s.values[f] !== undefined && s.values[f] !== null);
            return (
              <tr key={f} className={hasOverride ? 'has-override' : undefined} data-testid={`fact-row-${f}`}>
                <td>{f}</td>
                {sources.map((s, i) => (
                  <td key={s.source} className={i === winner ? 'is-effective' : hasOverride && s.values[f] !== undefined ? 'dvw-struck' : undefined}>
                    {show(s.values[f])}
                  </td>
                ))}
                <td className="dvw-ovr">
                  <OverrideCell deviceId={detail.device.id} field={f} value={override} canWrite={canWrite} onSaved={onSaved} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {sources.length ? (
        <div style={{ marginTop: 12 }}>
          {sources.map((s) => (
            <button key={s.source} type="button" className="ipk-btn ipk-btn-sm" style={{ marginRight: 6 }} aria-expanded={rawOf === s.source} onClick={() => setRawOf(rawOf === s.source ? null : s.source)}>
              Raw payload of {s.source}
            </button>
          ))}
          {rawOf ? (
            <pre className="ipk-mono" style={{ background: '#f8fafc', border: '1px solid #e2e8f0', borderRadius: 8, padding: 10, maxHeight: 320, overflow: 'auto' }} data-testid="raw-payload">
              {JSON.stringify(sources.find((s) => s.source === rawOf)?.raw ?? null, null, 2)}
            </pre>
          ) : null}
        </div>
      ) : null}
    </div>
  );
};
