import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { zodIssues } from '../services/validate.js';

/**
 * Option fields that hold secrets (passwords, tokens). They are validated like any option,
 * but never stored in runs, logged, or shown back: the panel gets `writeOnly: true`.
 */
export const secretOptions = z.registry<{ secret: true }>();

/** Marks an option schema as secret. */
export function secret<T extends z.ZodType>(schema: T): T {
  secretOptions.add(schema as z.ZodType, { secret: true });
  return schema;
}

/** A yes/no option that also reads the text of CLI flags and form fields ("1", "true", "on"…). */
export const optionFlag = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'yes' || v === 'on');

/**
 * A device connector's archive policy: days a device missing from every source that reported it
 * waits before the archive job archives it. Empty (or left out): never archived, only marked missing.
 */
export const archiveMissingOption = z
  .union([z.literal('').transform(() => undefined), z.coerce.number().int('must be a whole number of days').min(1, 'must be at least 1 day (leave empty for never)').max(3650, 'must be at most 3650 days')])
  .optional()
  .describe('Archive a device this many days after every source stopped reporting it (empty: never; it stays marked missing)');

/** A list option given as an array or "a, b". */
export const optionList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));

type AnyObject = z.ZodObject<z.ZodRawShape>;

type WrapperDef = { type: string; innerType?: z.ZodType; in?: z.ZodType; defaultValue?: unknown };

function defOf(schema: z.ZodType): WrapperDef {
  return (schema as unknown as { _zod: { def: WrapperDef } })._zod.def;
}

function innerOf(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(schema);
  return def.innerType ?? def.in;
}

/** The `.default()` value of an option (through optional/nullable/pipe wrappers), or undefined. */
function defaultOf(schema: z.ZodType): unknown {
  for (let s: z.ZodType | undefined = schema, depth = 0; s && depth < 8; s = innerOf(s), depth++) {
    const def = defOf(s);
    if (def.type === 'default') return def.defaultValue;
  }
  return undefined;
}

/** Option names the schema does not know: a typo ("querry") would otherwise be stripped and ignored. */
export function unknownOptionKeys(schema: z.ZodType, raw: Record<string, unknown>): string[] {
  const shape = (schema as AnyObject).shape as Record<string, z.ZodType> | undefined;
  if (!shape) return [];
  return Object.keys(raw).filter((k) => !Object.hasOwn(shape, k));
}

/** True when the option (through optional/default/nullable/pipe wrappers) is marked secret. */
export function isSecretSchema(schema: z.ZodType): boolean {
  for (let s: z.ZodType | undefined = schema, depth = 0; s && depth < 8; s = innerOf(s), depth++) {
    if (secretOptions.has(s)) return true;
  }
  return false;
}

/** Names of the secret fields of an options object schema. */
export function secretKeys(schema: z.ZodType): string[] {
  const shape = (schema as AnyObject).shape as Record<string, z.ZodType> | undefined;
  if (!shape) return [];
  return Object.entries(shape).filter(([, s]) => isSecretSchema(s)).map(([k]) => k);
}

/** A copy of the options safe to store and show: secrets become "***" (or stay absent). */
export function redactOptions(schema: z.ZodType, options: Record<string, unknown>): Record<string, unknown> {
  const secrets = new Set(secretKeys(schema));
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k, secrets.has(k) && v !== undefined && v !== null && v !== '' ? '***' : v]));
}

/** Parses raw options (from JSON, form fields or CLI flags); failures are 422s located at options.<field>. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw new ValidationError(zodIssues(result.error, 'options'));
}

/**
 * JSON Schema of the options (drives the panel form and CLI help); secret fields are writeOnly.
 * zod leaves out the default of a transformed option (flags, lists) in an input schema, so every
 * default is put back: a form must show what a run will use.
 */
export function describeOptions(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Record<string, unknown>> };
  const shape = ((schema as AnyObject).shape ?? {}) as Record<string, z.ZodType>;
  for (const [key, option] of Object.entries(shape)) {
    const prop = json.properties?.[key];
    const value = defaultOf(option);
    if (prop && prop.default === undefined && value !== undefined) prop.default = value;
  }
  for (const key of secretKeys(schema)) {
    const prop = json.properties?.[key];
    if (prop) Object.assign(prop, { writeOnly: true, format: 'password' });
  }
  return json as Record<string, unknown>;
}
