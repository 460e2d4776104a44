import React from 'react';

/** Used / usable as a bar with the percentage; amber from 70 %, red from 90 %. */
export const UtilizationBar: React.FC<{ percent: number }> = ({ percent }) => {
  const p = Math.max(0, Math.min(100, Number(percent) || 0));
  const color = p >= 90 ? '#dc2626' : p >= 70 ? '#d97706' : '#16a34a';
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8, whiteSpace: 'nowrap' }} title={`${p}% used`}>
      <span style={{ display: 'inline-block', width: 120, height: 8, borderRadius: 4, background: '#e2e8f0', overflow: 'hidden' }}>
        <span style={{ display: 'block', width: `${p}%`, height: '100%', background: color }} />
      </span>
      <span style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>{p.toFixed(p < 10 ? 2 : 1)}%</span>
    </span>
  );
};

/**
 * After a count of a prefix-delegation pool: its counts are delegated prefixes, not addresses (a
 * /48 delegating /56s has 256 of them), which the column headers (Usable, Used, Free) do not say.
 */
export const PrefixUnit: React.FC<{ unit?: string | undefined }> = ({ unit }) =>
  unit === 'prefix' ? (
    <span style={{ fontSize: 11, marginLeft: 4, color: '#64748b' }} data-testid="prefix-unit">
      prefixes
    </span>
  ) : null;
