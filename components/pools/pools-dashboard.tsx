import React, { useEffect, useState } from 'react';
import { percentUsed } from '../../src/domain/ip/key-space';
import { api } from '../shared/api';
import { card } from '../shared/form-styles';
import { EmptyState, ListShell } from '../shared/list-shell';
import { useIpkStyles } from '../shared/styles';
import { formatCount } from '../ranges/format';
import { PoolBarsChart, StateDonut } from './charts';
import { CONFLICTS_PAGE, isV6Type, loadPools, PAGE, parseUtc, paths, poolPage, rowsOf, when, type Pool, type Reservation, type Utilization } from './model';
import { addressText } from './reservations';
import { StateBar, StateLegend } from './state-bar';
import { Alert } from './ui';

/** The states of several pools added up (BigInt: IPv6 pools exceed 2^53). */
export function sumUtilization(pools: Pool[]): Utilization {
  const sum = { total: 0n, reserved: 0n, assigned: 0n, in_use: 0n, available: 0n };
  for (const p of pools) {
    if (!p.state) continue;
    for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += BigInt(String(p.state[k] ?? 0));
  }
  const big = (n: bigint): number | string => (n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString());
  return { total: big(sum.total), reserved: big(sum.reserved), assigned: big(sum.assigned), in_use: big(sum.in_use), available: big(sum.available), utilization_percent: percentUsed(sum.total - sum.available, sum.total) };
}

/** Over its alert threshold, full, or projected to run out within 90 days. */
function warningOf(p: Pool): string | null {
  const u = p.state;
  if (!u) return null;
  const threshold = p.utilization_alert_threshold ?? 80;
  if (u.alert_state === 'depleted' || u.utilization_percent >= 100 || p.status === 'DEPLETED') return 'depleted: no address left';
  const days = u.projected_depletion_date ? Math.round((parseUtc(u.projected_depletion_date) - Date.now()) / 86_400_000) : null;
  const soon = days !== null && days <= 90 ? `runs out in about ${Math.max(days, 0)} days (${when(u.projected_depletion_date).slice(0, 10)})` : null;
  if (u.alert_state === 'alert' || u.utilization_percent >= threshold) return [`${u.utilization_percent}% used, over its ${threshold}% alert threshold`, soon].filter(Boolean).join('; ');
  return soon;
}

const cardStyle: React.CSSProperties = { ...card, padding: '14px 18px', marginBottom: 0, flex: '1 1 150px', minWidth: 150 };

