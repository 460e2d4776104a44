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

export const STATUS_COLORS: Record<string, string> = { succeeded: '#15803d', failed: '#b91c1c', rejected: '#b45309', running: '#1d4ed8', interrupted: '#9f1239' };
