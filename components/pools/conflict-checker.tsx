import React, { useCallback, useEffect, useState } from 'react';
import { api, formErrors } from '../shared/api';
import { Chip } from '../shared/chip';
import { Field } from '../shared/drawer';
import { card } from '../shared/form-styles';
import { EmptyState, ListShell } from '../shared/list-shell';
import { useRole } from '../shared/role';
import { useIpkStyles } from '../shared/styles';
import { ipTypeOf, paths, poolPage, rowsOf, writes, type Conflict, type Pool } from './model';
import { ConflictResult, conflictText, useConflictCheck } from './reservation-manager';
import { useUrlParams } from './url-params';
import { PageHead, PoolOptions } from './ui';

const SEVERITY_COLORS: Record<string, string> = { CRITICAL: '#fecaca', HIGH: '#fed7aa', MEDIUM: '#fde68a', LOW: '#e2e8f0' };

/** What an operator can do about each kind of conflict. */
const SUGGESTIONS: Record<string, string> = {
  IP_ASSET_IN_USE: 'Pick another address (auto-assign finds the next free one), or archive the IP asset first.',
  RESERVATION_EXISTS: 'Pick another address, or release the current reservation first.',
  OUTSIDE_POOL: 'Choose the pool whose network contains the address.',
  GATEWAY_ADDRESS: 'The gateway is never handed out; pick another address.',
  RESERVED_ADDRESS: 'Network and broadcast addresses are never handed out; pick another address.',
  IN_OTHER_POOL: 'Reserve it from the pool that owns it, or force it here with a reason.',
  POOL_OVERLAP: 'Fix the overlapping pool networks, or force it with a reason.',
  LIVE_EVIDENCE: 'A discovery source saw it in use recently: find that device before reusing the address, or force it with a reason.',
};

const suggestion = (c: Conflict): string | null => SUGGESTIONS[c.conflict_type] ?? null;

const KEYS = ['ip', 'pool'] as const;

