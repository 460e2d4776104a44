import { z } from 'zod';
import { ConfigError } from '../config.js';
import type { ConnectorConfigsService } from './connector-configs.js';

/**
 * LAIM's sync settings as environment variables (seed 004): with `NETDISCO_API_URL` or
 * `LIBRENMS_API_URL` set, a start creates — or brings up to date — one saved connector
 * configuration per source, scheduled every `SYNC_INTERVAL_HOURS` when `SYNC_ENABLED`, at
 * `SYNC_RATE_LIMIT` requests per second. They are ordinary configurations afterwards (the panel
 * shows them, secrets are sealed like any other); a start with the same environment changes
 * nothing, and one without these variables leaves them alone.
 */

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v), 'must be true or false')
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const empty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const url = z.preprocess(empty, z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional());
const text = z.preprocess(empty, z.string().min(1).optional());

export const SyncEnvSchema = z.object({
  NETDISCO_API_URL: url,
  NETDISCO_USERNAME: text,
  NETDISCO_PASSWORD: text,
  LIBRENMS_API_URL: url,
  LIBRENMS_API_TOKEN: text,
  SYNC_ENABLED: z.preprocess(empty, flag.optional()).transform((v) => v ?? true),
  SYNC_INTERVAL_HOURS: z.preprocess(empty, z.coerce.number().int('must be a whole number of hours').min(1, 'must be 1 to 24').max(24, 'must be 1 to 24').default(6)),
  SYNC_RATE_LIMIT: z.preprocess(empty, z.coerce.number().positive('must be a positive number of requests per second').max(1000).default(10)),
});
export type SyncEnv = z.output<typeof SyncEnvSchema>;

/** Reads the variables; a bad or incomplete one throws ConfigError naming it (start-up stops there). */
export function parseSyncEnv(env: NodeJS.ProcessEnv = process.env): SyncEnv {
  const r = SyncEnvSchema.safeParse(env);
  if (!r.success) throw new ConfigError(`Invalid configuration:\n${r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  const e = r.data;
  const missing: string[] = [];
  if (e.NETDISCO_API_URL && !e.NETDISCO_USERNAME) missing.push('NETDISCO_USERNAME');
  if (e.NETDISCO_API_URL && !e.NETDISCO_PASSWORD) missing.push('NETDISCO_PASSWORD');
  if (e.LIBRENMS_API_URL && !e.LIBRENMS_API_TOKEN) missing.push('LIBRENMS_API_TOKEN');
  if (missing.length) throw new ConfigError(`Invalid configuration:\n${missing.map((m) => `  ${m}: is required when ${m.split('_')[0]}_API_URL is set`).join('\n')}`);
  return e;
}

/** The name of the configuration each source's variables own. */
export const ENV_CONFIG_NAMES = { netdisco: 'Netdisco (environment)', librenms: 'LibreNMS (environment)' } as const;

/** Every SYNC_INTERVAL_HOURS hours, on the hour (24: once a day at midnight). */
export function intervalCron(hours: number): string {
  return hours >= 24 ? '0 0 * * *' : `0 */${hours} * * *`;
}

/** Creates or updates the environment's configurations; answers what it did per name. */
export async function applySyncEnv(configs: ConnectorConfigsService, env: SyncEnv): Promise<Record<string, 'created' | 'updated' | 'unchanged'>> {
  const wanted: { plugin: keyof typeof ENV_CONFIG_NAMES; options: Record<string, unknown> }[] = [];
  if (env.NETDISCO_API_URL) wanted.push({ plugin: 'netdisco', options: { url: env.NETDISCO_API_URL, username: env.NETDISCO_USERNAME, password: env.NETDISCO_PASSWORD, rate_limit: env.SYNC_RATE_LIMIT } });
  if (env.LIBRENMS_API_URL) wanted.push({ plugin: 'librenms', options: { url: env.LIBRENMS_API_URL, token: env.LIBRENMS_API_TOKEN, rate_limit: env.SYNC_RATE_LIMIT } });
  const out: Record<string, 'created' | 'updated' | 'unchanged'> = {};
  for (const w of wanted) {
    const name = ENV_CONFIG_NAMES[w.plugin];
    // LAIM's sync writes what it finds: the schedule applies, it does not only preview.
    const settings = { options: w.options, cron: intervalCron(env.SYNC_INTERVAL_HOURS), enabled: env.SYNC_ENABLED, mode: 'apply' as const };
    const id = await configs.idByName(name);
    if (id === null) {
      await configs.create({ name, plugin: w.plugin, ...settings });
      out[name] = 'created';
      continue;
    }
    // Compared first (secrets opened), so a start with the same environment writes nothing at all.
    const { row, options } = await configs.runtime(id);
    const same =
      Object.entries(w.options).every(([k, v]) => JSON.stringify(options[k]) === JSON.stringify(v)) &&
      row.cron === settings.cron && Boolean(Number(row.enabled)) === settings.enabled && row.mode === settings.mode;
    if (same) {
      out[name] = 'unchanged';
      continue;
    }
    // Options set on the panel beside the environment's (tags, project…) are kept.
    await configs.update(id, { ...settings, options: { ...options, ...w.options } });
    out[name] = 'updated';
  }
  return out;
}
