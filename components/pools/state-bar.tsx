import React from 'react';
import { formatCount } from '../ranges/format';
import { STATE_COLORS, type Utilization } from './model';

/** Share of the total as a fraction 0..1, exact enough for drawing even when counts exceed 2^53. */
export function share(part: Utilization['total'], total: Utilization['total']): number {
  const t = BigInt(String(total));
  if (t <= 0n) return 0;
  return Number((BigInt(String(part)) * 1_000_000n) / t) / 1_000_000;
}

/** The text every bar and chart says about a pool's states (also its accessible name). */
export function stateText(u: Utilization): string {
  const other = String(u.in_use ?? 0) !== '0' ? `, ${formatCount(u.in_use!)} used otherwise` : '';
  return `${formatCount(u.assigned)} assigned, ${formatCount(u.reserved)} reserved${other}, ${formatCount(u.available)} available of ${formatCount(u.total)} (${u.utilization_percent}% used)`;
}

/** Where each used state's segment starts and how wide it is, on a bar `width` wide. */
export function segments(u: Utilization, width: number): { state: 'assigned' | 'reserved' | 'other'; x: number; w: number }[] {
  let x = 0;
  return (['assigned', 'reserved', 'other'] as const).map((state) => {
    const w = share(state === 'other' ? (u.in_use ?? 0) : u[state], u.total) * width;
    const seg = { state, x, w };
    x += w;
    return seg;
  });
}

/**
 * Utilization by state as one stacked SVG bar: assigned, then reserved, then available. The
 * percentage next to it turns amber over the pool's alert threshold and red at 100 %.
 */
export const StateBar: React.FC<{ u: Utilization; threshold?: number | null; width?: number; testId?: string }> = ({ u, threshold, width = 140, testId }) => {
  const p = u.utilization_percent;
  const over = p >= 100 ? '#b91c1c' : p >= (threshold ?? 80) ? '#b45309' : '#0f172a';
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8, whiteSpace: 'nowrap' }} title={stateText(u)} data-testid={testId}>
      <svg width={width} height={10} role="img" aria-label={stateText(u)} style={{ borderRadius: 5, overflow: 'hidden', display: 'block' }}>
        <rect x={0} y={0} width={width} height={10} fill={STATE_COLORS.available} />
        {segments(u, width).map((s) => (
          <rect key={s.state} x={s.x} y={0} width={s.w} height={10} fill={STATE_COLORS[s.state]} data-state={s.state} />
        ))}
      </svg>
      <span style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums', color: over, fontWeight: over === '#0f172a' ? 400 : 600 }}>{p.toFixed(p < 10 ? 2 : 1)}%</span>
    </span>
  );
};

const LEGEND = { assigned: 'assigned', reserved: 'reserved', other: 'used otherwise', available: 'available' } as const;

/** The legend under a chart of states. */
export const StateLegend: React.FC = () => (
  <span style={{ display: 'inline-flex', gap: 14, fontSize: 12, color: '#475569' }} data-testid="state-legend">
    {(Object.keys(LEGEND) as (keyof typeof LEGEND)[]).map((s) => (
      <span key={s} style={{ display: 'inline-flex', alignItems: 'center', gap: 5 }}>
        <span aria-hidden="true" style={{ width: 10, height: 10, borderRadius: 2, background: STATE_COLORS[s], border: s === 'available' ? '1px solid #cbd5e1' : 0 }} />
        {LEGEND[s]}
      </span>
    ))}
  </span>
);
