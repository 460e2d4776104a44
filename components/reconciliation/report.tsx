import React, { useCallback, useEffect, useRef, useState } from 'react';
import { api, qs } from '../shared/api';
import { Notice } from '../shared/drawer';
import { useKeepFocus } from '../shared/keep-focus';
import { SuperuserBanner, useRole } from '../shared/role';
import { useIpkStyles } from '../shared/styles';
import { devicePath } from '../devices/model';
import { useUrlParams } from '../pools/url-params';
import { Alert, Card } from '../pools/ui';

type Kind = 'unknown' | 'reclaimable' | 'mismatch' | 'disagree';

interface Item {
  ip_asset_id: number;
  ip_address: string;
  type: string;
  archived: boolean;
  /** When any source last saw it: what unknown and reclaimable compare (not the record's last_seen_at). */
  last_sighted_at: string | null;
  project_name: string | null;
  host_id: number | null;
  host_name: string | null;
  host_project_name: string | null;
}

/** A disagree row: one field of one device and what each source says. */
interface Disagreement {
  device_id: number;
  device_name: string;
  field: string;
  values: { source: string; value: string | number | null }[];
  detected_at: string;
}

interface Answer {
  /** The kind these items are of: until the next kind's answer arrives, the page still shows this one's rows. */
  kind: Kind;
  total: number;
  page: number;
  limit: number;
  items: Item[] | Disagreement[];
  counts: Record<Kind, number>;
}

const KINDS: { kind: Kind; label: string; hint: string }[] = [
  { kind: 'unknown', label: 'Unknown', hint: 'Seen by a source within the window, but not in the inventory (archived).' },
  { kind: 'reclaimable', label: 'Reclaimable', hint: 'In the inventory, but no source has seen it for the window.' },
  { kind: 'mismatch', label: 'Project mismatch', hint: "An address of one project on a device of another: move one of them." },
  { kind: 'disagree', label: 'Sources disagree', hint: 'Two sources report different values for a field of one device (name, serial, vendor, model, OS, firmware, CPU, memory): open the device to see which wins. About devices, so range and window do not apply.' },
];
const KEYS = ['kind', 'range', 'days', 'page'] as const;
const LIMIT = 50;

/**
 * The reconciliation report (issue 15): what the sources and the inventory disagree on, per range
 * or overall, one kind at a time, paged by the server. Editors act on a row: add an unknown
 * address back to the inventory, archive a reclaimable one; everyone can open the address or device.
 */
