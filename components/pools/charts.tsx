import React from 'react';
import { injectCss } from '../shared/styles';
import { poolPage, STATE_COLORS, type Pool, type Utilization } from './model';
import { segments, stateText } from './state-bar';

const CSS = `
.ipk-chart a:focus-visible rect.ipk-chart-hit{stroke:#1d4ed8;stroke-width:2}
.ipk-chart a:hover rect.ipk-chart-hit{fill:rgba(37,99,235,.06)}
.ipk-chart a{outline:none}
`;

const ROW = 26;
const LABEL = 170;

/**
 * Utilization of each pool as a horizontal stacked bar (assigned, reserved), the alert threshold
 * as a tick. Every bar is a link to its pool: Tab walks the chart, Enter opens the pool.
 */
export const PoolBarsChart: React.FC<{ pools: Pool[]; width?: number }> = ({ pools, width = 640 }) => {
  injectCss('pools-charts', CSS);
  const plot = width - LABEL - 60;
  const rows = pools.filter((p) => p.state);
  return (
    <svg className="ipk-chart" width={width} height={rows.length * ROW + 24} role="group" aria-label="Utilization by pool" data-testid="pool-bars-chart">
      {[0, 25, 50, 75, 100].map((t) => (
        <g key={t}>
          <line x1={LABEL + (plot * t) / 100} x2={LABEL + (plot * t) / 100} y1={0} y2={rows.length * ROW} stroke="#f1f5f9" />
          <text x={LABEL + (plot * t) / 100} y={rows.length * ROW + 16} fontSize={10} fill="#94a3b8" textAnchor="middle">
            {t}%
          </text>
        </g>
      ))}
      {rows.map((p, i) => {
        const u = p.state as Utilization;
        const y = i * ROW;
        const tick = LABEL + (plot * (p.utilization_alert_threshold ?? 80)) / 100;
        return (
          <a key={p.id} href={poolPage(p.id)} aria-label={`${p.pool_name}: ${stateText(u)}`} data-testid={`chart-bar-${p.pool_name}`}>
            <rect className="ipk-chart-hit" x={0} y={y + 1} width={width - 2} height={ROW - 2} rx={4} fill="transparent" />
            <text x={LABEL - 8} y={y + ROW / 2 + 4} fontSize={12} fill="#0f172a" textAnchor="end">
              {p.pool_name.length > 22 ? `${p.pool_name.slice(0, 21)}…` : p.pool_name}
            </text>
            <rect x={LABEL} y={y + 7} width={plot} height={ROW - 14} rx={3} fill={STATE_COLORS.available} />
            {segments(u, plot).map((s) => (
              <rect key={s.state} x={LABEL + s.x} y={y + 7} width={s.w} height={ROW - 14} fill={STATE_COLORS[s.state]} />
            ))}
            <line x1={tick} x2={tick} y1={y + 4} y2={y + ROW - 4} stroke="#b91c1c" strokeWidth={1.5} strokeDasharray="2 2" />
            <text x={LABEL + plot + 8} y={y + ROW / 2 + 4} fontSize={12} fill={u.utilization_percent >= (p.utilization_alert_threshold ?? 80) ? '#b45309' : '#334155'} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {u.utilization_percent.toFixed(1)}%
            </text>
          </a>
        );
      })}
    </svg>
  );
};

/** A donut of one family's addresses by state, with the percentage used in the middle. */
export const StateDonut: React.FC<{ title: string; u: Utilization; href?: string; testId?: string }> = ({ title, u, testId }) => {
  const R = 42;
  const C = 2 * Math.PI * R;
  return (
    <figure style={{ margin: 0, display: 'flex', alignItems: 'center', gap: 14 }} data-testid={testId}>
      <svg width={110} height={110} viewBox="0 0 110 110" style={{ flex: '0 0 auto' }} role="img" aria-label={`${title}: ${stateText(u)}`}>
        <circle cx={55} cy={55} r={R} fill="none" stroke={STATE_COLORS.available} strokeWidth={14} />
        {segments(u, C).map((s) => (
          <circle key={s.state} cx={55} cy={55} r={R} fill="none" stroke={STATE_COLORS[s.state]} strokeWidth={14} strokeDasharray={`${s.w} ${C}`} strokeDashoffset={-s.x} transform="rotate(-90 55 55)" />
        ))}
        <text x={55} y={59} textAnchor="middle" fontSize={15} fontWeight={600} fill="#0f172a">
          {u.utilization_percent.toFixed(u.utilization_percent < 10 ? 1 : 0)}%
        </text>
      </svg>
      <figcaption style={{ fontSize: 13, lineHeight: 1.6 }}>
        <div style={{ fontWeight: 600 }}>{title}</div>
        <div className="ipk-hint" style={{ marginTop: 0 }}>
          {stateText(u)}
        </div>
      </figcaption>
    </figure>
  );
};
