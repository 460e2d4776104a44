import React, { useCallback, useEffect, useState } from 'react';
import { api } from '../shared/api';
import { Drawer, Notice, useDrawerPage } from '../shared/drawer';
import { SuperuserBanner, useRole } from '../shared/role';
import { useIpkStyles } from '../shared/styles';
import { PAGE, paths, rowsOf, type Pool, type Reservation } from './model';
import { ReservationManager } from './reservation-manager';
import { addressText, isLive, ReservationsTable } from './reservations';
import { Alert } from './ui';

/**
 * One subscriber's addresses (the seed's reservation manager): what it holds in every pool, a
 * new address from any active pool, and terminating the subscriber (every address released at once).
 */
export const SubscriberIps: React.FC<{ subscriber: string }> = ({ subscriber }) => {
  useIpkStyles();
  const { role, canWrite } = useRole();
  const [rows, setRows] = useState<Reservation[] | null>(null);
  const [pools, setPools] = useState<Pool[]>([]);
  const [poolNames, setPoolNames] = useState<Map<number, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      const [ips, all] = await Promise.all([api.get<unknown>(paths.subscriberIps(subscriber)), api.get<unknown>(paths.pools())]);
      setRows(rowsOf<Reservation>(ips, 'reservations'));
      const every = rowsOf<Pool>(all, 'pools');
      setPools(every.filter((p) => p.status === 'ACTIVE'));
      setPoolNames(new Map(every.map((p) => [p.id, p.pool_name])));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [subscriber]);
  const { mode, setMode, notice, done } = useDrawerPage<'terminate'>(reload);
  useEffect(() => void reload(), [reload]);
  const live = (rows ?? []).filter(isLive);
  return (
    <div style={{ padding: 24 }} data-testid="subscriber-page">
      <a href={PAGE}>← IP pools</a>
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', margin: '8px 0 16px' }}>
        <h2 style={{ margin: 0, fontSize: 22, fontWeight: 600 }}>Subscriber {subscriber}</h2>
        {canWrite && live.length > 0 ? (
          <button type="button" className="ipk-btn" style={{ color: '#b91c1c' }} onClick={() => setMode('terminate')} data-testid="terminate">
            Terminate (release all)
          </button>
        ) : null}
      </div>
      <SuperuserBanner role={role} />
      <Notice message={notice} />
      <Alert message={error} />
      {canWrite ? <ReservationManager pools={pools} subscriber={subscriber} onDone={done} /> : null}
      <h3 style={{ margin: '8px 0', fontSize: 15 }}>Addresses</h3>
      <ReservationsTable rows={rows} canWrite={canWrite} onChanged={done} poolNames={poolNames} />
      {mode === 'terminate' ? <TerminateDrawer subscriber={subscriber} live={live} onClose={() => setMode(null)} onDone={done} /> : null}
    </div>
  );
};

const TerminateDrawer: React.FC<{ subscriber: string; live: Reservation[]; onClose: () => void; onDone: (m: string) => void }> = ({ subscriber, live, onClose, onDone }) => {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const terminate = (): void => {
    setBusy(true);
    api
      .post(paths.terminate(subscriber), {})
      .then(() => onDone(`Subscriber ${subscriber} terminated: ${live.length} address${live.length === 1 ? '' : 'es'} released.`))
      .catch((e: Error) => (setError(e.message), setBusy(false)));
  };
  return (
    <Drawer
      open
      title={`Terminate ${subscriber}`}
      subtitle="Every address it holds is released in one step; the records stay in the history."
      onClose={onClose}
      testId="terminate-drawer"
      footer={
        <>
          <button type="button" className="ipk-btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="ipk-btn ipk-btn-danger" disabled={busy} onClick={terminate} data-testid="terminate-confirm">
            Release all
          </button>
        </>
      }
    >
      <Alert message={error} />
      <ul className="ipk-mono" style={{ paddingLeft: 18 }}>
        {live.map((r) => (
          <li key={r.id}>{addressText(r)}</li>
        ))}
      </ul>
    </Drawer>
  );
};
