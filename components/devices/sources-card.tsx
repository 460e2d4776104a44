import React from 'react';
import { runPath } from './change-table';
import type { DeviceDetail } from './wire';

/** Which sources report the device and when: each source's id for it, first and last seen, and the run that last reported it. */
export const SourcesCard: React.FC<{ detail: DeviceDetail }> = ({ detail }) => (
  <div className="ipw-card" data-testid="sources-card" style={{ gridColumn: '1 / -1' }}>
    <h2>Reported by</h2>
    {detail.facts.length === 0 ? (
      <p className="ipk-muted" data-testid="no-sources">
        No source reports this device: it was added by hand.
      </p>
    ) : (
      <table className="dvw-facts">
        <thead>
          <tr>
            <th>Source</th>
            <th>Its id for the device</th>
            <th>First seen (UTC)</th>
            <th>Last seen (UTC)</th>
            <th>Last run</th>
            <th>Missing</th>
          </tr>
        </thead>
        <tbody>
          {detail.facts.map((f) => (
            <tr key={`${f.source}-${f.external_id}`} data-testid={`source-row-${f.source}`}>
              <td>{f.source === 'manual' ? 'typed in (manual)' : f.source}</td>
              <td className="ipk-mono">{f.external_id}</td>
              <td style={{ whiteSpace: 'nowrap' }}>{f.first_seen_at.slice(0, 16)}</td>
              <td style={{ whiteSpace: 'nowrap' }}>{f.last_seen_at.slice(0, 16)}</td>
              <td>{f.run_id ? <a href={runPath(f.run_id)} className="dvw-run">run #{f.run_id}</a> : <span className="ipk-muted">—</span>}</td>
              <td style={{ whiteSpace: 'nowrap' }} data-testid={`source-missing-${f.source}`}>
                {f.missing_since ? (
                  <>
                    since {f.missing_since.slice(0, 16)}
                    {f.missing_run_id ? <> (<a href={runPath(f.missing_run_id)} className="dvw-run">run #{f.missing_run_id}</a>)</> : null}
                  </>
                ) : (
                  <span className="ipk-muted">reported</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </div>
);