/** Conflict checker: one address checked live (with what to do about each conflict), a forced reservation, and every current conflict. */
const ConflictChecker: React.FC = () => {
  useIpkStyles();
  const { role, canWrite } = useRole();
  const [params, setParams] = useUrlParams(KEYS);
  const [address, setAddress] = useState(params.ip);
  const [pools, setPools] = useState<Pool[]>([]);
  const [current, setCurrent] = useState<Conflict[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const poolId = params.pool ? Number(params.pool) : null;
  const check = useConflictCheck(address, poolId);
  const reloadCurrent = useCallback(
    () =>
      api
        .get<unknown>(paths.conflicts)
        .then((a) => setCurrent(rowsOf<Conflict>(a, 'conflicts')))
        .catch((e: Error) => setError(e.message)),
    [],
  );
  useEffect(() => {
    api
      .get<unknown>(paths.pools())
      .then((a) => setPools(rowsOf<Pool>(a, 'pools')))
      .catch((e: Error) => setError(e.message));
    void reloadCurrent();
  }, [reloadCurrent]);
  // The URL keeps the address checked (a link to a check), once the typing pauses.
  useEffect(() => {
    if (address === params.ip) return undefined;
    const t = setTimeout(() => setParams({ ip: address.trim() }), 400);
    return () => clearTimeout(t);
  }, [address, params.ip, setParams]);
  const pool = pools.find((p) => p.id === poolId) ?? null;
  return (
    <div style={{ padding: 24 }} data-testid="conflicts-page">
      <PageHead title="IP conflict checker" role={role} notice={notice} error={error} />
      <section style={{ ...card, padding: 16 }} aria-label="Check an address">
        <div style={{ display: 'grid', gridTemplateColumns: 'minmax(220px, 1fr) minmax(200px, 1fr)', gap: 12 }}>
          <Field label="Address" htmlFor="check-ip" hint="Checked as you type: IP assets, reservations, pool bounds, gateways, other pools and recent discovery sightings.">
            <input id="check-ip" className="ipk-input" style={{ fontFamily: 'ui-monospace, monospace' }} value={address} onChange={(e) => setAddress(e.target.value)} placeholder="203.0.113.10" autoComplete="off" data-testid="check-address" />
          </Field>
          <Field label="In pool (optional)" htmlFor="check-pool">
            <select id="check-pool" className="ipk-select" value={params.pool} onChange={(e) => setParams({ pool: e.target.value })} data-testid="check-pool">
              <option value="">Any pool</option>
              <PoolOptions pools={pools} />
            </select>
          </Field>
        </div>
        <div data-testid="check-result">
          <ConflictResult address={address} result={check} />
          {(check.conflicts ?? []).map((c, i) =>
            suggestion(c) ? (
              <div key={i} className="ipk-hint" data-testid="suggestion">
                → {suggestion(c)}
              </div>
            ) : null,
          )}
        </div>
        {canWrite && pool && (check.conflicts?.length ?? 0) > 0 && check.conflicts!.every((c) => c.forceable) ? <ForceAssign pool={pool} address={address.trim()} onDone={(m) => (setNotice(m), void reloadCurrent())} /> : null}
      </section>
      <h3 style={{ margin: '8px 0', fontSize: 15 }}>Current conflicts</h3>
      <ListShell
        columns={[
          { key: 'ip_address', label: 'Address', width: 200 },
          { key: 'conflict_type', label: 'Conflict', width: 180 },
          { key: 'severity', label: 'Severity', width: 100 },
          { key: 'message', label: 'Detail' },
          { key: 'check', label: '', width: 90, title: 'Check' },
        ]}
        rowCount={current ? current.length : null}
        testId="current-conflicts"
        empty={<EmptyState canWrite={false} message="No conflicts: every held address is inside its pool and used by nothing else." />}
      >
        {(current ?? []).map((c, i) => (
          <tr key={i} data-testid="current-conflict">
            <td className="ipk-mono">{c.ip_address}</td>
            <td>{c.conflict_type.replace(/_/g, ' ').toLowerCase()}</td>
            <td>
              <Chip label={c.severity.toLowerCase()} color={SEVERITY_COLORS[c.severity]} />
            </td>
            <td className="ipk-wrap">{conflictText(c)}</td>
            <td>
              {c.ip_address ? (
                <button type="button" className="ipk-btn ipk-btn-sm" onClick={() => setAddress(String(c.ip_address))}>
                  Check
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </ListShell>
    </div>
  );
};

/** Reserving over a conflict: for editors, with a subscriber and the reason the audit log keeps. */
const ForceAssign: React.FC<{ pool: Pool; address: string; onDone: (m: string) => void }> = ({ pool, address, onDone }) => {
  const [subscriber, setSubscriber] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (): void => {
    setErrors({});
    writes
      .assignIp(subscriber.trim(), { pool_id: pool.id, ip_address: address, ip_type: ipTypeOf(pool.pool_type), force: true, reason: reason.trim() })
      .then((r) => onDone(`${r.ip_address} reserved for ${r.subscriber_id} despite the conflict (audited).`))
      .catch((e: unknown) => setErrors(formErrors(e, 'ip_address')));
  };
  return (
    <form
      className="ipk-warn"
      style={{ marginTop: 12 }}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      data-testid="force-assign"
    >
      <strong>Force assign</strong> {address} from <a href={poolPage(pool.id)}>{pool.pool_name}</a> despite the conflicts above. Two holders of one address break both; the reason is kept in the audit log.
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 2fr auto', gap: 8, marginTop: 8, alignItems: 'start' }}>
        <Field label="Subscriber id" error={errors.subscriber_id} htmlFor="force-subscriber">
          <input id="force-subscriber" className="ipk-input" value={subscriber} onChange={(e) => setSubscriber(e.target.value)} />
        </Field>
        <Field label="Reason" error={errors.reason ?? errors.ip_address ?? errors._} htmlFor="force-reason">
          <input id="force-reason" className="ipk-input" value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <button type="submit" className="ipk-btn ipk-btn-danger" style={{ marginTop: 20 }} disabled={!subscriber.trim() || !reason.trim()}>
          Force assign
        </button>
      </div>
    </form>
  );
};

export default ConflictChecker;
