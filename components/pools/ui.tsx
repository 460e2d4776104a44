import React, { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../shared/api';
import { Drawer, Notice } from '../shared/drawer';
import { SuperuserBanner, type Role } from '../shared/role';
import { PAGE } from './model';
import { card } from '../shared/form-styles';

/** A failed call's message on a pools page (nothing when there is none). */
export const Alert: React.FC<{ message: string | null; testId?: string; style?: React.CSSProperties }> = ({ message, testId, style }) =>
  message ? (
    <div className="ipk-warn" role="alert" data-testid={testId} style={style}>
      {message}
    </div>
  ) : null;

/** A white panel of a pools page, named for screen readers by its heading. */
export const Card: React.FC<{ title?: string; label?: string; testId?: string; style?: React.CSSProperties; aside?: React.ReactNode; children?: React.ReactNode }> = ({ title, label, testId, style, aside, children }) => (
  <section style={{ ...card, padding: 16, ...style }} aria-label={label ?? title} data-testid={testId}>
    {title || aside ? (
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 12, marginBottom: 12 }}>
        {title ? <h3 style={{ margin: 0, fontSize: 15 }}>{title}</h3> : <span />}
        {aside}
      </div>
    ) : null}
    {children}
  </section>
);

/**
 * A drawer that asks before one lifecycle step (release, terminate): one request while its button
 * is disabled, the server's refusal shown in place, `onDone` with the message once it succeeded.
 */
export const ActionDrawer: React.FC<{ title: string; subtitle: string; testId: string; confirmLabel: string; run: () => Promise<unknown>; doneMessage: string; onClose: () => void; onDone: (m: string) => void; children?: React.ReactNode }> = ({ title, subtitle, testId, confirmLabel, run, doneMessage, onClose, onDone, children }) => {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = (): void => {
    setBusy(true);
    setError(null);
    run()
      .then(() => onDone(doneMessage))
      .catch((e: Error) => (setError(e.message), setBusy(false)));
  };
  return (
    <Drawer
      open
      title={title}
      subtitle={subtitle}
      onClose={onClose}
      testId={testId}
      footer={
        <>
          <button type="button" className="ipk-btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="ipk-btn ipk-btn-danger" disabled={busy} onClick={confirm} data-testid={`${testId.replace(/-drawer$/, '')}-confirm`}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <Alert message={error} />
      {children}
    </Drawer>
  );
};

/** The options of a pool picker: "name (network)". */
export const PoolOptions: React.FC<{ pools: { id: number; pool_name: string; network_cidr: string }[] }> = ({ pools }) => (
  <>
    {pools.map((p) => (
      <option key={p.id} value={p.id}>
        {p.pool_name} ({p.network_cidr})
      </option>
    ))}
  </>
);

/**
 * Runs a page's `load` (a useCallback) on mount and whenever it changes; `reload` runs it again
 * (after a write). A failure becomes `error`, cleared by the next load that succeeds.
 */
export function useLoader(load: () => Promise<void>): { reload: () => Promise<void>; error: string | null } {
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      await load();
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [load]);
  useEffect(() => void reload(), [reload]);
  return { reload, error };
}

/** The top of a pools page: the way back to the list, the title and its buttons, then who is signed in, the last notice and the last error. */
export const PageHead: React.FC<{ title: React.ReactNode; back?: boolean; actions?: React.ReactNode; role: Role; notice?: string | null; error: string | null }> = ({ title, back = true, actions, role, notice = null, error }) => (
  <>
    {back ? <a href={PAGE}>← IP pools</a> : null}
    <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 12, margin: back ? '8px 0 16px' : '0 0 16px' }}>
      <h2 style={{ margin: 0, fontSize: 22, fontWeight: 600 }}>{title}</h2>
      {actions ? <span style={{ display: 'inline-flex', gap: 8 }}>{actions}</span> : null}
    </div>
    <SuperuserBanner role={role} />
    <Notice message={notice} />
    <Alert message={error} />
  </>
);

/**
 * What the operator can do about a refused allocation, after the server's reason (which says
 * what is wrong but not where to fix it on the page). Empty when the message says enough.
 */
export function whatNext(err: unknown, poolName: string): string {
  if (!(err instanceof ApiError) || err.status !== 409) return '';
  if (/hands out no addresses/i.test(err.message)) return ` Set pool ${poolName} active with Edit pool first.`;
  if (/automatic assignment turned off/i.test(err.message)) return ` Turn auto-assign on with Edit pool, or type an address.`;
  if (/has (only \d+|no) free/i.test(err.message)) return ' Ask for fewer, release addresses no longer needed, or widen the pool.';
  return '';
}
