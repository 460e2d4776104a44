import { z } from 'zod';

/**
 * Import limits. The upload size cap is IPOCKET_MAX_UPLOAD_MB (config); these guard what an
 * accepted upload may expand to. Overridable from the environment for large one-off imports.
 */
const LimitsSchema = z.object({
  IPOCKET_IMPORT_MAX_ROWS: z.coerce.number().int().positive().default(250_000),
  IPOCKET_IMPORT_ZIP_MAX_ENTRIES: z.coerce.number().int().positive().default(32),
  IPOCKET_IMPORT_ZIP_MAX_BYTES: z.coerce.number().int().positive().default(256 * 1024 * 1024),
  IPOCKET_IMPORT_CONCURRENCY: z.coerce.number().int().positive().default(2),
});

export interface ImportLimits {
  /** Records (all kinds together) one run may carry. */
  maxRows: number;
  /** Entries a bundle ZIP may hold. */
  zipMaxEntries: number;
  /** Total uncompressed bytes of a ZIP's entries (zip bombs). */
  zipMaxBytes: number;
}

/** Limits from the environment (defaults when unset or invalid-free). */
export function importLimits(env: NodeJS.ProcessEnv = process.env): ImportLimits {
  const input = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('IPOCKET_IMPORT_') && v !== ''));
  const e = LimitsSchema.parse(input);
  return { maxRows: e.IPOCKET_IMPORT_MAX_ROWS, zipMaxEntries: e.IPOCKET_IMPORT_ZIP_MAX_ENTRIES, zipMaxBytes: e.IPOCKET_IMPORT_ZIP_MAX_BYTES };
}

/** Imports (upload, plan, apply) one instance runs at once over HTTP (IPOCKET_IMPORT_CONCURRENCY); more are told to retry. */
export function importConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const r = LimitsSchema.shape.IPOCKET_IMPORT_CONCURRENCY.safeParse(env.IPOCKET_IMPORT_CONCURRENCY || undefined);
  return r.success ? r.data : 2;
}
