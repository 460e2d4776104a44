import React from 'react';
import { injectCss } from '../shared/styles';

/** A focused mark shows a ring (keyboard users see where Tab is); the pointer gets a hand. */
const CSS = `.dash-mark{cursor:pointer;outline:none}.dash-mark:focus-visible>rect:first-of-type{stroke:#0f172a;stroke-width:2}.dash-mark:focus-visible>circle{stroke-width:28}`;
const useChartStyles = (): void => injectCss('charts', CSS);

/**
 * Small SVG charts (no chart library is bundled): every mark is a link to the list it counts,
 * so Tab walks the marks, Enter opens the list, and a screen reader reads "label: n (p%)".
 */
export type Datum = { label: string; value: number; href?: string; color?: string };

const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2', '#65a30d', '#db2777', '#475569', '#ca8a04', '#4f46e5'];
export const colorAt = (i: number): string => PALETTE[i % PALETTE.length]!;
const pct = (v: number, total: number): string => (total ? `${Math.round((v / total) * 100)}%` : '0%');
const n = (v: number): string => v.toLocaleString('en-US');

/** A mark that links when it has somewhere to go (a focusable <a> in SVG), else a plain group. */
const Mark: React.FC<{ d: Datum; label: string; children: React.ReactNode; testId?: string }> = ({ d, label, children, testId }) =>
  d.href ? (
    <a href={d.href} aria-label={label} className="dash-mark" data-testid={testId}>
      <title>{label}</title>
      {children}
    </a>
  ) : (
    <g role="img" aria-label={label} data-testid={testId}>
      <title>{label}</title>
      {children}
    </g>
  );

/** Horizontal bars, largest first: label, bar, count and share. */
export const BarList: React.FC<{ data: Datum[]; title: string; unit?: string; testId?: string }> = ({ data, title, unit = 'devices', testId }) => {
  useChartStyles();
  const total = data.reduce((s, d) => s + d.value, 0);
  const max = Math.max(1, ...data.map((d) => d.value));
  const row = 26;
  const width = 420;
  const labelW = 110;
  const barW = width - labelW - 90;
  return (
    <svg viewBox={`0 0 ${width} ${Math.max(row, data.length * row)}`} width="100%" role="list" aria-label={title} data-testid={testId} style={{ maxWidth: width, display: 'block' }}>
      {data.map((d, i) => {
        const w = Math.max(2, (d.value / max) * barW);
        const label = `${d.label}: ${n(d.value)} ${unit} (${pct(d.value, total)})`;
        return (
          <g key={d.label} transform={`translate(0 ${i * row})`} role="listitem">
            <Mark d={d} label={label} testId={testId ? `${testId}-${d.label}` : undefined}>
              <rect x={0} y={0} width={width} height={row} fill="transparent" />
              <text x={labelW - 8} y={17} textAnchor="end" fontSize={12} fill="#334155">
                {d.label.length > 16 ? `${d.label.slice(0, 15)}…` : d.label}
              </text>
              <rect x={labelW} y={5} width={w} height={16} rx={3} fill={d.color ?? colorAt(i)} />
              <text x={labelW + w + 6} y={17} fontSize={12} fill="#0f172a" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {n(d.value)} · {pct(d.value, total)}
              </text>
            </Mark>
          </g>
        );
      })}
    </svg>
  );
};

