import React, { useState } from 'react';
import { ApiError, formErrors } from '../shared/api';
import { Field } from '../shared/drawer';
import { writes, type Count, type Pool, type Reservation } from './model';
import { addressText } from './reservations';
import { Card, whatNext } from './ui';

const DEFAULT_COUNT = 5;

/** The count offered before anything is typed: 5, or fewer when fewer are free (at least 1). */
export function defaultCount(available: Count | null | undefined): string {
  const free = available === null || available === undefined ? NaN : Number(available);
  return String(Number.isFinite(free) ? Math.max(1, Math.min(DEFAULT_COUNT, free)) : DEFAULT_COUNT);
}

/**
 * N addresses (or delegated prefixes) of the pool for one subscriber in one request, all or nothing:
 * the server locks the pool and either hands out every one or none, and the result lists them.
 */
export const BatchAllocate: React.FC<{ pool: Pool; available?: Count | null; onDone: (message: string) => void }> = ({ pool, available, onDone }) => {
  const [subscriber, setSubscriber] = useState('');
  const [typed, setTyped] = useState<string | null>(null);
  // Until the user types, the count follows what is free (a /29 with 3 left offered 5, which the
  // all-or-nothing batch could only refuse); after a write the page's reload moves it down too.
  const count = typed ?? defaultCount(available);
  const setCount = (v: string): void => setTyped(v);
  const [order, setOrder] = useState<'' | 'lowest' | 'highest'>('');
  const [assign, setAssign] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Reservation[] | null>(null);
  const n = /^\d+$/.test(count.trim()) ? Number(count.trim()) : NaN;
  const unit = pool.pool_type === 'IPV6_PREFIX_DELEGATION' ? 'prefixes' : 'addresses';
  const submit = async (): Promise<void> => {
    setBusy(true);
    setErrors({});
    setResult(null);
    try {
      // A count that is not a number goes as typed, so the server's message names what is wrong.
      const answer = await writes.reserveBatch(pool.id, { subscriber_id: subscriber.trim(), count: Number.isNaN(n) ? (count as unknown as number) : n, assign, ...(order ? { order } : {}) });
      setResult(answer.reservations);
      onDone(`${answer.count} ${answer.count === 1 ? unit.replace(/es$/, '') : unit} ${assign ? 'assigned' : 'reserved'} for ${subscriber.trim()}: ${addressText(answer.reservations[0]!)}${answer.count > 1 ? ` … ${addressText(answer.reservations[answer.count - 1]!)}` : ''}.`);
    } catch (err) {
      const e = formErrors(err, 'count');
      if (e.count && !(err instanceof ApiError && err.status === 422)) e.count += whatNext(err, pool.pool_name);
      setErrors(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={`Batch: several ${unit} at once`} testId="batch-allocate">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        noValidate
      >
        <div style={{ display: 'grid', gridTemplateColumns: 'minmax(150px, 1.4fr) minmax(90px, 0.6fr) minmax(150px, 1fr)', gap: 12, alignItems: 'start' }}>
          <Field label="Subscriber id" error={errors.subscriber_id} htmlFor="batch-subscriber">
            <input id="batch-subscriber" className="ipk-input" value={subscriber} onChange={(e) => setSubscriber(e.target.value)} placeholder="e.g. business-77" />
          </Field>
          <Field label="How many" error={errors.count} htmlFor="batch-count">
            <input id="batch-count" className="ipk-input" inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} aria-invalid={errors.count ? true : undefined} />
          </Field>
          <Field label="Order" error={errors.order} htmlFor="batch-order">
            <select id="batch-order" className="ipk-select" value={order} onChange={(e) => setOrder(e.target.value as typeof order)}>
              <option value="">Default: {pool.allocation_order}</option>
              <option value="lowest">Lowest first</option>
              <option value="highest">Highest first</option>
            </select>
          </Field>
        </div>
        <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
          <label className="ipk-check" style={{ margin: 0 }}>
            <input type="checkbox" id="batch-assign" checked={assign} onChange={(e) => setAssign(e.target.checked)} />
            <span>Assign at once (else they stay reserved)</span>
          </label>
          <button type="submit" className="ipk-btn ipk-btn-primary" disabled={busy || !subscriber.trim() || !count.trim() || !pool.auto_assign_enabled} data-testid="batch-submit">
            {Number.isInteger(n) && n > 0 ? `Reserve ${n} ${n === 1 ? unit.replace(/es$/, '') : unit}` : `Reserve ${unit}`}
          </button>
          {!pool.auto_assign_enabled ? <span className="ipk-hint">Auto-assign is off for this pool: turn it on (Edit pool) to hand out batches.</span> : <span className="ipk-hint">All or nothing: if the pool has fewer free, none is taken.</span>}
        </div>
      </form>
      {errors._ ? (
        <div className="ipk-err" role="alert" data-testid="batch-error">
          {errors._}
        </div>
      ) : null}
      {result ? (
        <div style={{ marginTop: 12 }}>
          <div role="status" className="ipk-hint" data-testid="batch-summary">
            {result.length} {result.length === 1 ? unit.replace(/es$/, '') : unit} for {result[0]?.subscriber_id}:
          </div>
          <ul style={{ listStyle: 'none', display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: 4, margin: '6px 0 0', padding: 0 }} data-testid="batch-result">
            {result.map((r) => (
              <li key={r.id} className="ipk-mono" data-status={r.status}>
                {addressText(r)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
};
