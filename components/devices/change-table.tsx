import React from 'react';
import { devicePath } from './model';
import type { DeviceChange } from './wire';

/** Where a run's log is read (Data Ops opens the run named in the hash). */
export const runPath = (id: number): string => `/ui/pages/data-ops#run-${id}`;

/**
 * History rows as a table: when, field, old → new, and who — a person, or a link to the run
 * that made it. `withDevice` adds a column linking each row's device (the Device changes page).
 */
export const ChangeTable: React.FC<{ rows: DeviceChange[]; withDevice?: boolean; testId?: string }> = ({ rows, withDevice = false, testId }) => (
  <table className="dvw-facts" data-testid={testId}>
    <thead>
      <tr>
        <th>When (UTC)</th>
        {withDevice ? <th>Device</th> : null}
        <th>Field</th>
        <th>Old</th>
        <th>New</th>
        <th>By</th>
      </tr>
    </thead>
    <tbody>
      {rows.map((h) => (
        <tr key={h.id} data-testid="history-row">
          <td style={{ whiteSpace: 'nowrap' }}>{h.changed_at}</td>
          {withDevice ? (
            <td>
              <a href={devicePath(h.device_id)} data-testid="change-device">
                {h.device_name}
              </a>
            </td>
          ) : null}
          <td>{h.field}</td>
          <td className="dvw-struck">{h.old_value ?? '—'}</td>
          <td>{h.new_value ?? '—'}</td>
          <td>
            {h.run_id ? (
              <a href={runPath(h.run_id)} className="dvw-run" data-testid="change-run">
                {h.source ?? 'sync'} run #{h.run_id}
              </a>
            ) : null}
            {h.run_id && h.changed_by ? <span className="ipk-muted"> · </span> : null}
            {h.changed_by ?? (h.run_id ? null : 'system')}
          </td>
        </tr>
      ))}
    </tbody>
  </table>
);
