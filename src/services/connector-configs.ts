import cron from 'node-cron';
import { z } from 'zod';
import { describeChanges, diffFields, type FieldChange, type FieldValue } from '../domain/changes.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { openSecret, sealSecret } from '../domain/secret-box.js';
import { formatTimestamp } from '../domain/time.js';
import { AuditService } from './audit.js';
import { inTransaction, toBool, type ServiceContext } from './context.js';
import { forgetNetBoxConfigured } from './netbox/outbox.js';
import { parseInput } from './validate.js';

export type ConfigMode = 'dry_run' | 'apply';

/** A saved configuration as the API and panel see it: secrets are "***", never their value. */
export interface ConnectorConfig {
  id: number;
  name: string;
  plugin: string;
  options: Record<string, unknown>;
  /** True when at least one secret option is stored (encrypted). */
  has_secret: boolean;
  cron: string | null;
  enabled: boolean;
  mode: ConfigMode;
  /** A run of this configuration is in progress (on any instance). */
  running: boolean;
  last_run_id: number | null;
  last_status: string | null;
  last_error: string | null;
  last_run_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConfigRow {
  id: number;
  name: string;
  plugin: string;
  options: string;
  secrets: string | null;
  cron: string | null;
  enabled: unknown;
  mode: ConfigMode;
  locked_until: number | string | null;
  locked_by: string | null;
  last_slot: number | string | null;
  last_run_id: number | null;
  last_status: string | null;
  last_error: string | null;
  last_run_at: string | null;
  created_at: string;
  updated_at: string;
}

const cronText = z
  .string()
  .trim()
  .max(128)
  .refine((v) => cron.validate(v), { message: 'is not a valid cron expression (5 fields, or 6 with seconds first: "*/15 * * * *")' });

export const ConfigCreateSchema = z.object({
  name: z.string().trim().min(1).max(128),
  plugin: z.string().trim().min(1).max(64),
  options: z.record(z.string(), z.unknown()).default({}),
  cron: cronText.nullable().optional(),
  enabled: z.boolean().default(false),
  mode: z.enum(['dry_run', 'apply']).default('dry_run'),
}).strict();

export const ConfigUpdateSchema = z.object({
  name: z.string().trim().min(1).max(128).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  cron: cronText.nullable().optional(),
  enabled: z.boolean().optional(),
  mode: z.enum(['dry_run', 'apply']).optional(),
}).strict();

/** A plugin as this service sees it: a name, a kind and an options schema (a src/plugins Plugin fits). */
export interface ConfigurablePlugin {
  name: string;
  kind: string;
  options: z.ZodType;
}

/**
 * The plugins, handed in by whoever builds the service (src/plugins/catalog.ts wraps the
 * registry): services import no plugin code, and the registry imports every plugin.
 */
export interface PluginCatalog<P extends ConfigurablePlugin = ConfigurablePlugin> {
  /** The plugin of that name, or null when there is none. */
  find(name: string): P | null;
  /** The options its schema marks secret (sealed at rest, never shown back). */
  secretKeys(schema: z.ZodType): string[];
  /** Option names its schema does not know (a typo would otherwise be dropped silently). */
  unknownOptionKeys(schema: z.ZodType, raw: Record<string, unknown>): string[];
}

/** What a secret option is sent as to keep the stored value. */
export const KEEP_SECRET = '***';

/**
 * Saved connector configurations. Secret options (marked `secret()` in the plugin's schema) are
 * sealed with AES-256-GCM under a key derived from IPOCKET_SECRET_KEY and never returned: reads
 * show "***". Schedule state (locks, last run) lives in connector-schedule.ts.
 */
export class ConnectorConfigsService<P extends ConfigurablePlugin = ConfigurablePlugin> {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly secretKey: string,
    private readonly plugins: PluginCatalog<P>,
  ) {}

  async list(): Promise<ConnectorConfig[]> {
    const rows = (await this.ctx.db('connector_configs').select('*').orderBy('name')) as ConfigRow[];
    return rows.map((r) => this.toPublic(r));
  }

  async get(id: number): Promise<ConnectorConfig> {
    return this.toPublic(await this.row(id));
  }

  async create(input: unknown): Promise<ConnectorConfig> {
    const data = parseInput(ConfigCreateSchema, input);
    const plugin = this.connector(data.plugin);
    const { plain, secrets } = this.split(plugin, data.options, {});
    const created = await inTransaction(this.ctx.db, async (trx) => {
      const self = this.on(trx);
      await self.checkName(data.name);
      const now = formatTimestamp();
      const [row] = await trx('connector_configs')
        .insert({ name: data.name, plugin: plugin.name, options: JSON.stringify(plain), secrets: this.seal(secrets), cron: data.cron ?? null, enabled: data.enabled, mode: data.mode, created_at: now, updated_at: now })
        .returning('id');
      const created = await self.get(Number((row as { id: number }).id));
      await self.audit('CREATE', created, describeChanges([...diffFields({}, auditView(created)), ...secretChanges({}, secrets)]));
      return created;
    });
    forgetNetBoxConfigured();
    return created;
  }

