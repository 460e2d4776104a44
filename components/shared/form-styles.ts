import type React from 'react';

/** Inline styles of the run pages (Data Ops, Connectors, the plan preview, generated option forms). */
export const card: React.CSSProperties = { background: '#fff', borderRadius: 10, padding: 20, marginBottom: 20, boxShadow: '0 1px 3px rgba(15,23,42,0.08)' };
export const inputBase: React.CSSProperties = { padding: '6px 8px', border: '1px solid #cbd5e1', borderRadius: 6, fontSize: 14, background: '#fff' };
export const input: React.CSSProperties = { ...inputBase, minWidth: 220 };
export const fieldLabel: React.CSSProperties = { display: 'block', fontSize: 13, fontWeight: 600, color: '#334155', marginBottom: 4 };
export const hint: React.CSSProperties = { fontSize: 12, color: '#64748b', marginTop: 3 };
export const mono: React.CSSProperties = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 };
