import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { DEVICE_KINDS } from '../../domain/devices/kinds.js';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { formatTimestamp } from '../../domain/time.js';
import { AuditService } from '../audit.js';
import { inTransaction, toBool, type ServiceContext } from '../context.js';
import { insertRow, updateRow } from '../rows.js';
import { parseInput, zodIssues } from '../validate.js';
import { parseJson } from './state.js';
import type { CustomFieldDefinition, CustomFieldType } from './wire.js';

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'url', 'select'] as const satisfies readonly CustomFieldType[];

const options = z.array(z.string().trim().min(1).max(255)).min(1, 'a select needs at least one option').max(200);

export const CustomFieldCreateSchema = z
  .object({
    key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must start with a letter and hold only a-z, 0-9 and _'),
    label: z.string().trim().min(1, 'is required').max(255),
    device_kind: z.enum(DEVICE_KINDS).nullable().optional(),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: options.nullable().optional(),
    required: z.boolean().optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.type === 'select' && !d.options?.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select needs at least one option' });
    if (d.type !== 'select' && d.options?.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'only a select has options' });
  });
export type CustomFieldCreate = z.input<typeof CustomFieldCreateSchema>;

/** Key and type stay as created: a stored value means what its type said when it was written. */
export const CustomFieldUpdateSchema = z
  .object({ label: z.string().trim().min(1).max(255), device_kind: z.enum(DEVICE_KINDS).nullable(), options: options.nullable(), required: z.boolean() })
  .partial()
  .strict();
export type CustomFieldUpdate = z.input<typeof CustomFieldUpdateSchema>;

export type CustomValue = string | number | boolean | null;

/** The zod schema of one definition's value; its output is the canonical value. */
function valueSchema(def: CustomFieldDefinition): z.ZodType<CustomValue> {
  switch (def.type) {
    case 'number':
      return z.union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/, 'must be a number').transform(Number)]).pipe(z.number().finite('must be a number'));
    case 'boolean':
      return z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);
    case 'date':
      return z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'must be a real date');
    case 'url':
      return z.string().trim().max(2000).refine((s) => /^https?:\/\//i.test(s) && URL.canParse(s), 'must be an http(s) URL');
    case 'select':
      return z.enum((def.options ?? []) as [string, ...string[]], { error: `must be one of ${(def.options ?? []).join(', ')}` });
    default:
      return z.string().max(2000, 'must be at most 2000 characters');
  }
}

/**
 * The schema of a device's custom values, built from the definitions that apply to its kind:
 * an unknown key, a wrong type or (when `creating`) a missing required field is a 422 at
 * `custom_fields.<key>`. Null clears a value.
 */
export function customValuesSchema(defs: readonly CustomFieldDefinition[], creating: boolean) {
  const shape: Record<string, z.ZodType> = {};
  for (const def of defs) {
    const s = valueSchema(def);
    shape[def.key] = def.required && creating ? s : def.required ? s.optional() : s.nullable().optional();
  }
  return z.object(shape).strict();
}

/** The stored columns of a value: canonical text, and a number for numbers, booleans and dates (days since 1970). */
function storedValue(def: CustomFieldDefinition, value: Exclude<CustomValue, null>): { value_text: string; value_number: number | null } {
  if (def.type === 'number') return { value_text: String(value), value_number: Number(value) };
  if (def.type === 'boolean') return { value_text: value ? 'true' : 'false', value_number: value ? 1 : 0 };
  if (def.type === 'date') return { value_text: String(value), value_number: Date.parse(`${String(value)}T00:00:00Z`) / 86_400_000 };
  return { value_text: String(value), value_number: null };
}

function readValue(def: { type: string }, text: string): CustomValue {
  if (def.type === 'number') return Number(text);
  if (def.type === 'boolean') return text === 'true';
  return text;
}