  /**
   * Changes a configuration; a secret sent as "***" (or left out) keeps its stored value, '' or null
   * clears it. When the URL's origin changes, stored secrets are dropped unless sent again.
   */
  async update(id: number, input: unknown): Promise<ConnectorConfig> {
    const data = parseInput(ConfigUpdateSchema, input);
    return inTransaction(this.ctx.db, (trx) => this.on(trx).updateIn(id, data));
  }

  private async updateIn(id: number, data: z.output<typeof ConfigUpdateSchema>): Promise<ConnectorConfig> {
    const current = await this.row(id);
    const before = this.toPublic(current);
    const plugin = this.connector(current.plugin);
    const patch: Record<string, unknown> = { updated_at: formatTimestamp() };
    const changedSecrets: FieldChange[] = [];
    if (data.name !== undefined && data.name !== current.name) {
      await this.checkName(data.name);
      patch.name = data.name;
    }
    if (data.options !== undefined) {
      const stored = this.openSecrets(current);
      // Stored secrets were given for one server: a new scheme/host/port gets them only if they are sent again.
      const keep = originOf(JSON.parse(current.options)) === originOf(data.options) ? stored : {};
      const { plain, secrets } = this.split(plugin, data.options, keep);
      patch.options = JSON.stringify(plain);
      patch.secrets = this.seal(secrets);
      changedSecrets.push(...secretChanges(stored, secrets));
    }
    if (data.cron !== undefined) patch.cron = data.cron;
    if (data.enabled !== undefined) patch.enabled = data.enabled;
    if (data.mode !== undefined) patch.mode = data.mode;
    if ((data.enabled ?? toBool(current.enabled)) && !(data.cron !== undefined ? data.cron : current.cron)) {
      throw new ValidationError([{ loc: ['body', 'cron'], msg: 'an enabled schedule needs a cron expression', type: 'value_error' }]);
    }
    await this.ctx.db('connector_configs').where({ id }).update(patch);
    const after = await this.get(id);
    // Secret values never reach the log: a changed secret is named, with its value left out.
    const changes = [...diffFields(auditView(before), auditView(after)), ...changedSecrets];
    if (changes.length) await this.audit('UPDATE', after, describeChanges(changes));
    return after;
  }

