import React, { useCallback, useState } from 'react';
import { api } from '../shared/api';
import { Chip } from '../shared/chip';
import { useDrawerPage } from '../shared/drawer';
import { useRole } from '../shared/role';
import { useIpkStyles } from '../shared/styles';
import { formatCount } from '../ranges/format';
import { dnsText, PAGE, paths, rowsOf, STATUS_COLORS, TYPE_LABELS, when, type Pool, type Reservation, type Utilization } from './model';
import { AvailableIps } from './available-ips';
import { BatchAllocate } from './batch-allocate';
import { PoolFormDrawer } from './pool-form';
import { ReservationManager } from './reservation-manager';
import { isLive, ReservationsTable } from './reservations';
import { StateBar, StateLegend } from './state-bar';
import { Alert, Card, PageHead, useLoader } from './ui';

const Fact: React.FC<{ label: string; children?: React.ReactNode; testId?: string }> = ({ label, children, testId }) => (
  <>
    <dt>{label}</dt>
    <dd data-testid={testId}>{children ?? <span className="ipk-muted">—</span>}</dd>
  </>
);

/** One pool: its settings, utilization by state, the reservation manager and its reservations. */
export const PoolDetail: React.FC<{ id: number }> = ({ id }) => {
  useIpkStyles();
  const { role, canWrite } = useRole();
  const [pool, setPool] = useState<Pool | null>(null);
  const [u, setU] = useState<Utilization | null>(null);
  const [rows, setRows] = useState<Reservation[] | null>(null);
  const [showAll, setShowAll] = useState(false);
  const load = useCallback(async () => {
    const [p, util, res] = await Promise.all([api.get<Pool>(paths.pool(id)), api.get<Utilization>(paths.utilization(id)), api.get<unknown>(paths.reservations({ pool_id: id, limit: 1000 }))]);
    setPool(p);
    setU(util);
    setRows(rowsOf<Reservation>(res, 'reservations').filter((r) => r.pool_id === id));
  }, [id]);
  const { reload, error } = useLoader(load);
  const { mode, setMode, notice, done: drawerDone } = useDrawerPage<'edit'>(reload);
  // Every write changes what is free: the free-address list reloads with the rest of the page.
  const [refresh, setRefresh] = useState(0);
  const [pick, setPick] = useState<{ address: string; n: number } | null>(null);
  const done = (message: string): void => {
    drawerDone(message);
    setRefresh((n) => n + 1);
  };
  const shown = (rows ?? []).filter((r) => showAll || isLive(r));
  if (!pool)
    return (
      <div style={{ padding: 24 }} data-testid="pool-detail">
        <a href={PAGE}>← IP pools</a>
        {error ? <Alert message={error} style={{ marginTop: 12 }} /> : <div className="ipk-muted">Loading…</div>}
      </div>
    );
  const util = u ?? pool.state ?? null;
  const shownStatus = util?.status ?? pool.status;
  return (
    <div style={{ padding: 24 }} data-testid="pool-detail">
      <PageHead
        title={
          <>
            {pool.pool_name} <span className="ipk-mono" style={{ fontSize: 15, color: '#475569' }}>{pool.network_cidr}</span> <Chip label={shownStatus.toLowerCase()} color={STATUS_COLORS[shownStatus]} testId="pool-status" />
          </>
        }
        role={role}
        notice={notice}
        error={error}
        actions={
          canWrite ? (
            <button type="button" className="ipk-btn" onClick={() => setMode('edit')} data-testid="edit-pool">
              Edit pool
            </button>
          ) : null
        }
      />
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(280px, 1fr) minmax(320px, 1.4fr)', gap: 16, marginBottom: 16 }}>
        <Card label="Settings" style={{ marginBottom: 0 }}>
          <dl className="ipk-summary" style={{ gridTemplateColumns: '130px 1fr', marginBottom: 0 }} data-testid="pool-facts">
            <Fact label="Type">{TYPE_LABELS[pool.pool_type] ?? pool.pool_type}</Fact>
            <Fact label="Gateway">{pool.gateway ? <code>{pool.gateway}</code> : null}</Fact>
            <Fact label="DNS servers">{dnsText(pool.dns_servers) || null}</Fact>
            <Fact label="VLAN">{pool.vlan_id}</Fact>
            <Fact label="Auto-assign">{pool.auto_assign_enabled ? 'on' : 'off'}</Fact>
            <Fact label="Manual">{pool.allow_manual_reservation ? 'allowed' : 'not allowed'}</Fact>
            <Fact label="Alert over">{`${pool.utilization_alert_threshold ?? 80}%`}</Fact>
            <Fact label="NetBox prefix">{pool.netbox_prefix_id}</Fact>
            <Fact label="Description">{pool.description}</Fact>
          </dl>
        </Card>
        <Card title="Utilization" testId="pool-utilization" style={{ marginBottom: 0 }}>
          {util ? (
            <>
              <StateBar u={util} threshold={pool.utilization_alert_threshold} width={300} testId="pool-state-bar" />
              <div style={{ margin: '8px 0' }}>
                <StateLegend />
              </div>
              <div style={{ display: 'flex', gap: 24, fontVariantNumeric: 'tabular-nums', fontSize: 13 }} data-testid="pool-counts">
                <span>
                  <strong>{formatCount(util.assigned)}</strong> assigned
                </span>
                <span>
                  <strong>{formatCount(util.reserved)}</strong> reserved
                </span>
                <span>
                  <strong>{formatCount(util.available)}</strong> available
                </span>
                <span>
                  of <strong>{formatCount(util.total)}</strong>
                </span>
              </div>
              <div className="ipk-hint" data-testid="pool-depletion">
                {String(util.available) === '0' ? 'No address left: release one, or widen the pool.' : util.projected_depletion_date ? `At the last 30 days' rate, the pool runs out around ${when(util.projected_depletion_date).slice(0, 10)}.` : 'No depletion projected from the last 30 days.'}
              </div>
            </>
          ) : null}
        </Card>
      </div>
      {canWrite ? <ReservationManager pools={[pool]} onDone={done} pick={pick} /> : null}
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(340px, 1fr))', gap: 16, alignItems: 'start' }}>
        <AvailableIps poolId={pool.id} refresh={refresh} prefixes={pool.pool_type === 'IPV6_PREFIX_DELEGATION'} onPick={canWrite && pool.allow_manual_reservation ? (address) => setPick((p) => ({ address, n: (p?.n ?? 0) + 1 })) : undefined} />
        {canWrite ? <BatchAllocate pool={pool} available={util?.available ?? null} onDone={done} /> : null}
      </div>
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', margin: '8px 0' }}>
        <h3 style={{ margin: 0, fontSize: 15 }}>Reservations</h3>
        <label className="ipk-check" style={{ margin: 0 }}>
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} data-testid="show-released" />
          <span>Show released and expired</span>
        </label>
      </div>
      <ReservationsTable rows={rows ? shown : null} canWrite={canWrite} onChanged={done} />
      {mode === 'edit' ? <PoolFormDrawer pool={pool} onClose={() => setMode(null)} onDone={done} /> : null}
    </div>
  );
};
