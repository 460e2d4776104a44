import React, { useEffect, useState } from 'react';
import { isLive as isLiveStatus } from '../../src/domain/pools/types';
import { api, formErrors } from '../shared/api';
import { Address } from '../shared/address';
import { Chip } from '../shared/chip';
import { Drawer, Field, FormFooter } from '../shared/drawer';
import { EmptyState, ListShell } from '../shared/list-shell';
import { parseUtc, paths, poolPage, rowsOf, STATUS_COLORS, subscriberPage, when, writes, type Reservation } from './model';
import { ActionDrawer, Alert } from './ui';

export const isLive = (r: Reservation): boolean => isLiveStatus(r.status);
/** A delegated prefix arrives as its CIDR already; an address as itself. */
export const addressText = (r: Pick<Reservation, 'ip_address' | 'ip_type' | 'prefix_length'>): string => (r.ip_type === 'ipv6_prefix' && r.prefix_length && !r.ip_address.includes('/') ? `${r.ip_address}/${r.prefix_length}` : r.ip_address);

type Action = { kind: 'extend' | 'history' | 'release'; r: Reservation };

/**
 * A pool's reservations (live ones, or all with their history) with the lifecycle's row actions:
 * assign a reserved address, release, extend, and the history of the address.
 */
export const ReservationsTable: React.FC<{ rows: Reservation[] | null; canWrite: boolean; onChanged: (message: string) => void; poolNames?: Map<number, string> }> = ({ rows, canWrite, onChanged, poolNames }) => {
  const [action, setAction] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const assign = (r: Reservation): void => {
    setError(null);
    writes
      .assign(r)
      .then(() => onChanged(`${addressText(r)} assigned to ${r.subscriber_id}.`))
      .catch((e: Error) => setError(e.message));
  };
  return (
    <>
      <Alert message={error} testId="reservation-error" />
      <ListShell
        columns={[
          { key: 'ip_address', label: 'Address', minWidth: 130 },
          ...(poolNames ? [{ key: 'pool_id', label: 'Pool' }] : [{ key: 'subscriber_id', label: 'Subscriber' }]),
          // Sized to fit a pool page at 1000 px (it stuck out 16 px): the status chip needs 90, a name wraps.
          { key: 'status', label: 'Status', width: 90 },
          { key: 'reserved_at', label: 'Reserved (UTC)', width: 140 },
          { key: 'expires_at', label: 'Expires (UTC)', width: 140 },
          { key: 'assigned_by', label: 'By', width: 80 },
          { key: 'actions', label: 'Actions', width: canWrite ? 280 : 90 },
        ]}
        rowCount={rows ? rows.length : null}
        testId="reservations-table"
        empty={<EmptyState canWrite={false} message="No reservations here yet." />}
      >
        {(rows ?? []).map((r) => (
          <tr key={r.id} data-testid={`reservation-${r.ip_address}`} data-status={r.status}>
            <td className="ipk-mono ipk-addr">
              <Address ip={addressText(r)} />
            </td>
            {poolNames ? (
              <td>
                <a href={poolPage(r.pool_id)}>{poolNames.get(r.pool_id) ?? `#${r.pool_id}`}</a>
              </td>
            ) : (
              <td title={r.assignment_reason ?? r.notes ?? ''}>
                <a href={subscriberPage(r.subscriber_id)}>{r.subscriber_id}</a>
              </td>
            )}
            <td>
              <Chip label={r.status.toLowerCase()} color={STATUS_COLORS[r.status]} />
            </td>
            <td>{when(r.reserved_at)}</td>
            <td>{when(r.expires_at) || <span className="ipk-muted">—</span>}</td>
            <td>{r.assigned_by ?? ''}</td>
            <td className="ipk-actions">
              {canWrite && r.status === 'RESERVED' ? (
                <button type="button" className="ipk-btn ipk-btn-sm" onClick={() => assign(r)} aria-label={`Assign ${r.ip_address}`}>
                  Assign
                </button>
              ) : null}
              {canWrite && isLive(r) ? (
                <>
                  <button type="button" className="ipk-btn ipk-btn-sm" onClick={() => setAction({ kind: 'extend', r })} aria-label={`Extend ${r.ip_address}`}>
                    Extend
                  </button>
                  <button type="button" className="ipk-btn ipk-btn-sm" style={{ color: '#b91c1c' }} onClick={() => setAction({ kind: 'release', r })} aria-label={`Release ${r.ip_address}`}>
                    Release
                  </button>
                </>
              ) : null}
              <button type="button" className="ipk-btn ipk-btn-sm" onClick={() => setAction({ kind: 'history', r })} aria-label={`History of ${r.ip_address}`}>
                History
              </button>
            </td>
          </tr>
        ))}
      </ListShell>
      {action?.kind === 'extend' ? <ExtendDrawer r={action.r} onClose={() => setAction(null)} onDone={(m) => (setAction(null), onChanged(m))} /> : null}
      {action?.kind === 'release' ? <ReleaseDrawer r={action.r} onClose={() => setAction(null)} onDone={(m) => (setAction(null), onChanged(m))} /> : null}
      {action?.kind === 'history' ? <HistoryDrawer address={action.r.ip_address} onClose={() => setAction(null)} /> : null}
    </>
  );
};

