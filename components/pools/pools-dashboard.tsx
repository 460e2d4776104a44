import React, { useEffect, useState } from 'react';
import { api } from '../shared/api';
import { card } from '../shared/form-styles';
import { EmptyState, ListShell } from '../shared/list-shell';
import { useIpkStyles } from '../shared/styles';
import { UtilizationBar } from '../shared/utilization-bar';
import { formatCount } from '../ranges/format';
import { PoolBarsChart, StateDonut } from './charts';
import { CONFLICTS_PAGE, loadPools, PAGE, parseUtc, paths, poolPage, when, type Pool, type PoolBrief, type Stats, type StatsTotals, type Utilization } from './model';
import { addressText } from './reservations';
import { StateLegend } from './state-bar';
import { Alert } from './ui';

/** What a depletion warning says: full, over the threshold, and/or when it runs out at the last 30 days' rate. */
function warningText(w: PoolBrief): string {
  const days = w.projected_depletion_date ? Math.max(0, Math.round((parseUtc(w.projected_depletion_date) - Date.now()) / 86_400_000)) : null;
  const when30 = days !== null ? `runs out in about ${days} day${days === 1 ? '' : 's'} (${when(w.projected_depletion_date).slice(0, 10)})` : null;
  const state = w.alert_state === 'depleted' ? 'depleted: no address left' : w.alert_state === 'alert' ? `${w.utilization_percent}% used, over its alert threshold` : null;
  return [state, w.alert_state === 'depleted' ? null : when30].filter(Boolean).join('; ');
}

const asUtilization = (t: StatsTotals): Utilization => t;

const cardStyle: React.CSSProperties = { ...card, boxSizing: 'border-box', padding: '14px 18px', marginBottom: 0, flex: '1 1 140px', minWidth: 140 };

/** Pools dashboard (GET /stats, and each pool by state for the chart): totals, utilization by pool and by family, depletion warnings, top utilized, recent assignments. */
const PoolsDashboard: React.FC = () => {
  useIpkStyles();
  const [stats, setStats] = useState<Stats | null>(null);
  const [pools, setPools] = useState<Pool[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<Stats>(paths.stats)
      .then(setStats)
      .catch((e: Error) => setError(e.message));
    loadPools()
      .then(setPools)
      .catch((e: Error) => setError(e.message));
  }, []);
  const ranked = [...(pools ?? [])].filter((p) => p.state).sort((a, b) => (b.state?.utilization_percent ?? 0) - (a.state?.utilization_percent ?? 0));
  const t = stats?.totals;
  const pd = stats?.prefix_delegation;
  const cards: [string, string, string][] = t && pd
    ? [
        ['pools', 'Pools', String(t.pools + pd.pools)],
        ['total', 'Addresses', formatCount(t.total)],
        ['assigned', 'Assigned', formatCount(t.assigned)],
        ['reserved', 'Reserved', formatCount(t.reserved)],
        ['available', 'Available', formatCount(t.available)],
        ['prefixes', 'Delegated prefixes', `${formatCount(String(BigInt(String(pd.assigned)) + BigInt(String(pd.reserved))))} of ${formatCount(pd.total)}`],
      ]
    : [];
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
            <div style={{ fontSize: 24, fontWeight: 600, marginTop: 4, fontVariantNumeric: 'tabular-nums' }}>{value}</div>
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
          <div className="ipk-hint">The dashed tick is each pool&apos;s alert threshold. Each bar opens its pool.</div>
        </section>
        <section style={{ ...card, padding: 16, marginBottom: 0 }} aria-labelledby="family-title" data-testid="family-breakdown">
          <h3 id="family-title" style={{ margin: '0 0 12px', fontSize: 15 }}>
            IPv4 vs IPv6
          </h3>
          {stats ? (
            <div style={{ display: 'grid', gap: 14 }}>
              <StateDonut title={`IPv4 · ${stats.ipv4.pools} pool${stats.ipv4.pools === 1 ? '' : 's'}`} u={asUtilization(stats.ipv4)} testId="family-v4" />
              <StateDonut title={`IPv6 · ${stats.ipv6.pools} pool${stats.ipv6.pools === 1 ? '' : 's'}`} u={asUtilization(stats.ipv6)} testId="family-v6" />
              <StateDonut title={`IPv6 prefix delegation · ${stats.prefix_delegation.pools} pool${stats.prefix_delegation.pools === 1 ? '' : 's'}`} u={asUtilization(stats.prefix_delegation)} testId="family-pd" />
            </div>
          ) : null}
        </section>
      </div>
      <section style={{ ...card, padding: 16 }} aria-labelledby="warn-title" data-testid="depletion-warnings">
        <h3 id="warn-title" style={{ margin: '0 0 10px', fontSize: 15 }}>
          Depletion warnings
        </h3>
        {stats && stats.depletion_warnings.length === 0 ? <div className="ipk-muted">No pool is over its threshold or running out within 30 days.</div> : null}
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {(stats?.depletion_warnings ?? []).map((w) => (
            <li key={w.pool_id} style={{ marginBottom: 4, color: '#92400e' }} data-testid={`warning-${w.pool_name}`}>
              <a href={poolPage(w.pool_id)} style={{ fontWeight: 600 }}>
                {w.pool_name}
              </a>{' '}
              <span className="ipk-mono">{w.network_cidr}</span>: {warningText(w)}
            </li>
          ))}
        </ul>
      </section>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16 }}>
        <section aria-labelledby="top-title">
          <h3 id="top-title" style={{ margin: '0 0 8px', fontSize: 15 }}>
            Top utilized
          </h3>
          <ListShell columns={[{ key: 'pool', label: 'Pool' }, { key: 'network', label: 'Network' }, { key: 'u', label: 'Utilization', width: 190 }]} rowCount={stats ? Math.min(stats.top_utilized.length, 5) : null} testId="top-utilized" empty={<EmptyState canWrite={false} message="No pools yet." />}>
            {(stats?.top_utilized ?? []).slice(0, 5).map((p) => (
              <tr key={p.pool_id}>
                <td>
                  <a href={poolPage(p.pool_id)}>{p.pool_name}</a>
                </td>
                <td className="ipk-mono">{p.network_cidr}</td>
                <td style={{ overflow: 'visible' }}>
                  <UtilizationBar percent={p.utilization_percent} />
                </td>
              </tr>
            ))}
          </ListShell>
        </section>
        <section aria-labelledby="recent-title">
          <h3 id="recent-title" style={{ margin: '0 0 8px', fontSize: 15 }}>
            Recent assignments
          </h3>
          <ListShell columns={[{ key: 'ip', label: 'Address' }, { key: 'sub', label: 'Subscriber' }, { key: 'pool', label: 'Pool' }, { key: 'at', label: 'When (UTC)', width: 140 }]} rowCount={stats ? stats.recent_assignments.length : null} testId="recent-assignments" empty={<EmptyState canWrite={false} message="Nothing assigned yet." />}>
            {(stats?.recent_assignments ?? []).map((r) => (
              <tr key={r.id}>
                <td className="ipk-mono">{addressText(r)}</td>
                <td>{r.subscriber_id}</td>
                <td>
                  <a href={poolPage(r.pool_id)}>{r.pool_name}</a>
                </td>
                <td>{when(r.assigned_at ?? r.reserved_at)}</td>
              </tr>
            ))}
          </ListShell>
        </section>
      </div>
    </div>
  );
};

export default PoolsDashboard;