/** A donut of shares with its legend; the total in the middle. */
export const Donut: React.FC<{ data: Datum[]; title: string; unit?: string; testId?: string }> = ({ data, title, unit = 'devices', testId }) => {
  useChartStyles();
  const total = data.reduce((s, d) => s + d.value, 0);
  const r = 52;
  const c = 2 * Math.PI * r;
  let at = 0;
  return (
    <div style={{ display: 'flex', gap: 18, alignItems: 'center', flexWrap: 'wrap' }} data-testid={testId}>
      <svg viewBox="0 0 140 140" width={140} height={140} role="list" aria-label={title}>
        <circle cx={70} cy={70} r={r} fill="none" stroke="#f1f5f9" strokeWidth={22} />
        {data.map((d, i) => {
          const len = total ? (d.value / total) * c : 0;
          const seg = (
            <g key={d.label} role="listitem">
              <Mark d={d} label={`${d.label}: ${n(d.value)} ${unit} (${pct(d.value, total)})`}>
                <circle cx={70} cy={70} r={r} fill="none" stroke={d.color ?? colorAt(i)} strokeWidth={22} strokeDasharray={`${len} ${c - len}`} strokeDashoffset={-at} transform="rotate(-90 70 70)" />
              </Mark>
            </g>
          );
          at += len;
          return seg;
        })}
        <text x={70} y={68} textAnchor="middle" fontSize={20} fontWeight={600} fill="#0f172a">
          {n(total)}
        </text>
        <text x={70} y={86} textAnchor="middle" fontSize={11} fill="#64748b">
          {unit}
        </text>
      </svg>
      <ul style={{ listStyle: 'none', margin: 0, padding: 0, fontSize: 13 }}>
        {data.map((d, i) => (
          <li key={d.label} style={{ display: 'flex', gap: 6, alignItems: 'center', marginBottom: 4 }}>
            <span aria-hidden="true" style={{ width: 10, height: 10, borderRadius: 2, background: d.color ?? colorAt(i), display: 'inline-block' }} />
            <span>{d.label}</span>
            <strong style={{ fontVariantNumeric: 'tabular-nums' }}>{n(d.value)}</strong>
            <span style={{ color: '#64748b' }}>{pct(d.value, total)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
};

/** One bar split into parts (in use / not in use), with the numbers under it. */
export const SplitBar: React.FC<{ data: Datum[]; title: string; unit: string; testId?: string }> = ({ data, title, unit, testId }) => {
  useChartStyles();
  const total = data.reduce((s, d) => s + d.value, 0);
  let x = 0;
  return (
    <div data-testid={testId}>
      <svg viewBox="0 0 400 24" width="100%" role="list" aria-label={title} style={{ maxWidth: 400, display: 'block' }}>
        <rect x={0} y={0} width={400} height={24} rx={4} fill="#f1f5f9" />
        {data.map((d, i) => {
          const w = total ? (d.value / total) * 400 : 0;
          const part = (
            <g key={d.label} role="listitem">
              <Mark d={d} label={`${d.label}: ${n(d.value)} ${unit} (${pct(d.value, total)})`}>
                <rect x={x} y={0} width={w} height={24} fill={d.color ?? colorAt(i)} />
              </Mark>
            </g>
          );
          x += w;
          return part;
        })}
      </svg>
      <div style={{ display: 'flex', gap: 18, marginTop: 8, fontSize: 13, flexWrap: 'wrap' }}>
        <span>
          Total <strong style={{ fontVariantNumeric: 'tabular-nums' }}>{n(total)}</strong>
        </span>
        {data.map((d, i) => (
          <span key={d.label} style={{ display: 'inline-flex', gap: 5, alignItems: 'center' }}>
            <span aria-hidden="true" style={{ width: 10, height: 10, borderRadius: 2, background: d.color ?? colorAt(i), display: 'inline-block' }} />
            {d.label} <strong style={{ fontVariantNumeric: 'tabular-nums' }}>{n(d.value)}</strong>
          </span>
        ))}
      </div>
    </div>
  );
};

/** Columns over time (e.g. changes per hour of the last 24 h), oldest left. */
export const Columns: React.FC<{ data: Datum[]; title: string; unit: string; testId?: string }> = ({ data, title, unit, testId }) => {
  useChartStyles();
  const max = Math.max(1, ...data.map((d) => d.value));
  const w = 420;
  const h = 90;
  const col = w / Math.max(1, data.length);
  return (
    <svg viewBox={`0 0 ${w} ${h + 16}`} width="100%" role="list" aria-label={title} data-testid={testId} style={{ maxWidth: w, display: 'block' }}>
      <line x1={0} y1={h} x2={w} y2={h} stroke="#e2e8f0" />
      {data.map((d, i) => {
        const bh = d.value ? Math.max(2, (d.value / max) * (h - 6)) : 0;
        return (
          <g key={`${d.label}-${i}`} role="listitem">
            <Mark d={d} label={`${d.label}: ${n(d.value)} ${unit}`}>
              <rect x={i * col} y={0} width={col} height={h} fill="transparent" />
              <rect x={i * col + 2} y={h - bh} width={Math.max(1, col - 4)} height={bh} rx={2} fill={d.color ?? '#2563eb'} />
            </Mark>
            {i % 6 === 0 ? (
              <text x={i * col + 2} y={h + 13} fontSize={10} fill="#64748b">
                {d.label}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
};