function toDefinition(r: Record<string, unknown>): CustomFieldDefinition {
  return {
    id: Number(r.id),
    key: String(r.key),
    label: String(r.label),
    device_kind: (r.device_kind as string | null) ?? null,
    type: r.type as CustomFieldType,
    options: parseJson<string[] | null>(r.options, null),
    required: toBool(r.required),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

export async function definitionsFor(db: Db, kind?: string): Promise<CustomFieldDefinition[]> {
  const q = db('custom_fields').orderBy('key');
  if (kind) q.where((b) => b.whereNull('device_kind').orWhere('device_kind', kind));
  return ((await q) as Record<string, unknown>[]).map(toDefinition);
}

/** Custom values of each device of `ids`, by key. */
export async function loadCustomValues(db: Db, ids: readonly number[]): Promise<Map<number, Record<string, CustomValue>>> {
  const out = new Map<number, Record<string, CustomValue>>();
  if (ids.length === 0) return out;
  const rows = (await db('device_custom_values as v').join('custom_fields as f', 'f.id', 'v.field_id').whereIn('v.device_id', ids).select('v.device_id', 'f.key', 'f.type', 'v.value_text').orderBy('f.key')) as { device_id: number; key: string; type: string; value_text: string }[];
  for (const r of rows) {
    const values = out.get(Number(r.device_id)) ?? {};
    values[r.key] = readValue(r, r.value_text);
    out.set(Number(r.device_id), values);
  }
  return out;
}

/**
 * The stored text a list filter on custom fields must equal, by key: each value read as its
 * field's type (`8.0` finds 8), an unknown key or a value of the wrong type a 422 at query.custom.<key>.
 */
export async function customFilterValues(db: Db, filters: Record<string, string>): Promise<Record<string, string>> {
  const keys = Object.keys(filters);
  const defs = ((await db('custom_fields').whereIn('key', keys)) as Record<string, unknown>[]).map(toDefinition);
  const out: Record<string, string> = {};
  for (const key of keys) {
    const def = defs.find((d) => d.key === key);
    if (!def) throw new ValidationError([{ loc: ['query', 'custom', key], msg: 'no custom field has this key', type: 'value_error' }]);
    const parsed = valueSchema(def).safeParse(filters[key]);
    if (!parsed.success || parsed.data === null) throw new ValidationError(zodIssues(parsed.error ?? new z.ZodError([]), 'query').map((i) => ({ ...i, loc: ['query', 'custom', key] })));
    out[key] = storedValue(def, parsed.data).value_text;
  }
  return out;
}

/** Validates and stores a device's custom values (in the caller's transaction). */
export async function applyCustomValues(db: Db, deviceId: number, kind: string, input: Record<string, unknown>, creating: boolean): Promise<void> {
  const defs = await definitionsFor(db, kind);
  const result = customValuesSchema(defs, creating).safeParse(input);
  if (!result.success) throw new ValidationError(zodIssues(result.error, 'body').map((i) => ({ ...i, loc: ['body', 'custom_fields', ...i.loc.slice(1)] })));
  const byKey = new Map(defs.map((d) => [d.key, d]));
  for (const [key, value] of Object.entries(result.data as Record<string, CustomValue | undefined>)) {
    if (value === undefined) continue;
    const def = byKey.get(key)!;
    await db('device_custom_values').where({ device_id: deviceId, field_id: def.id }).delete();
    if (value !== null) await db('device_custom_values').insert({ device_id: deviceId, field_id: def.id, ...storedValue(def, value) });
  }
}

/** Custom field definitions: a superuser's to define (the surfaces check the role), per device kind. */
export class CustomFieldsService {
  constructor(private readonly ctx: ServiceContext) {}

  list(kind?: string): Promise<CustomFieldDefinition[]> {
    return definitionsFor(this.ctx.db, kind);
  }

  async get(id: number): Promise<CustomFieldDefinition> {
    const row = (await this.ctx.db('custom_fields').where({ id }).first()) as Record<string, unknown> | undefined;
    if (!row) throw new NotFoundError('Custom field', id);
    return toDefinition(row);
  }

  async create(input: CustomFieldCreate): Promise<CustomFieldDefinition> {
    const d = parseInput(CustomFieldCreateSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const now = formatTimestamp();
      const row = { key: d.key, label: d.label, device_kind: d.device_kind ?? null, type: d.type, options: d.options ? JSON.stringify(d.options) : null, required: d.required ?? false, created_at: now, updated_at: now };
      const id = await insertRow(trx, 'custom_fields', row, new ConflictError(`Custom field "${d.key}" already exists.`, 'key'));
      const created = await new CustomFieldsService({ ...this.ctx, db: trx }).get(id);
      await this.audit(trx, 'CREATE', created, `defined ${created.type} field "${created.key}" for ${created.device_kind ?? 'every kind'}`);
      return created;
    });
  }

  async update(id: number, input: CustomFieldUpdate): Promise<CustomFieldDefinition> {
    const patch = parseInput(CustomFieldUpdateSchema, input);
    return inTransaction(this.ctx.db, async (trx) => {
      const self = new CustomFieldsService({ ...this.ctx, db: trx });
      const before = await self.get(id);
      if (patch.options !== undefined && before.type !== 'select' && patch.options !== null) throw ValidationError.field('options', 'only a select has options');
      if (before.type === 'select' && patch.options === null) throw ValidationError.field('options', 'a select needs at least one option');
      const set: Record<string, unknown> = {};
      if (patch.label !== undefined) set.label = patch.label;
      if (patch.device_kind !== undefined) set.device_kind = patch.device_kind;
      if (patch.required !== undefined) set.required = patch.required;
      if (patch.options !== undefined) set.options = patch.options ? JSON.stringify(patch.options) : null;
      if (Object.keys(set).length === 0) return before;
      await updateRow(trx, 'custom_fields', id, { ...set, updated_at: formatTimestamp() }, new ConflictError('Custom field conflict.'));
      const after = await self.get(id);
      await this.audit(trx, 'UPDATE', after, Object.keys(set).map((k) => `${k}: ${JSON.stringify((before as unknown as Record<string, unknown>)[k])} → ${JSON.stringify((after as unknown as Record<string, unknown>)[k])}`).join('; '));
      return after;
    });
  }

  /** Deletes the definition and every value of it. */
  async delete(id: number): Promise<void> {
    await inTransaction(this.ctx.db, async (trx) => {
      const def = await new CustomFieldsService({ ...this.ctx, db: trx }).get(id);
      await trx('device_custom_values').where({ field_id: id }).delete();
      await trx('custom_fields').where({ id }).delete();
      await this.audit(trx, 'DELETE', def, `removed field "${def.key}" and its values`);
    });
  }

  private audit(db: Db, action: 'CREATE' | 'UPDATE' | 'DELETE', def: CustomFieldDefinition, changes: string): Promise<void> {
    return new AuditService({ ...this.ctx, db }).record({ targetType: 'CUSTOM_FIELD', targetId: def.id, targetLabel: def.key, action, changes });
  }
}
