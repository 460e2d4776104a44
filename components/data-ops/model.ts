import type React from 'react';
import type { OptionsSchema } from '../shared/options-form';

/** A plugin as GET /import/plugins lists it. */
export type Plugin = {
  name: string;
  title: string;
  description: string | null;
  kind: 'importer' | 'connector';
  accepts: { extensions: string[]; fields: string[]; multiple?: boolean } | null;
  options: OptionsSchema;
};
/** What the data-ops page handler answers: upload cap and who is looking. */
export type PageData = { maxUploadBytes: number; role: string; username: string | null };

export const mb = (bytes: number): string => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
export const size = (bytes: number): string => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 102.4) / 10} KB` : mb(bytes));

export const card: React.CSSProperties = { background: '#fff', borderRadius: 10, padding: 20, marginBottom: 20, boxShadow: '0 1px 3px rgba(15,23,42,0.08)' };
export const input: React.CSSProperties = { padding: '6px 8px', border: '1px solid #cbd5e1', borderRadius: 6, fontSize: 14, minWidth: 220, background: '#fff' };
export const fieldLabel: React.CSSProperties = { display: 'block', fontSize: 13, fontWeight: 600, color: '#334155', marginBottom: 4 };
export const hint: React.CSSProperties = { fontSize: 12, color: '#64748b', marginTop: 3 };
export const mono: React.CSSProperties = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 };
export const STATUS_COLORS: Record<string, string> = { succeeded: '#15803d', failed: '#b91c1c', rejected: '#b45309', running: '#1d4ed8', interrupted: '#9f1239' };