/** Pools dashboard: totals, utilization by pool and by family, depletion warnings, top utilized, recent assignments. */
const PoolsDashboard: React.FC = () => {
  useIpkStyles();
  const [pools, setPools] = useState<Pool[] | null>(null);
  const [recent, setRecent] = useState<Reservation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadPools()
      .then(setPools)
      .catch((e: Error) => setError(e.message));
    api
      .get<unknown>(paths.reservations({ status: 'ASSIGNED', limit: 1000 }))
      .then((a) =>
        setRecent(
          rowsOf<Reservation>(a, 'reservations')
            .filter((r) => r.assigned_at)
            .sort((x, y) => (y.assigned_at ?? '').localeCompare(x.assigned_at ?? ''))
            .slice(0, 10),
        ),
      )
      .catch((e: Error) => setError(e.message));
  }, []);
  const all = pools ?? [];
  const total = sumUtilization(all);
  const v4 = all.filter((p) => !isV6Type(p.pool_type));
  const v6 = all.filter((p) => isV6Type(p.pool_type));
  const ranked = [...all].filter((p) => p.state).sort((a, b) => (b.state?.utilization_percent ?? 0) - (a.state?.utilization_percent ?? 0));
  const warnings = ranked.map((p) => [p, warningOf(p)] as const).filter(([, w]) => w);
  const nameOf = new Map(all.map((p) => [p.id, p.pool_name]));
  const cards: [string, string, string][] = [
    ['pools', 'Pools', String(all.length)],
    ['total', 'Addresses', formatCount(total.total)],
    ['assigned', 'Assigned', formatCount(total.assigned)],
    ['reserved', 'Reserved', formatCount(total.reserved)],
    ['available', 'Available', formatCount(total.available)],
  ];
  return (
    <div style={{ padding: 24 }} data-testid="pools-dashboard">
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 16 }}>
        <h2 style={{ margin: 0, fontSize: 22, fontWeight: 600 }}>Pools dashboard</h2>
        <span style={{ display: 'inline-flex', gap: 8 }}>
          <a className="ipk-btn" href={PAGE}>
            IP pools
          </a>
          <a className="ipk-btn" href={CONFLICTS_PAGE}>
            Conflict checker
          </a>
        </span>
      </div>
      <Alert message={error} />
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, marginBottom: 16 }}>
        {cards.map(([key, label, value]) => (
          <div key={key} style={cardStyle} data-testid={`pools-total-${key}`}>
            <div style={{ fontSize: 13, color: '#64748b' }}>{label}</div>
            <div style={{ fontSize: 26, fontWeight: 600, marginTop: 4, fontVariantNumeric: 'tabular-nums' }}>{pools ? value : '…'}</div>
          </div>
        ))}
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(420px, 2fr) minmax(280px, 1fr)', gap: 16, marginBottom: 16 }}>
        <section style={{ ...card, padding: 16, marginBottom: 0, overflowX: 'auto' }} aria-labelledby="chart-title">
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 10 }}>
            <h3 id="chart-title" style={{ margin: 0, fontSize: 15 }}>
              Utilization by pool
            </h3>
            <StateLegend />
          </div>
          {pools && ranked.length === 0 ? <div className="ipk-muted">No pools yet.</div> : <PoolBarsChart pools={ranked} />}
          <div className="ipk-hint">The dashed tick is each pool&apos;s alert threshold.</div>
        </section>
        <section style={{ ...card, padding: 16, marginBottom: 0 }} aria-labelledby="family-title" data-testid="family-breakdown">
          <h3 id="family-title" style={{ margin: '0 0 12px', fontSize: 15 }}>
            IPv4 vs IPv6
          </h3>
          <div style={{ display: 'grid', gap: 14 }}>
            <StateDonut title={`IPv4 · ${v4.length} pool${v4.length === 1 ? '' : 's'}`} u={sumUtilization(v4)} testId="family-v4" />
            <StateDonut title={`IPv6 · ${v6.length} pool${v6.length === 1 ? '' : 's'}`} u={sumUtilization(v6)} testId="family-v6" />
          </div>
        </section>
      </div>
      <section style={{ ...card, padding: 16 }} aria-labelledby="warn-title" data-testid="depletion-warnings">
        <h3 id="warn-title" style={{ margin: '0 0 10px', fontSize: 15 }}>
          Depletion warnings
        </h3>
        {pools && warnings.length === 0 ? <div className="ipk-muted">No pool is over its threshold or running out within 90 days.</div> : null}
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {warnings.map(([p, w]) => (
            <li key={p.id} style={{ marginBottom: 4, color: '#92400e' }} data-testid={`warning-${p.pool_name}`}>
              <a href={poolPage(p.id)} style={{ fontWeight: 600 }}>
                {p.pool_name}
              </a>{' '}
              <span className="ipk-mono">{p.network_cidr}</span>: {w}
            </li>
          ))}
        </ul>
      </section>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16 }}>
        <section aria-labelledby="top-title">
          <h3 id="top-title" style={{ margin: '0 0 8px', fontSize: 15 }}>
            Top utilized
          </h3>
          <ListShell columns={[{ key: 'pool', label: 'Pool' }, { key: 'network', label: 'Network' }, { key: 'u', label: 'Utilization', width: 210 }]} rowCount={pools ? Math.min(ranked.length, 5) : null} testId="top-utilized" empty={<EmptyState canWrite={false} message="No pools yet." />}>
            {ranked.slice(0, 5).map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={poolPage(p.id)}>{p.pool_name}</a>
                </td>
                <td className="ipk-mono">{p.network_cidr}</td>
                <td style={{ overflow: 'visible' }}>{p.state ? <StateBar u={p.state} threshold={p.utilization_alert_threshold} /> : null}</td>
              </tr>
            ))}
          </ListShell>
        </section>
        <section aria-labelledby="recent-title">
          <h3 id="recent-title" style={{ margin: '0 0 8px', fontSize: 15 }}>
            Recent assignments
          </h3>
          <ListShell columns={[{ key: 'ip', label: 'Address' }, { key: 'sub', label: 'Subscriber' }, { key: 'pool', label: 'Pool' }, { key: 'at', label: 'Assigned (UTC)', width: 140 }]} rowCount={recent ? recent.length : null} testId="recent-assignments" empty={<EmptyState canWrite={false} message="Nothing assigned yet." />}>
            {(recent ?? []).map((r) => (
              <tr key={r.id}>
                <td className="ipk-mono">{addressText(r)}</td>
                <td>{r.subscriber_id}</td>
                <td>
                  <a href={poolPage(r.pool_id)}>{nameOf.get(r.pool_id) ?? `#${r.pool_id}`}</a>
                </td>
                <td>{when(r.assigned_at)}</td>
              </tr>
            ))}
          </ListShell>
        </section>
      </div>
    </div>
  );
};

export default PoolsDashboard;