const ReconciliationPage: React.FC = () => {
  useIpkStyles();
  const { role, canWrite } = useRole();
  const [params, set] = useUrlParams(KEYS);
  const kind: Kind = (KINDS.find((k) => k.kind === params.kind)?.kind ?? 'unknown') as Kind;
  const days = params.days || '30';
  const page = Number(params.page) > 0 ? Number(params.page) : 1;
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [ranges, setRanges] = useState<{ id: number; name: string; cidr: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [daysDraft, setDaysDraft] = useState(days);
  const load = useCallback(async () => {
    try {
      setAnswer(await api.get<Answer>(`/reconciliation${qs({ kind, range: params.range || undefined, days, page, limit: LIMIT })}`));
      setError(null);
    } catch (e) {
      setError(`${(e as Error).message} Change the filters, or reload.`);
    }
  }, [kind, params.range, days, page]);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    api
      .get<unknown>('/ranges')
      .then((r) => setRanges(Array.isArray(r) ? (r as typeof ranges) : []))
      .catch(() => setRanges([]));
  }, []);
  const root = useRef<HTMLDivElement>(null);
  const focus = useKeepFocus(root);
  const act = (item: Item, verb: 'restore' | 'archive'): void => {
    focus.hold();
    setNotice(null);
    api
      .post(`/ip-assets/${encodeURIComponent(item.ip_address)}/${verb}`)
      .then(async () => {
        await load();
        // One update: the reloaded rows, the line saying what happened, and the focus back in place.
        setNotice(verb === 'restore' ? `${item.ip_address} is back in the inventory.` : `${item.ip_address} archived: a source seeing it again lists it under Unknown.`);
      })
      .catch((e: Error) => setError(`${item.ip_address}: ${e.message}`))
      .finally(focus.release);
  };
  const pages = answer ? Math.max(1, Math.ceil(answer.total / LIMIT)) : 1;
  return (
    <div style={{ padding: 24 }} data-testid="reconciliation" ref={root}>
      <h2 style={{ margin: '0 0 16px', fontSize: 22, fontWeight: 600 }}>Reconciliation</h2>
      <SuperuserBanner role={role} />
      <Notice message={notice} />
      <Alert message={error} testId="reconciliation-error" />
      <div role="tablist" aria-label="Kind" style={{ display: 'flex', gap: 8, marginBottom: 12, flexWrap: 'wrap' }}>
        {KINDS.map((k) => (
          <button
            key={k.kind}
            type="button"
            role="tab"
            aria-selected={k.kind === kind}
            className={`ipk-btn${k.kind === kind ? ' ipk-btn-primary' : ''}`}
            onClick={() => set({ kind: k.kind, page: '' })}
            data-testid={`kind-${k.kind}`}
            title={k.hint}
          >
            {k.label} <span style={{ fontVariantNumeric: 'tabular-nums' }}>({answer ? answer.counts[k.kind] : '…'})</span>
          </button>
        ))}
      </div>
      <form
        style={{ display: 'flex', gap: 12, alignItems: 'end', flexWrap: 'wrap', marginBottom: 12 }}
        onSubmit={(e) => {
          e.preventDefault();
          set({ days: daysDraft.trim(), page: '' });
        }}
      >
        {kind === 'disagree' ? null : (
          <>
            <label style={{ fontSize: 13 }}>
              Range
              <br />
              <select className="ipk-select" value={params.range} onChange={(e) => set({ range: e.target.value, page: '' })} data-testid="range-filter">
                <option value="">All ranges (overall)</option>
                {ranges.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} ({r.cidr})
                  </option>
                ))}
              </select>
            </label>
            <label style={{ fontSize: 13 }}>
              Window (days)
              <br />
              <input className="ipk-input" style={{ width: 90 }} inputMode="numeric" value={daysDraft} onChange={(e) => setDaysDraft(e.target.value)} data-testid="days-filter" />
            </label>
            <button type="submit" className="ipk-btn">
              Apply
            </button>
          </>
        )}
        <span className="ipk-hint" style={{ margin: 0 }}>
          {KINDS.find((k) => k.kind === kind)!.hint}
        </span>
      </form>
      <Card testId="reconciliation-list" label="Addresses">
        {answer && answer.items.length === 0 ? <div className="ipk-muted">Nothing here: the sources and the inventory agree on this.</div> : null}
        {answer && answer.items.length && answer.kind === 'disagree' ? (
          <table className="ipk-table" style={{ width: '100%' }}>
            <thead>
              <tr>
                <th style={{ textAlign: 'left' }}>Device</th>
                <th style={{ textAlign: 'left' }}>Field</th>
                <th style={{ textAlign: 'left' }}>What each source says</th>
                <th style={{ textAlign: 'left' }}>Since (UTC)</th>
                <th style={{ textAlign: 'right' }}>Actions</th>
              </tr>
            </thead>
            <tbody>
              {(answer.items as Disagreement[]).map((d) => (
                <tr key={`${d.device_id}-${d.field}`} data-testid={`dis-${d.device_name}-${d.field}`}>
                  <td>{d.device_name}</td>
                  <td className="ipk-mono">{d.field}</td>
                  <td style={{ whiteSpace: 'normal' }}>
                    {d.values.map((v) => (
                      <div key={v.source}>
                        {v.source}: <span className="ipk-mono">{String(v.value)}</span>
                      </div>
                    ))}
                  </td>
                  <td>{d.detected_at}</td>
                  <td style={{ textAlign: 'right' }}>
                    <a className="ipk-btn ipk-btn-sm" href={devicePath(d.device_id)} aria-label={`Open ${d.device_name}`}>
                      Open
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {answer && answer.items.length && answer.kind !== 'disagree' ? (
          <table className="ipk-table" style={{ width: '100%' }}>
            <thead>
              <tr>
                <th style={{ textAlign: 'left' }}>Address</th>
                <th style={{ textAlign: 'left' }}>Project</th>
                <th style={{ textAlign: 'left' }}>Device</th>
                <th style={{ textAlign: 'left' }}>Last seen (UTC)</th>
                <th style={{ textAlign: 'right' }}>Actions</th>
              </tr>
            </thead>
            <tbody>
              {(answer.items as Item[]).map((i) => (
                <tr key={i.ip_asset_id} data-testid={`rec-${i.ip_address}`}>
                  <td className="ipk-mono">{i.ip_address}</td>
                  <td>{i.project_name ?? <span className="ipk-muted">—</span>}</td>
                  <td>
                    {i.host_id ? <a href={devicePath(i.host_id)}>{i.host_name}</a> : <span className="ipk-muted">—</span>}
                    {kind === 'mismatch' && i.host_project_name ? <span className="ipk-hint"> (project {i.host_project_name})</span> : null}
                  </td>
                  <td>{i.last_sighted_at ?? <span className="ipk-muted">never</span>}</td>
                  <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                    {canWrite && kind === 'unknown' ? (
                      <button type="button" className="ipk-btn ipk-btn-sm" onClick={() => act(i, 'restore')} aria-label={`Add ${i.ip_address} to the inventory`}>
                        Add
                      </button>
                    ) : null}
                    {canWrite && kind === 'reclaimable' ? (
                      <button type="button" className="ipk-btn ipk-btn-sm" style={{ color: '#b91c1c' }} onClick={() => act(i, 'archive')} aria-label={`Archive ${i.ip_address}`}>
                        Archive
                      </button>
                    ) : null}{' '}
                    <a className="ipk-btn ipk-btn-sm" href={`/ui/resources/ip-assets${qs({ q: i.ip_address, archived: i.archived ? 'only' : undefined })}`} aria-label={`Open ${i.ip_address}`}>
                      Open
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <nav aria-label="Pages" style={{ display: 'flex', gap: 6, alignItems: 'center', marginTop: 10 }}>
          <button type="button" className="ipk-btn ipk-btn-sm" disabled={page <= 1} onClick={() => set({ page: String(page - 1) })} data-testid="rec-prev">
            Previous
          </button>
          <span className="ipk-hint" style={{ margin: 0 }} data-testid="rec-page">
            {answer ? `Page ${page} of ${pages} · ${answer.total} in all` : 'Loading…'}
          </span>
          <button type="button" className="ipk-btn ipk-btn-sm" disabled={page >= pages} onClick={() => set({ page: String(page + 1) })} data-testid="rec-next">
            Next
          </button>
        </nav>
      </Card>
    </div>
  );
};

export default ReconciliationPage;
