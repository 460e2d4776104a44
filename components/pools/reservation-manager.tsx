import React, { useEffect, useRef, useState } from 'react';
import { api, ApiError, formErrors } from '../shared/api';
import { Field } from '../shared/drawer';
import { card } from '../shared/form-styles';
import { addressText } from './reservations';
import { PoolOptions, whatNext } from './ui';
import { ipTypeOf, paths, writes, type Conflict, type Pool, type Reservation } from './model';

/** The API's answer to a conflict check: the list, bare or under `conflicts`. */
function conflictsOf(answer: unknown): Conflict[] {
  if (Array.isArray(answer)) return answer as Conflict[];
  const list = (answer as { conflicts?: unknown } | null)?.conflicts;
  return Array.isArray(list) ? (list as Conflict[]) : [];
}

export const conflictText = (c: Conflict): string => c.message || c.conflict_type;

/** What a conflict check says about one address, while the operator types it (null: not checked yet). */
export function useConflictCheck(address: string, poolId: number | null): { conflicts: Conflict[] | null; checking: boolean; error: string | null } {
  const [state, setState] = useState<{ conflicts: Conflict[] | null; checking: boolean; error: string | null }>({ conflicts: null, checking: false, error: null });
  useEffect(() => {
    const ip = address.trim();
    if (!ip) {
      setState({ conflicts: null, checking: false, error: null });
      return undefined;
    }
    let live = true;
    setState((s) => ({ ...s, checking: true }));
    // A pause after the last key, so a check runs per address typed, not per character.
    const t = setTimeout(() => {
      api
        .post<unknown>(paths.checkConflicts, poolId === null ? { ip_address: ip } : { ip_address: ip, pool_id: poolId })
        .then((a) => live && setState({ conflicts: conflictsOf(a), checking: false, error: null }))
        .catch((e: Error) => live && setState({ conflicts: null, checking: false, error: e instanceof ApiError && Object.keys(e.fields).length ? Object.values(e.fields).join('; ') : e.message }));
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [address, poolId]);
  return state;
}

/** The live result under an address field: checking…, free, or each conflict with its holder. */
export const ConflictResult: React.FC<{ address: string; result: ReturnType<typeof useConflictCheck> }> = ({ address, result }) => {
  if (!address.trim()) return null;
  if (result.checking) return <div className="ipk-hint" data-testid="conflict-checking">Checking {address.trim()}…</div>;
  if (result.error)
    return (
      <div className="ipk-err" role="alert" data-testid="conflict-error">
        {result.error}
      </div>
    );
  if (!result.conflicts) return null;
  if (result.conflicts.length === 0)
    return (
      <div role="status" data-testid="conflict-none" style={{ color: '#166534', fontSize: 12, marginTop: 4 }}>
        ✓ No conflict: {address.trim()} is free to reserve.
      </div>
    );
  return (
    <ul role="alert" data-testid="conflict-list" style={{ margin: '6px 0 0', paddingLeft: 18, color: '#991b1b', fontSize: 12 }}>
      {result.conflicts.map((c, i) => (
        <li key={i} data-conflict-type={c.conflict_type}>
          <strong>{c.conflict_type.replace(/_/g, ' ').toLowerCase()}</strong>
          {` (${c.severity.toLowerCase()}${c.forceable ? ', can be forced' : ''})`}: {conflictText(c)}
        </li>
      ))}
    </ul>
  );
};

export type ReservationManagerProps = {
  /** The pools to hand out from: one on a pool's page, every active one on a subscriber's. */
  pools: Pool[];
  /** Fixed on a subscriber's page; typed on a pool's. */
  subscriber?: string;
  onDone: (message: string, r?: Reservation) => void;
  /** An address picked elsewhere on the page (the free-address list): put in the manual field, focused. `n` changes per pick. */
  pick?: { address: string; n: number } | null;
};

/**
 * Hands out an address of a pool to a subscriber: the next free one (auto-assign), or one the
 * operator types, checked for conflicts as it is typed; over a conflict only with force and a reason.
 */
export const ReservationManager: React.FC<ReservationManagerProps> = ({ pools, subscriber: fixedSubscriber, onDone, pick }) => {
  const [poolId, setPoolId] = useState<number | null>(pools[0]?.id ?? null);
  useEffect(() => {
    if (poolId === null || !pools.some((p) => p.id === poolId)) setPoolId(pools[0]?.id ?? null);
  }, [pools, poolId]);
  const pool = pools.find((p) => p.id === poolId) ?? pools[0];
  const [typedSubscriber, setSubscriber] = useState('');
  const subscriber = fixedSubscriber ?? typedSubscriber;
  const [address, setAddress] = useState('');
  const [expires, setExpires] = useState('');
  const [force, setForce] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const check = useConflictCheck(address, pool?.id ?? null);
  const addressInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!pick) return;
    setAddress(pick.address);
    addressInput.current?.focus();
    addressInput.current?.scrollIntoView({ block: 'center' });
  }, [pick]);
  if (!pool) return null;
  const ipType = ipTypeOf(pool.pool_type);
  const conflicted = (check.conflicts?.length ?? 0) > 0;
  // A holder, the gateway or an address outside the pool can never be forced (the server refuses too).
  const forceable = conflicted && check.conflicts!.every((c) => c.forceable);
  // A prefix-delegation pool hands out prefixes of its own delegation length: nothing to choose.
  const common = (): { expires_at?: string } => (expires ? { expires_at: new Date(`${expires}Z`).toISOString() } : {});
  const run = async (request: () => Promise<Reservation>, what: string): Promise<void> => {
    setBusy(true);
    setErrors({});
    try {
      const r = await request();
      setAddress('');
      setForce(false);
      setReason('');
      onDone(`${addressText(r)} ${what} for ${r.subscriber_id}.`, r);
    } catch (err) {
      const e = formErrors(err, address.trim() ? 'ip_address' : '_');
      if (e._) e._ += whatNext(err, pool.pool_name);
      setErrors(e);
    } finally {
      setBusy(false);
    }
  };
  const noSubscriber = !subscriber.trim();
  // A delegation pool hands out prefixes: its form says so, not "address".
  const unit = ipType === 'ipv6_prefix' ? 'prefix' : 'address';
  return (
    <section style={{ ...card, padding: 16 }} aria-labelledby="manager-title" data-testid="reservation-manager">
      <h3 id="manager-title" style={{ margin: '0 0 12px', fontSize: 15 }}>
        Assign {unit === 'prefix' ? 'a prefix' : 'an address'}
      </h3>
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(160px, 1fr) minmax(160px, 1fr) 180px', gap: 12, alignItems: 'start' }}>
        {fixedSubscriber === undefined ? (
          <Field label="Subscriber id" error={errors.subscriber_id} htmlFor="res-subscriber">
            <input id="res-subscriber" className="ipk-input" value={subscriber} onChange={(e) => setSubscriber(e.target.value)} placeholder="e.g. sub-1042" />
          </Field>
        ) : (
          <Field label="Pool" error={errors.pool_id} htmlFor="res-pool">
            <select id="res-pool" className="ipk-select" value={pool.id} onChange={(e) => setPoolId(Number(e.target.value))} data-testid="res-pool">
              <PoolOptions pools={pools} />
            </select>
          </Field>
        )}
        {ipType === 'ipv6_prefix' ? (
          <Field label="Delegated prefix" error={errors.prefix_length} htmlFor="res-prefix">
            <input id="res-prefix" className="ipk-input" readOnly value={`/${pool.delegation_prefix_length ?? 64} from ${pool.network_cidr}`} />
          </Field>
        ) : (
          <Field label="Address type" htmlFor="res-type">
            <input id="res-type" className="ipk-input" readOnly value={ipType} />
          </Field>
        )}
        <Field label="Expires (UTC, optional)" error={errors.expires_at} htmlFor="res-expires">
          <input id="res-expires" type="datetime-local" className="ipk-input" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </Field>
      </div>
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 14 }}>
        <button
          type="button"
          className="ipk-btn ipk-btn-primary"
          disabled={busy || noSubscriber || !pool.auto_assign_enabled}
          onClick={() => void run(() => writes.assignIp(subscriber.trim(), { pool_id: pool.id, ip_type: ipType, ...common() }), 'assigned')}
          data-testid="auto-assign"
        >
          Auto-assign next free
        </button>
        {!pool.auto_assign_enabled ? <span className="ipk-hint">Auto-assign is off for this pool.</span> : null}
      </div>
      {pool.allow_manual_reservation ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => writes.assignIp(subscriber.trim(), { pool_id: pool.id, ip_address: address.trim(), ip_type: ipType, ...common(), ...(force ? { force: true, reason: reason.trim() } : {}) }), 'assigned');
          }}
          noValidate
        >
          <Field label={`Or a chosen ${unit}`} error={errors.ip_address} htmlFor="res-address">
            <input ref={addressInput} id="res-address" className="ipk-input" style={{ fontFamily: 'ui-monospace, monospace' }} value={address} onChange={(e) => setAddress(e.target.value)} placeholder={pool.network_cidr} autoComplete="off" data-testid="manual-address" />
            <ConflictResult address={address} result={check} />
          </Field>
          {conflicted && forceable ? (
            <div className="ipk-warn" data-testid="force-box">
              <label className="ipk-check" style={{ marginBottom: 6 }}>
                <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} data-testid="force" />
                <span>Reserve it anyway (force). The reason is kept in the audit log.</span>
              </label>
              {force ? <input className="ipk-input" aria-label="Reason for forcing" placeholder="Why this address despite the conflict" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="force-reason" /> : null}
              {errors.reason ? <div className="ipk-err">{errors.reason}</div> : null}
            </div>
          ) : null}
          <button type="submit" className="ipk-btn" disabled={busy || noSubscriber || !address.trim() || check.checking || (conflicted && (!forceable || !force || !reason.trim()))} data-testid="manual-reserve">
            Assign this {unit}
          </button>
        </form>
      ) : (
        <div className="ipk-hint">Manual reservations are off for this pool.</div>
      )}
      {errors._ ? (
        <div className="ipk-err" role="alert" data-testid="manager-error">
          {errors._}
        </div>
      ) : null}
    </section>
  );
};
