import type React from 'react';
import { initialValues, type OptionsSchema, type OptionValues } from '../shared/options-form';

/** A connector as GET /connectors lists it. */
export type Plugin = { name: string; title: string; description: string | null; options: OptionsSchema };
/** A saved configuration as GET /connectors/configs answers it. */
export type Config = { id: number; name: string; plugin: string; options: Record<string, unknown>; cron: string | null; enabled: boolean; mode: string; running: boolean; last_status: string | null; last_error: string | null; last_run_at: string | null };
/** The form of a new configuration or of one being edited (`id`). */
export type Draft = { id: number | null; plugin: string; name: string; cron: string; mode: string; enabled: boolean; values: OptionValues; saved: Record<string, unknown> };

export const panel: React.CSSProperties = { background: '#fff', borderRadius: 10, padding: 20, marginBottom: 20 };
export const tab = (active: boolean): React.CSSProperties => ({ padding: '8px 16px', border: 'none', borderBottom: active ? '2px solid #1d4ed8' : '2px solid transparent', background: 'none', cursor: 'pointer', fontWeight: active ? 600 : 400, color: '#0f172a' });
export const statusColor = (s: string | null): string => (s === 'succeeded' ? '#15803d' : s === 'failed' || s === 'rejected' || s === 'interrupted' ? '#b91c1c' : '#64748b');

export const newDraft = (p: Plugin): Draft => ({ id: null, plugin: p.name, name: '', cron: '*/15 * * * *', mode: 'dry_run', enabled: false, values: initialValues(p.options), saved: {} });
export const editDraft = (c: Config, p: Plugin): Draft => ({ id: c.id, plugin: c.plugin, name: c.name, cron: c.cron ?? '', mode: c.mode, enabled: c.enabled, values: initialValues(p.options, c.options), saved: c.options });
