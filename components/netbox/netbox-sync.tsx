import React, { useCallback, useRef, useState } from 'react';
import { api } from '../shared/api';
import { useKeepFocus } from '../shared/keep-focus';
import { card } from '../shared/form-styles';
import { useRole } from '../shared/role';
import { useIpkStyles } from '../shared/styles';
import { Card, PageHead, useLoader } from '../pools/ui';

const BASE = '/api/v1/ip-management/netbox';

interface Counts { created: number; updated: number; deleted: number; unchanged: number; imported: number; conflicts: number; failed: number }
interface Run { id: number; kind: string; status: string; started_at: string; finished_at: string | null; actor: string | null; counts: Counts; log: string[]; error: string | null }
interface Status { configured: boolean; url: string | null; released: string | null; last_sync: Run | null; open_conflicts: number; queue: { pending: number; failing: number; last_error: string | null } }
interface Conflict { id: number; pool_id: number; kind: string; subject: string; ours: Record<string, unknown> | null; theirs: Record<string, unknown> | null; detected_at: string }

const KIND_TEXT: Record<string, string> = {
  netbox_only: 'NetBox holds an address this pool considers free',
  status: 'Both hold it, with another status',
  holder: 'Both hold it, for another subscriber',
  prefix: 'The NetBox prefix differs from the pool',
  delegated_only: 'NetBox holds a delegated prefix where this pool has a free slot',
  delegated_status: 'Both hold the delegated prefix, with another status',
  delegated_holder: 'Both hold the delegated prefix, for another subscriber',
  delegated_prefix: 'NetBox moved or resized this delegated prefix',
};

/** Cells that wrap instead of being cut off (the shared table style truncates): every word of a conflict matters. */
const wrap: React.CSSProperties = { whiteSpace: 'normal', overflow: 'visible', textOverflow: 'clip', wordBreak: 'break-word' };
const table: React.CSSProperties = { width: '100%', tableLayout: 'auto' };

const side = (v: Record<string, unknown> | null): string => (v ? Object.entries(v).map(([k, x]) => `${k}: ${String(x)}`).join(', ') : '—');
const countsText = (c: Counts): string => `${c.created} created, ${c.updated} updated, ${c.deleted} deleted, ${c.unchanged} unchanged, ${c.imported} imported, ${c.conflicts} conflicts, ${c.failed} failed`;

