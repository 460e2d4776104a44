import React, { useCallback, useEffect, useState } from 'react';
import { api } from '../shared/api';
import { formatExact } from '../../src/domain/counts';
import { paths, type AvailablePage } from './model';
import { Alert, Card } from './ui';

const PAGE_SIZE = 12;

/**
 * One page of a pool's free addresses (or delegated prefixes), in address order. The server finds
 * each page with the key-space module, so paging through a /8 or a /48 costs what a /29 does; the
 * offset is a BigInt because an IPv6 pool has more free addresses than a Number holds.
 * `onPick` (editors) hands an address to the reservation manager.
 */
export const AvailableIps: React.FC<{ poolId: number; refresh: number; prefixes?: boolean; onPick?: (address: string) => void }> = ({ poolId, refresh, prefixes = false, onPick }) => {
  const what = prefixes ? 'prefixes' : 'addresses';
  const [offset, setOffset] = useState(0n);
  const [page, setPage] = useState<AvailablePage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setPage(await api.get<AvailablePage>(paths.available(poolId, PAGE_SIZE, offset.toString())));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [poolId, offset]);
  // A write elsewhere on the page changes what is free: the parent bumps `refresh` to reload it.
  useEffect(() => void load(), [load, refresh]);
  const total = page ? BigInt(String(page.available)) : 0n;
  const shown = BigInt(page?.items.length ?? 0);
  const first = total === 0n ? 0n : offset + 1n;
  const last = offset + shown;
  const lastPage = total === 0n ? 0n : ((total - 1n) / BigInt(PAGE_SIZE)) * BigInt(PAGE_SIZE);
  const go = (to: bigint): void => setOffset(to < 0n ? 0n : to);
  const wide = (page?.items ?? []).some((ip) => ip.includes(':'));
  return (
    <Card
      title={`Free ${what}`}
      testId="available-ips"
      aside={
        page ? (
          <span className="ipk-hint" style={{ margin: 0 }} data-testid="available-range" aria-live="polite">
            {total === 0n ? 'None free' : `${formatExact(first.toString())}–${formatExact(last.toString())} of ${formatExact(total.toString())} free`}
          </span>
        ) : null
      }
    >
      <Alert message={error} />
      {page && page.items.length === 0 ? <div className="ipk-muted">No free {prefixes ? 'prefix' : 'address'}: release one, or widen the pool.</div> : null}
      {/* IPv6 entries ("2001:db8:100:200::/56") need wider columns: at 150 px the text was cut and "Use" spilled out of its button. */}
      <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gridTemplateColumns: `repeat(auto-fill, minmax(${wide ? 230 : 150}px, 1fr))`, gap: 6 }} data-testid="available-list">
        {(page?.items ?? []).map((ip) => (
          <li key={ip} data-testid={`free-${ip}`}>
            {onPick ? (
              <button type="button" className="ipk-btn ipk-btn-sm ipk-mono" style={{ width: '100%', justifyContent: 'space-between' }} onClick={() => onPick(ip)} aria-label={`Use ${ip} in the manual ${prefixes ? 'prefix' : 'address'}`} title={`Use this ${prefixes ? 'prefix' : 'address'} in the form above`}>
                <span>{ip}</span>
                <span aria-hidden="true" style={{ color: '#2563eb' }}>
                  Use
                </span>
              </button>
            ) : (
              <code className="ipk-mono">{ip}</code>
            )}
          </li>
        ))}
      </ul>
      <nav aria-label={`Free ${what} pages`} style={{ display: 'flex', gap: 6, marginTop: 10 }}>
        <button type="button" className="ipk-btn ipk-btn-sm" disabled={offset === 0n} onClick={() => go(0n)} data-testid="available-first">
          First
        </button>
        <button type="button" className="ipk-btn ipk-btn-sm" disabled={offset === 0n} onClick={() => go(offset - BigInt(PAGE_SIZE))} data-testid="available-prev">
          Previous
        </button>
        <button type="button" className="ipk-btn ipk-btn-sm" disabled={last >= total} onClick={() => go(offset + BigInt(PAGE_SIZE))} data-testid="available-next">
          Next
        </button>
        <button type="button" className="ipk-btn ipk-btn-sm" disabled={last >= total} onClick={() => go(lastPage)} data-testid="available-last">
          Last
        </button>
      </nav>
    </Card>
  );
};
