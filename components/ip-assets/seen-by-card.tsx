import React from 'react';
import type { AssetSeenBy } from '../../src/services/assets/wire';

/** Where a run's log is shown: Data Ops opens the run named in the hash. */
export const runPath = (id: number): string => `/ui/pages/data-ops#run-${id}`;

/** Column heads line up with the cells (ipw-audit pads its cells 6px). */
const HEAD: React.CSSProperties = { textAlign: 'left', color: '#64748b', fontWeight: 500, padding: '0 6px 6px' };

/** Which sources report the address and when (first/last seen per source and configuration), with the runs that did. */
export const SeenByCard: React.FC<{ seenBy: AssetSeenBy[] | null }> = ({ seenBy }) => (
  <div className="ipw-card" data-testid="seen-by">
    <h2>Seen by</h2>
    {seenBy === null ? (
      <div className="ipk-muted">Loading…</div>
    ) : seenBy.length === 0 ? (
      <div className="ipk-muted" data-testid="seen-by-none">
        No source has reported this address: it was added by hand.
      </div>
    ) : (
      <table className="ipw-audit">
        <thead>
          <tr>
            {['Source', 'Configuration', 'First seen (UTC)', 'Last seen (UTC)', 'Last run'].map((h) => (
              <th key={h} style={HEAD}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {seenBy.map((s) => (
            <tr key={`${s.source}-${s.config}`} data-testid={`seen-by-row-${s.source}`}>
              <td>{s.source}</td>
              <td>{s.config_id !== null ? <a href="/ui/pages/connectors">{s.config}</a> : s.config}</td>
              <td style={{ whiteSpace: 'nowrap' }}>
                {s.first_seen_at.slice(0, 16)}
                {s.first_run_id !== null && s.first_run_id !== s.run_id ? (
                  <span className="ipk-muted">
                    {' '}
                    (<a href={runPath(s.first_run_id)}>run #{s.first_run_id}</a>)
                  </span>
                ) : null}
              </td>
              <td style={{ whiteSpace: 'nowrap' }}>{s.last_seen_at.slice(0, 16)}</td>
              <td>
                {s.run_id !== null ? (
                  <a href={runPath(s.run_id)} data-testid="seen-by-run">
                    run #{s.run_id}
                  </a>
                ) : (
                  <span className="ipk-muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </div>
);