/** NetBox Sync: the connection's status, sync all, import a prefix, the conflicts to resolve and the run history (all over the REST API, which checks the role). */
const NetBoxSync: React.FC = () => {
  useIpkStyles();
  const { role, canWrite } = useRole();
  const [status, setStatus] = useState<Status | null>(null);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [runs, setRuns] = useState<Run[]>([]);
  const [prefixId, setPrefixId] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const load = useCallback(async () => {
    const [s, c, r] = await Promise.all([api.get<Status>(`${BASE}/status`), api.get<{ items: Conflict[] }>(`${BASE}/conflicts?limit=200`), api.get<{ items: Run[] }>(`${BASE}/runs?limit=15`)]);
    setStatus(s);
    setConflicts(c.items);
    setRuns(r.items);
  }, []);
  const { reload, error } = useLoader(load);
  const root = useRef<HTMLDivElement>(null);
  const focus = useKeepFocus(root);
  const act = (what: () => Promise<string>): void => {
    focus.hold();
    setBusy(true);
    setFailure(null);
    setNotice(null);
    // The outcome shows once the page has reloaded, in one update with the rows it speaks of
    // (a "resolved" line above the old conflict list would tell a wrong story, briefly).
    void what()
      .then(
        (m) => ({ notice: m, failure: null }),
        (e: Error) => ({ notice: null, failure: e.message }),
      )
      .then(async (outcome) => {
        await reload();
        setBusy(false);
        setNotice(outcome.notice);
        setFailure(outcome.failure);
        focus.release();
      });
  };
  const syncAll = (): void => act(async () => `Sync finished: ${countsText((await api.post<Run>(`${BASE}/sync`)).counts)}.`);
  const importPrefix = (e: React.FormEvent): void => {
    e.preventDefault();
    act(async () => {
      const out = await api.post<{ pool: { pool_name: string; network_cidr: string } }>(`${BASE}/import-prefix/${encodeURIComponent(prefixId.trim())}`);
      setPrefixId('');
      return `Imported ${out.pool.network_cidr} as pool ${out.pool.pool_name}.`;
    });
  };
  const resolve = (c: Conflict, resolution: string): void => act(async () => (await api.post(`${BASE}/conflicts/${c.id}/resolve`, { resolution }), `Conflict on ${c.subject} resolved: ${resolution}.`));
  const resolveAll = (resolution: string): void =>
    act(async () => {
      const out = await api.post<{ resolved: number; failed: number }>(`${BASE}/conflicts/resolve`, { resolution });
      return `${out.resolved} conflict(s) resolved (${resolution})${out.failed ? `, ${out.failed} could not be` : ''}.`;
    });

  return (
    <div style={{ padding: 24 }} data-testid="netbox-sync" ref={root}>
      <PageHead title="NetBox Sync" back={false} role={role} notice={notice} error={failure ?? error} actions={canWrite && status?.configured ? <button className="ipk-btn ipk-btn-primary" type="button" disabled={busy} onClick={syncAll}>Sync all pools</button> : null} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', gap: 12, marginBottom: 16 }}>
        <Card title="Connection" testId="nb-connection">
          {status === null ? <div className="ipk-muted">Loading…</div> : status.configured ? (
            <>
              <div className="ipk-mono">{status.url}</div>
              <div className="ipk-hint">Released reservations become: {status.released}</div>
            </>
          ) : (
            <div className="ipk-muted">Not connected: save a connector configuration of plugin “netbox” (<a href="/ui/pages/connectors">Connectors</a>) with the URL and token.</div>
          )}
        </Card>
        <Card title="Last sync" testId="nb-last-sync">
          {status?.last_sync ? (
            <>
              <div>{status.last_sync.finished_at ?? status.last_sync.started_at} · {status.last_sync.status}</div>
              <div className="ipk-hint">{countsText(status.last_sync.counts)}</div>
            </>
          ) : <div className="ipk-muted">Never</div>}
        </Card>
        <Card title="Open conflicts" testId="nb-conflict-count">
          <div style={{ fontSize: 28, fontWeight: 600 }}>{status?.open_conflicts ?? '—'}</div>
        </Card>
        <Card title="Push queue" testId="nb-queue">
          <div>{status ? `${status.queue.pending} waiting${status.queue.failing ? `, ${status.queue.failing} retrying` : ''}` : '—'}</div>
          {status?.queue.last_error ? <div className="ipk-warn" style={{ marginTop: 6 }}>{status.queue.last_error}</div> : null}
        </Card>
      </div>

      {canWrite && status?.configured ? (
        <form onSubmit={importPrefix} style={{ ...card, padding: 16, marginBottom: 16, display: 'flex', gap: 8, alignItems: 'end' }} aria-label="Import a NetBox prefix">
          <label style={{ display: 'grid', gap: 4 }}>
            <span>NetBox prefix id</span>
            <input id="nb-prefix-id" className="ipk-input" inputMode="numeric" value={prefixId} onChange={(e) => setPrefixId(e.target.value)} placeholder="e.g. 42" />
          </label>
          <button className="ipk-btn" type="submit" disabled={busy || prefixId.trim() === ''}>Import prefix as a pool</button>
          <span className="ipk-hint">Its IP addresses become reservations (active → assigned, reserved → reserved).</span>
        </form>
      ) : null}

      <Card title="Conflicts" testId="nb-conflicts" aside={canWrite && conflicts.length > 0 ? (
        <span style={{ display: 'inline-flex', gap: 6 }}>
          <button className="ipk-btn" type="button" disabled={busy} onClick={() => resolveAll('ours')}>All: ours</button>
          <button className="ipk-btn" type="button" disabled={busy} onClick={() => resolveAll('theirs')}>All: theirs</button>
          <button className="ipk-btn" type="button" disabled={busy} onClick={() => resolveAll('ignore')}>All: ignore</button>
        </span>
      ) : null}>
        {conflicts.length === 0 ? <div className="ipk-muted">No open conflicts. A sync lists here what differs between a pool and NetBox.</div> : (
          <table className="ipk-table" style={table}>
            <thead><tr><th>Address / prefix</th><th>Kind</th><th>Here (ours)</th><th>NetBox (theirs)</th>{canWrite ? <th>Resolve</th> : null}</tr></thead>
            <tbody>
              {conflicts.map((c) => (
                <tr key={c.id} data-testid={`nb-conflict-${c.subject}`}>
                  <td className="ipk-mono"><a href={`/ui/pages/ip-pools?pool=${c.pool_id}`}>{c.subject}</a></td>
                  <td style={wrap}>{KIND_TEXT[c.kind] ?? c.kind}</td>
                  <td style={wrap}>{side(c.ours)}</td>
                  <td style={wrap}>{side(c.theirs)}</td>
                  {canWrite ? (
                    <td style={{ whiteSpace: 'nowrap', overflow: 'visible', width: 1 }}>
                      <button className="ipk-btn" type="button" disabled={busy} onClick={() => resolve(c, 'ours')} aria-label={`Keep ours for ${c.subject}`}>Ours</button>{' '}
                      <button className="ipk-btn" type="button" disabled={busy} onClick={() => resolve(c, 'theirs')} aria-label={`Take NetBox's for ${c.subject}`}>Theirs</button>{' '}
                      <button className="ipk-btn" type="button" disabled={busy} onClick={() => resolve(c, 'ignore')} aria-label={`Ignore ${c.subject}`}>Ignore</button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>

      <Card title="History" testId="nb-history" style={{ marginTop: 16 }}>
        {runs.length === 0 ? <div className="ipk-muted">No sync has run yet.</div> : (
          <table className="ipk-table" style={table}>
            <thead><tr><th>#</th><th>Kind</th><th>Started</th><th>By</th><th>Status</th><th>Counts</th></tr></thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>{r.id}</td>
                  <td>{r.kind}</td>
                  <td className="ipk-mono">{r.started_at}</td>
                  <td>{r.actor ?? 'scheduler'}</td>
                  <td style={wrap}>{r.status}{r.error ? `: ${r.error}` : ''}</td>
                  <td style={wrap}>
                    {r.log.length === 0 ? countsText(r.counts) : (
                      // The run's log, openable by keyboard (a title tooltip shows only to a mouse).
                      <details>
                        <summary>{countsText(r.counts)}</summary>
                        <pre className="ipk-mono" style={{ whiteSpace: 'pre-wrap', margin: '6px 0 0', fontSize: 12 }}>{r.log.join('\n')}</pre>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
};

export default NetBoxSync;
