import React, { useCallback, useEffect, useState } from 'react';
import { Address } from '../shared/address';
import { Chip } from '../shared/chip';
import { RecordDeleteDrawer, RowActionsCell } from '../shared/confirm-delete';
import { Notice, useDrawerPage } from '../shared/drawer';
import { EmptyState, ListShell, sortRows } from '../shared/list-shell';
import { SuperuserBanner, useRole, whoCanAdd } from '../shared/role';
import { useIpkStyles } from '../shared/styles';
import { formatCount } from '../ranges/format';
import { CONFLICTS_PAGE, DASHBOARD_PAGE, loadPools, paths, POOL_STATUSES, POOL_TYPES, poolPage, statusOf, STATUS_COLORS, TYPE_LABELS, type Pool } from './model';
import { PoolFormDrawer } from './pool-form';
import { StateBar, StateLegend } from './state-bar';
import { useUrlParams } from './url-params';
import { Alert } from './ui';

type Mode = { kind: 'add' } | { kind: 'edit'; pool: Pool } | { kind: 'delete'; pool: Pool };

const KEYS = ['q', 'type', 'status', 'sort'] as const;

const matches = (p: Pool, needle: string): boolean => p.pool_name.toLowerCase().includes(needle) || p.network_cidr.includes(needle) || (p.description ?? '').toLowerCase().includes(needle) || String(p.vlan_id ?? '') === needle;