  async remove(id: number): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const self = this.on(trx);
      const config = self.toPublic(await self.row(id));
      await trx('connector_configs').where({ id }).del();
      await self.audit('DELETE', config, describeChanges(diffFields(auditView(config), {})));
    });
    forgetNetBoxConfigured();
  }

  /** The same service inside a transaction. */
  /** The connector plugin of that name; 422 on field plugin when there is none (or it is an importer). */
  private connector(name: string): P {
    const plugin = this.plugins.find(name);
    if (!plugin || plugin.kind !== 'connector') throw new ValidationError([{ loc: ['body', 'plugin'], msg: `"${name}" is not a connector`, type: 'value_error' }]);
    return plugin;
  }

  private on(trx: ServiceContext['db']): ConnectorConfigsService<P> {
    return new ConnectorConfigsService({ ...this.ctx, db: trx }, this.secretKey, this.plugins);
  }

  private async audit(action: 'CREATE' | 'UPDATE' | 'DELETE', config: ConnectorConfig, changes: string): Promise<void> {
    await new AuditService(this.ctx).record({ targetType: 'CONNECTOR', targetId: config.id, targetLabel: config.name, action, changes });
  }

  /** The full options of a configuration, secrets decrypted, for a run. Never send this anywhere. */
  async runtime(id: number): Promise<{ row: ConfigRow; plugin: P; options: Record<string, unknown> }> {
    const row = await this.row(id);
    const plugin = this.connector(row.plugin);
    return { row, plugin, options: { ...(JSON.parse(row.options) as Record<string, unknown>), ...this.openSecrets(row) } };
  }

  /** The id of the configuration saved under `name` (CLI `--config`), null when there is none. */
  async idByName(name: string): Promise<number | null> {
    const row = (await this.ctx.db('connector_configs').where({ name }).first('id')) as { id: number } | undefined;
    return row ? Number(row.id) : null;
  }

  async row(id: number): Promise<ConfigRow> {
    const row = (await this.ctx.db('connector_configs').where({ id }).first()) as ConfigRow | undefined;
    if (!row) throw new NotFoundError('Connector configuration', id);
    return row;
  }

  toPublic(r: ConfigRow): ConnectorConfig {
    const plugin = this.plugins.find(r.plugin);
    const options = JSON.parse(r.options) as Record<string, unknown>;
    const hasSecrets = r.secrets !== null && r.secrets !== '';
    if (hasSecrets && plugin) for (const k of this.plugins.secretKeys(plugin.options)) if (this.secretNames(r).includes(k)) options[k] = KEEP_SECRET;
    const lockedUntil = r.locked_until === null ? 0 : Number(r.locked_until);
    return {
      id: Number(r.id),
      name: r.name,
      plugin: r.plugin,
      options,
      has_secret: hasSecrets,
      cron: r.cron,
      enabled: toBool(r.enabled),
      mode: r.mode,
      running: lockedUntil > Date.now(),
      last_run_id: r.last_run_id === null ? null : Number(r.last_run_id),
      last_status: r.last_status,
      last_error: r.last_error,
      last_run_at: r.last_run_at,
      created_at: r.created_at,
      updated_at: r.updated_at,
    };
  }

  /**
   * Validates options with the plugin's schema and splits them into plain and secret parts. An
   * unknown key is refused: the schema would strip it, so a typo would be saved and silently ignored.
   */
  private split(plugin: P, raw: Record<string, unknown>, stored: Record<string, unknown>): { plain: Record<string, unknown>; secrets: Record<string, unknown> } {
    const unknown = this.plugins.unknownOptionKeys(plugin.options, raw);
    if (unknown.length) throw new ValidationError(unknown.map((k) => ({ loc: ['body', 'options', k], msg: `unknown option '${k}'`, type: 'value_error' })));
    const keys = new Set(this.plugins.secretKeys(plugin.options));
    const plain: Record<string, unknown> = {};
    const secrets: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) if (!keys.has(k)) plain[k] = v;
    for (const k of keys) {
      const v = raw[k];
      if (v === undefined || v === KEEP_SECRET) {
        if (stored[k] !== undefined) secrets[k] = stored[k];
      } else if (v !== null && v !== '') secrets[k] = v;
    }
    parseInput(plugin.options, { ...plain, ...secrets }, 'options');
    return { plain, secrets };
  }

  private seal(secrets: Record<string, unknown>): string | null {
    return Object.keys(secrets).length ? sealSecret(this.secretKey, JSON.stringify(secrets)) : null;
  }

  private openSecrets(r: ConfigRow): Record<string, unknown> {
    return r.secrets ? (JSON.parse(openSecret(this.secretKey, r.secrets)) as Record<string, unknown>) : {};
  }

  /** Which secret fields are set, without needing the key (names are not secret; values are). */
  private secretNames(r: ConfigRow): string[] {
    try {
      return Object.keys(this.openSecrets(r));
    } catch {
      const plugin = this.plugins.find(r.plugin);
      return plugin ? this.plugins.secretKeys(plugin.options) : [];
    }
  }

  private async checkName(name: string): Promise<void> {
    const taken = await this.ctx.db('connector_configs').where({ name }).first('id');
    if (taken) throw new ConflictError(`A connector configuration named "${name}" already exists.`, 'name');
  }
}

/** What the audit log shows of a configuration: settings and plain options (secrets: see secretChanges). */
function auditView(c: ConnectorConfig): Record<string, FieldValue> {
  const plain = Object.entries(c.options).filter(([, v]) => v !== KEEP_SECRET);
  const options = Object.fromEntries(plain.map(([k, v]) => [`options.${k}`, v === null || typeof v !== 'object' ? (v as FieldValue) : JSON.stringify(v)]));
  return { name: c.name, plugin: c.plugin, cron: c.cron, enabled: c.enabled, mode: c.mode, ...options };
}

/** Secret options set, changed or cleared — named, never their values. */
function secretChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const had = before[field] !== undefined;
    const has = after[field] !== undefined;
    if (had && has && before[field] === after[field]) continue;
    changes.push({ field: `options.${field}`, before: had ? 'set' : null, after: has ? (had ? 'changed' : 'set') : null });
  }
  return changes;
}

/** Runs started by a saved configuration, newest first (details and live log: ImportRunsService.get). */
export async function listConfigRuns(db: ServiceContext['db'], configId: number, limit = 50, offset = 0): Promise<{ items: Record<string, unknown>[]; total: number }> {
  const base = db('import_runs').where({ config_id: configId });
  const rows = (await base.clone().select('id', 'plugin', 'source', 'mode', 'status', 'username', 'counts', 'error', 'started_at', 'finished_at').orderBy('id', 'desc').limit(limit).offset(offset)) as Record<string, unknown>[];
  const [count] = (await base.clone().count({ n: '*' })) as { n: number | string }[];
  return { items: rows.map((r) => ({ ...r, id: Number(r.id), counts: r.counts ? (JSON.parse(String(r.counts)) as unknown) : null })), total: Number(count?.n ?? 0) };
}

/** scheme://host:port of a configuration's `url` option (null when there is none or it is not a URL). */
function originOf(options: unknown): string | null {
  const url = (options as { url?: unknown } | null)?.url;
  if (typeof url !== 'string') return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
