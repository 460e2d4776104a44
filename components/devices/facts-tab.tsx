import React, { useState } from 'react';
import { api, apiFetch } from '../shared/api';
import { FACT_FIELDS, FACT_FIELD_NAMES } from '../../src/domain/devices/fields';
import type { DeviceDetail } from './wire';

/** Sets (a value) or clears (null) one override: it wins over every source until cleared. */
export function saveOverride(deviceId: number, field: string, value: string | null): Promise<unknown> {
  if (value === null) return apiFetch('DELETE', `/devices/${deviceId}/overrides/${encodeURIComponent(field)}`);
  // Number fields take numbers (the server's zod schema says so, field by field).
  const numeric = (FACT_FIELDS as Record<string, { type: string }>)[field]?.type;
  const typed = (numeric === 'int' || numeric === 'number') && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  return api.put(`/devices/${deviceId}/overrides/${encodeURIComponent(field)}`, { value: typed });
}

const OverrideCell: React.FC<{ deviceId: number; field: string; value: unknown; setBy: string | null; canWrite: boolean; onSaved: (message: string) => void }> = ({ deviceId, field, value, setBy, canWrite, onSaved }) => {
  const has = value !== undefined;
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
            setError('');
          }
        }}
      >
        <input className="ipk-input" aria-label={`Override ${field}`} value={text} onChange={(e) => setText(e.target.value)} autoFocus data-testid={`override-input-${field}`} />
        <button type="submit" className="ipk-btn ipk-btn-sm ipk-btn-primary" disabled={!text.trim()} data-testid={`override-save-${field}`}>
          Save
        </button>
        <button type="button" className="ipk-btn ipk-btn-sm" onClick={() => (setEditing(false), setError(''))}>
          Cancel
        </button>
        {error ? <div className="ipk-err" role="alert">{error}</div> : null}
      </form>
    );
  return (
    <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
      {has ? (
        <strong data-testid={`override-${field}`} title={setBy ? `set by ${setBy}` : undefined}>
          {show(value)}
        </strong>
      ) : (
        <span className="ipk-muted">—</span>
      )}
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

/** A fact value as one line of text ("—" when there is none). */
export const show = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * Facts and overrides side by side: a row per fact field, a column per source with what it
 * reported, the override, and the effective value (bold where it comes from).
 */
export const FactsTab: React.FC<{ detail: DeviceDetail; canWrite: boolean; onSaved: (message: string) => void }> = ({ detail, canWrite, onSaved }) => {
  const sources = detail.facts;
  const overrides = new Map(detail.overrides.map((o) => [o.field, o]));
  const [rawOf, setRawOf] = useState<string | null>(null);
  return (
    <div className="ipw-card" data-testid="facts-tab">
      <h2>Facts and overrides</h2>
      <p className="ipk-hint" style={{ marginTop: -6 }}>
        The effective value is the override when there is one, else the fact of the highest-priority source. An override survives every later sync until it is cleared.
      </p>
      {sources.length === 0 ? <p className="ipk-muted" data-testid="no-facts">No source has reported this device yet.</p> : null}
      <table className="dvw-facts" data-testid="facts-table">
        <thead>
          <tr>
            <th>Field</th>
            <th>Effective</th>
            {sources.map((s) => (
              <th key={`${s.source}-${s.external_id}`}>
                {s.source}
                <div className="dvw-src">seen {s.last_seen_at.slice(0, 16)}</div>
              </th>
            ))}
            <th>Override</th>
          </tr>
        </thead>
        <tbody>
          {FACT_FIELD_NAMES.map((f) => {
            const eff = detail.effective[f];
            const o = overrides.get(f);
            return (
              <tr key={f} className={o ? 'has-override' : undefined} data-testid={`fact-row-${f}`}>
                <td>{f}</td>
                <td data-testid={`effective-${f}`}>
                  <strong>{show(eff?.value)}</strong>
                  {eff?.from ? <div className="dvw-src">from {eff.from}</div> : null}
                </td>
                {sources.map((s) => (
                  <td key={`${s.source}-${s.external_id}`} className={eff?.from === s.source ? 'is-effective' : o && s.fields[f] != null ? 'dvw-struck' : undefined}>
                    {show(s.fields[f])}
                  </td>
                ))}
                <td className="dvw-ovr">
                  <OverrideCell deviceId={detail.id} field={f} value={o ? (o.value ?? '') : undefined} setBy={o ? `${o.set_by ?? 'someone'}, ${o.set_at.slice(0, 16)}` : null} canWrite={canWrite} onSaved={onSaved} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {sources.length ? (
        <div style={{ marginTop: 12 }}>
          {sources.map((s) => (
            <button key={`${s.source}-${s.external_id}`} type="button" className="ipk-btn ipk-btn-sm" style={{ marginRight: 6 }} aria-expanded={rawOf === s.source} onClick={() => setRawOf(rawOf === s.source ? null : s.source)} data-testid={`raw-${s.source}`}>
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