/** Every pool with its utilization by state; search, type and status live in the URL. */
export const PoolsList: React.FC = () => {
  useIpkStyles();
  const { role, canWrite } = useRole();
  const [pools, setPools] = useState<Pool[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [params, setParams] = useUrlParams(KEYS);
  // The box follows the typing; the URL follows after a pause (one history entry per search, not per key).
  const [typed, setTyped] = useState(params.q);
  useEffect(() => setTyped(params.q), [params.q]);
  useEffect(() => {
    if (typed === params.q) return undefined;
    const t = setTimeout(() => setParams({ q: typed }), 250);
    return () => clearTimeout(t);
  }, [typed, params.q, setParams]);
  const reload = useCallback(
    () =>
      loadPools()
        .then((rows) => (setPools(rows), setError(null)))
        .catch((e: Error) => setError(e.message)),
    [],
  );
  const { mode, setMode, notice, done } = useDrawerPage<Mode>(reload);
  useEffect(() => void reload(), [reload]);
  const needle = params.q.trim().toLowerCase();
  const [sortKey, sortDir] = (params.sort || 'pool_name:asc').split(':') as [string, 'asc' | 'desc'];
  const shown = sortRows(
    (pools ?? []).filter((p) => (!needle || matches(p, needle)) && (!params.type || p.pool_type === params.type) && (!params.status || statusOf(p) === params.status)),
    { key: sortKey, dir: sortDir === 'desc' ? 'desc' : 'asc' },
    (p, key) => (key === 'utilization' ? (p.state?.utilization_percent ?? 0) : key === 'pool_name' ? p.pool_name : key === 'vlan_id' ? p.vlan_id : null),
  );
  const filtered = !!(needle || params.type || params.status);
  const addButton = (testId: string): React.ReactNode => (
    <button type="button" className="ipk-btn ipk-btn-primary" onClick={() => setMode({ kind: 'add' })} data-testid={testId}>
      + New pool
    </button>
  );
  return (
    <div style={{ padding: 24 }} data-testid="pools-page">
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 16, gap: 12 }}>
        <h2 style={{ margin: 0, fontSize: 22, fontWeight: 600 }}>IP pools</h2>
        <span style={{ display: 'inline-flex', gap: 8 }}>
          <a className="ipk-btn" href={DASHBOARD_PAGE}>
            Dashboard
          </a>
          <a className="ipk-btn" href={CONFLICTS_PAGE}>
            Conflict checker
          </a>
          {canWrite ? addButton('add-pool') : null}
        </span>
      </div>
      <SuperuserBanner role={role} />
      <Notice message={notice} />
      <Alert message={error} testId="pools-error" />
      <ListShell
        search={{ value: typed, onChange: setTyped, placeholder: 'Pool name, network or VLAN', label: 'Search pools', testId: 'pool-search' }}
        filters={
          <>
            <select className="ipk-select" aria-label="Pool type" value={params.type} onChange={(e) => setParams({ type: e.target.value })} data-testid="type-filter">
              <option value="">All types</option>
              {POOL_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t]}
                </option>
              ))}
            </select>
            <select className="ipk-select" aria-label="Pool status" value={params.status} onChange={(e) => setParams({ status: e.target.value })} data-testid="status-filter">
              <option value="">All statuses</option>
              {POOL_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.toLowerCase()}
                </option>
              ))}
            </select>
            <span style={{ marginLeft: 'auto' }}>
              <StateLegend />
            </span>
          </>
        }
        columns={[
          { key: 'pool_name', label: 'Name', sortable: true },
          { key: 'pool_type', label: 'Type', width: 170 },
          { key: 'network_cidr', label: 'Network', minWidth: 130 },
          { key: 'vlan_id', label: 'VLAN', width: 70, sortable: true },
          { key: 'utilization', label: 'Utilization', width: 220, sortable: true },
          { key: 'status', label: 'Status', width: 110 },
          ...(canWrite ? [{ key: 'actions', label: 'Actions', width: 130 }] : []),
        ]}
        sort={{ key: sortKey, dir: sortDir === 'desc' ? 'desc' : 'asc' }}
        onSort={(s) => setParams({ sort: `${s.key}:${s.dir}` })}
        rowCount={pools ? shown.length : null}
        testId="pools-table"
        empty={
          filtered ? (
            <EmptyState canWrite={false} message="No pools match." />
          ) : (
            <EmptyState canWrite={canWrite} message="No pools yet. A pool is a network with allocation settings: addresses are reserved and assigned from it." actions={addButton('empty-add-pool')} readerHint={whoCanAdd(role, 'pools')} />
          )
        }
      >
        {shown.map((p) => (
          <tr key={p.id} data-testid={`pool-row-${p.pool_name}`}>
            <td title={p.description ?? p.pool_name}>
              <a href={poolPage(p.id)} style={{ fontWeight: 500 }}>
                {p.pool_name}
              </a>
            </td>
            <td>{TYPE_LABELS[p.pool_type] ?? p.pool_type}</td>
            <td className="ipk-mono ipk-addr">
              <Address ip={p.network_cidr} />
            </td>
            <td className="ipk-num">{p.vlan_id ?? <span className="ipk-muted">—</span>}</td>
            <td style={{ overflow: 'visible' }}>{p.state ? <StateBar u={p.state} threshold={p.utilization_alert_threshold} testId="state-bar" /> : null}</td>
            <td>
              <Chip label={statusOf(p).toLowerCase()} color={STATUS_COLORS[statusOf(p)]} testId="pool-status" />
            </td>
            <RowActionsCell canWrite={canWrite} name={p.pool_name} onEdit={() => setMode({ kind: 'edit', pool: p })} onDelete={() => setMode({ kind: 'delete', pool: p })} />
          </tr>
        ))}
      </ListShell>
      {mode?.kind === 'add' ? <PoolFormDrawer pool={null} onClose={() => setMode(null)} onDone={done} /> : null}
      {mode?.kind === 'edit' ? <PoolFormDrawer pool={mode.pool} onClose={() => setMode(null)} onDone={done} /> : null}
      {mode?.kind === 'delete' ? (
        <RecordDeleteDrawer
          title="Delete pool"
          subtitle="Its reservations' history goes with it; the network stays a range."
          testId="pool-delete-drawer"
          path={paths.pool(mode.pool.id)}
          doneMessage={`Pool ${mode.pool.pool_name} deleted.`}
          onClose={() => setMode(null)}
          onDone={done}
          summary={[
            ['Name', mode.pool.pool_name],
            ['Network', <code key="n">{mode.pool.network_cidr}</code>],
            ['Held', mode.pool.state ? `${formatCount(mode.pool.state.assigned)} assigned, ${formatCount(mode.pool.state.reserved)} reserved` : null],
          ]}
          confirmText={mode.pool.pool_name}
          riskReason="Deleting a pool cannot be undone."
        />
      ) : null}
    </div>
  );
};
