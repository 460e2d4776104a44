import React, { useCallback, useState } from 'react';
import { api } from '../shared/api';
import { useDrawerPage } from '../shared/drawer';
import { useRole } from '../shared/role';
import { useIpkStyles } from '../shared/styles';
import { paths, rowsOf, type Pool, type Reservation } from './model';
import { ReservationManager } from './reservation-manager';
import { addressText, isLive, ReservationsTable } from './reservations';
import { ActionDrawer, PageHead, useLoader } from './ui';

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
  const load = useCallback(async () => {
    const [ips, all] = await Promise.all([api.get<unknown>(paths.subscriberIps(subscriber, true)), api.get<unknown>(paths.pools())]);
    setRows(rowsOf<Reservation>(ips, 'ips'));
    const every = rowsOf<Pool>(all, 'pools');
    setPools(every.filter((p) => p.status === 'ACTIVE'));
    setPoolNames(new Map(every.map((p) => [p.id, p.pool_name])));
  }, [subscriber]);
  const { reload, error } = useLoader(load);
  const { mode, setMode, notice, done } = useDrawerPage<'terminate'>(reload);
  const live = (rows ?? []).filter(isLive);
  return (
    <div style={{ padding: 24 }} data-testid="subscriber-page">
      <PageHead
        title={`Subscriber ${subscriber}`}
        role={role}
        notice={notice}
        error={error}
        actions={
          canWrite && live.length > 0 ? (
            <button type="button" className="ipk-btn" style={{ color: '#b91c1c' }} onClick={() => setMode('terminate')} data-testid="terminate">
              Terminate (release all)
            </button>
          ) : null
        }
      />
      {canWrite ? <ReservationManager pools={pools} subscriber={subscriber} onDone={done} /> : null}
      <h3 style={{ margin: '8px 0', fontSize: 15 }}>Addresses</h3>
      <ReservationsTable rows={rows} canWrite={canWrite} onChanged={done} poolNames={poolNames} />
      {mode === 'terminate' ? <TerminateDrawer subscriber={subscriber} live={live} onClose={() => setMode(null)} onDone={done} /> : null}
    </div>
  );
};

const TerminateDrawer: React.FC<{ subscriber: string; live: Reservation[]; onClose: () => void; onDone: (m: string) => void }> = ({ subscriber, live, onClose, onDone }) => (
  <ActionDrawer
    title={`Terminate ${subscriber}`}
    subtitle="Every address it holds is released in one step; the records stay in the history."
    testId="terminate-drawer"
    confirmLabel="Release all"
    run={() => api.post(paths.terminate(subscriber), {})}
    doneMessage={`Subscriber ${subscriber} terminated: ${live.length} address${live.length === 1 ? '' : 'es'} released.`}
    onClose={onClose}
    onDone={onDone}
  >
    <ul className="ipk-mono" style={{ paddingLeft: 18 }}>
      {live.map((r) => (
        <li key={r.id}>{addressText(r)}</li>
      ))}
    </ul>
  </ActionDrawer>
);