/** A datetime-local value (UTC) a week after the reservation's expiry, or after now. */
function weekLater(iso: string | null): string {
  const from = iso ? Math.max(parseUtc(iso) || 0, Date.now()) : Date.now();
  return new Date(from + 7 * 86_400_000).toISOString().slice(0, 16);
}

const ExtendDrawer: React.FC<{ r: Reservation; onClose: () => void; onDone: (m: string) => void }> = ({ r, onClose, onDone }) => {
  const [value, setValue] = useState(() => weekLater(r.expires_at));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = (): void => {
    setErrors({});
    writes
      .extend(r, new Date(`${value}Z`).toISOString())
      .then((saved) => onDone(`${addressText(r)} now expires ${when(saved.expires_at ?? new Date(`${value}Z`).toISOString())} UTC.`))
      .catch((e: unknown) => setErrors(formErrors(e, 'expires_at', 'expires_at')));
  };
  return (
    <Drawer open title={`Extend ${addressText(r)}`} subtitle={`Held by ${r.subscriber_id}`} onClose={onClose} onSubmit={save} formId="extend-form" testId="extend-drawer" footer={<FormFooter formId="extend-form" submitLabel="Extend" disabled={!value} onCancel={onClose} />}>
      <Field label="Expires (UTC)" error={errors.expires_at} hint={r.expires_at ? `Now ${when(r.expires_at)} UTC` : 'It has no expiry now.'} htmlFor="extend-at">
        <input id="extend-at" type="datetime-local" className="ipk-input" value={value} onChange={(e) => setValue(e.target.value)} />
      </Field>
    </Drawer>
  );
};

const ReleaseDrawer: React.FC<{ r: Reservation; onClose: () => void; onDone: (m: string) => void }> = ({ r, onClose, onDone }) => (
  <ActionDrawer title={`Release ${addressText(r)}`} subtitle="The address becomes free; its record stays in the history." testId="release-drawer" confirmLabel="Release" run={() => writes.release(r)} doneMessage={`${addressText(r)} released from ${r.subscriber_id}.`} onClose={onClose} onDone={onDone}>
    <dl className="ipk-summary">
      <dt>Address</dt>
      <dd className="ipk-mono">{addressText(r)}</dd>
      <dt>Subscriber</dt>
      <dd>{r.subscriber_id}</dd>
      <dt>Status</dt>
      <dd>{r.status.toLowerCase()}</dd>
    </dl>
  </ActionDrawer>
);

/** Every reservation an address has had, newest first: who held it, and when each step happened. */
export const HistoryDrawer: React.FC<{ address: string; onClose: () => void }> = ({ address, onClose }) => {
  const [rows, setRows] = useState<Reservation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<unknown>(paths.reservations({ ip_address: address, limit: 1000 }))
      .then((a) => setRows(rowsOf<Reservation>(a, 'reservations').filter((r) => r.ip_address === address).sort((x, y) => (y.reserved_at ?? '').localeCompare(x.reserved_at ?? '') || y.id - x.id)))
      .catch((e: Error) => setError(e.message));
  }, [address]);
  return (
    <Drawer open title={`History of ${address}`} onClose={onClose} testId="history-drawer">
      <Alert message={error} />
      {rows && rows.length === 0 ? <div className="ipk-muted">No reservation has held this address.</div> : null}
      <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="history-list">
        {(rows ?? []).map((r) => (
          <li key={r.id} style={{ borderLeft: `3px solid ${STATUS_COLORS[r.status] ?? '#e2e8f0'}`, padding: '6px 10px', marginBottom: 10 }} data-testid="history-entry">
            <div style={{ fontWeight: 600 }}>
              {r.subscriber_id} · {r.status.toLowerCase()}
            </div>
            <div className="ipk-hint" style={{ marginTop: 2 }}>
              {[
                ['reserved', r.reserved_at],
                ['assigned', r.assigned_at],
                ['released', r.released_at],
                ['expires', r.expires_at],
              ]
                .filter(([, at]) => at)
                .map(([step, at]) => `${step} ${when(at)}`)
                .join(' · ')}
            </div>
            {r.assigned_by || r.assignment_reason ? (
              <div className="ipk-hint">
                {r.assigned_by ? `by ${r.assigned_by}` : ''}
                {r.assignment_reason ? ` — ${r.assignment_reason}` : ''}
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </Drawer>
  );
};
