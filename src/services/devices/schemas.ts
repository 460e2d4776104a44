import { z } from 'zod';
import { parseAddressFast } from '../../domain/ip/address-fast.js';
import { DEVICE_KINDS, normalizePowerState, PLATFORM_PATTERN } from '../../domain/devices/kinds.js';
import { FACT_FIELD_NAMES, FACT_FIELDS, type FactField } from '../../domain/devices/fields.js';
import { normalizeMac } from '../../domain/devices/mac.js';
import { MAX_TAG_NAME_LENGTH, MAX_TAGS_PER_LIST, normalizeTagName } from '../../domain/tags.js';

const id = z.number().int().positive();
const INT_MAX = 2_147_483_647;

/** Trimmed text, at most `max` characters; an empty string means "no value". */
const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).transform((s) => (s === '' ? null : s));

/** The zod schema of one fact field's value (what a source may report and an operator may override). */
function factValueSchema(field: FactField): z.ZodType<string | number | null> {
  const spec = FACT_FIELDS[field];
  switch (spec.type) {
    case 'kind':
      return z.enum(DEVICE_KINDS, { error: `must be one of ${DEVICE_KINDS.join(', ')}` });
    case 'platform':
      return z.string().trim().toLowerCase().regex(PLATFORM_PATTERN, 'must be a lower-case name such as vmware, nutanix or physical');
    case 'power_state':
      return z.string().trim().min(1, 'is required').max(40).transform(normalizePowerState);
    case 'int':
      return z.number().int('must be a whole number').min(0, 'must not be negative').max(INT_MAX);
    case 'number':
      return z.number().min(0, 'must not be negative').max(1e12);
    default:
      // UUIDs compare as the same value whatever the case a platform prints them in.
      return field === 'uuid' || field === 'bios_uuid' ? text(spec.max).transform((u) => u?.toLowerCase() ?? null) : text(spec.max);
  }
}

export const FACT_VALUE_SCHEMAS = Object.fromEntries(Object.keys(FACT_FIELDS).map((f) => [f, factValueSchema(f as FactField)])) as Record<FactField, z.ZodType<string | number | null>>;

/** Every fact field, each optional and nullable (a source that does not know a value sends null or nothing). */
const factShape = Object.fromEntries(Object.entries(FACT_VALUE_SCHEMAS).map(([f, s]) => [f, s.nullable().optional()])) as Record<FactField, z.ZodOptional<z.ZodNullable<z.ZodType<string | number | null>>>>;

export const MacSchema = z.string().transform((s, ctx) => {
  const mac = normalizeMac(s);
  if (!mac) ctx.addIssue({ code: 'custom', message: 'must be a MAC address such as aa:bb:cc:dd:ee:ff' });
  return mac ?? '';
});

export const IpSchema = z.string().max(100).transform((s, ctx) => {
  const parsed = parseAddressFast(s.trim());
  if (!parsed) ctx.addIssue({ code: 'custom', message: 'must be an IPv4 or IPv6 address' });
  return parsed?.address ?? '';
});

export const TagSchema = z.string().max(MAX_TAG_NAME_LENGTH).transform((s, ctx) => {
  const tag = normalizeTagName(s);
  if (!tag) ctx.addIssue({ code: 'custom', message: 'tags are letters, digits, _ and - only' });
  return tag ?? '';
});
const tags = z.array(TagSchema).max(MAX_TAGS_PER_LIST).transform((l) => [...new Set(l)].sort());

export const DiskSchema = z
  .object({ label: text(255).nullable().optional(), size_gb: z.number().min(0).max(1e9).nullable().optional(), storage: text(255).nullable().optional(), backing: text(50).nullable().optional() })
  .strict();
export const NicSchema = z
  .object({
    mac: MacSchema.nullable().optional(),
    network_name: text(255).nullable().optional(),
    vlan: z.union([z.number().int().min(0).max(4095).transform(String), text(50)]).nullable().optional(),
    connected: z.boolean().nullable().optional(),
    ips: z.array(IpSchema).max(1000).optional(),
  })
  .strict();
export type Disk = z.output<typeof DiskSchema>;
export type Nic = z.output<typeof NicSchema>;

export const ManualIpSchema = z
  .object({ ip_address: IpSchema, label: text(255).nullable().optional(), is_primary: z.boolean().optional() })
  .strict();

/** The fields people set (never touched by a sync). */
const manualShape = {
  name: z.string().trim().min(1, 'is required').max(255, 'must be at most 255 characters'),
  notes: z.string().max(10_000).nullable().optional(),
  vendor_id: id.nullable().optional(),
  asset_tag: text(100).nullable().optional(),
  room_location: text(100).nullable().optional(),
  sub_location: text(100).nullable().optional(),
  project_id: id.nullable().optional(),
  environment: text(50).nullable().optional(),
  business_owner_id: id.nullable().optional(),
  technical_owner_id: id.nullable().optional(),
  tags: tags.optional(),
  /** MACs and IPs a person added: kept across every sync. */
  macs: z.array(MacSchema).max(100).optional(),
  manual_ips: z.array(ManualIpSchema).max(1000).optional(),
  /** Values of custom fields by key; null clears one. Checked against the definitions. */
  custom_fields: z.record(z.string(), z.unknown()).optional(),
};

export const MANUAL_COLUMNS = ['name', 'notes', 'vendor_id', 'asset_tag', 'room_location', 'sub_location', 'project_id', 'environment', 'business_owner_id', 'technical_owner_id'] as const;
export type ManualColumn = (typeof MANUAL_COLUMNS)[number];

/**
 * A device a person creates: the manual fields, and what they know of the facts (serial, model,
 * kind…), kept as the `manual` source's facts, which any later sync outranks (an override does not).
 */
export const DeviceCreateSchema = z.object({ ...manualShape, ...factShape }).strict();
export type DeviceCreate = z.input<typeof DeviceCreateSchema>;

export const DevicePatchSchema = z.object(manualShape).partial().strict();
export type DevicePatch = z.input<typeof DevicePatchSchema>;

export const ArchiveSchema = z.object({ reason: z.string().trim().min(1, 'is required').max(2000) }).strict();

/**
 * `overrides` of an edit: fact field → the operator's value, or null to clear it. Each value is
 * checked with the field's own fact schema, so a bad one is a 422 at `overrides.<field>`.
 */
export const OverridesSchema = z
  .record(z.string(), z.unknown())
  .superRefine((o, ctx) => {
    for (const [field, value] of Object.entries(o)) {
      if (!(FACT_FIELD_NAMES as string[]).includes(field)) ctx.addIssue({ code: 'custom', path: [field], message: `is not a fact field (one of ${FACT_FIELD_NAMES.join(', ')})` });
      else if (value !== null) {
        const r = FACT_VALUE_SCHEMAS[field as FactField].safeParse(value);
        if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: [field, ...issue.path.map(String)], message: issue.message });
      }
    }
  });

/** One edit of a device: manual fields, overrides to set (a value) or clear (null), a project by name. */
export const DeviceEditSchema = DevicePatchSchema.extend({
  overrides: OverridesSchema.optional(),
  /** A project named rather than referenced (VMI's `project_name`): found, or created. */
  project_name: z.string().trim().max(255).nullable().optional(),
}).strict();
export type DeviceEdit = z.input<typeof DeviceEditSchema>;

/** Tags to add and to remove (VMI's tag button, the panel's bulk bar), without sending the whole list. */
export const TagChangeSchema = z
  .object({ add: z.array(TagSchema).max(MAX_TAGS_PER_LIST).optional(), remove: z.array(TagSchema).max(MAX_TAGS_PER_LIST).optional() })
  .strict()
  .refine((t) => (t.add?.length ?? 0) + (t.remove?.length ?? 0) > 0, { message: 'name tags to add or remove', path: ['add'] });
export type TagChange = z.input<typeof TagChangeSchema>;

/** The same edit for many devices (the panel's bulk bar); a device's name is its own, never bulk-set. */
export const BulkEditSchema = z
  .object({
    ids: z.array(id.max(INT_MAX)).min(1, 'select at least one device').max(1000),
    edit: DeviceEditSchema.omit({ name: true }).optional(),
    tags: TagChangeSchema.optional(),
  })
  .strict()
  .refine((b) => b.edit !== undefined || b.tags !== undefined, { message: 'send edit or tags', path: ['edit'] });
export type BulkEdit = z.input<typeof BulkEditSchema>;

/** One record of a sync: the source's id of it, how to find the device, and what it reported. */
export const FactRecordSchema = z
  .object({
    external_id: z.string().trim().min(1, 'is required').max(255),
    /** The name the source gives it (VM name, sysName): a new device's name, and a fact of its own. */
    name: text(255).nullable().optional(),
    raw: z.unknown().optional(),
    ...factShape,
    macs: z.array(MacSchema).max(100).optional(),
    disks: z.array(DiskSchema).max(1000).optional(),
    nics: z.array(NicSchema).max(1000).optional(),
    /** Addresses not tied to one NIC. */
    ips: z.array(IpSchema).max(1000).optional(),
  })
  .strict();
export type FactRecordInput = z.input<typeof FactRecordSchema>;
export type FactRecord = z.output<typeof FactRecordSchema>;

export const SourceSchema = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be a lower-case source name such as vcenter');

const csvOrList = <T extends z.ZodType>(item: T) => z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(item).max(50));

export const DEVICE_SORTS = ['name', 'kind', 'platform', 'power_state', 'os_type', 'vcpus', 'memory_mb', 'last_seen_at', 'created_at', 'updated_at', 'serial', 'room_location'] as const;

export const DeviceListQuerySchema = z
  .object({
    /** Text across name, hostname, serial, asset tag, UUID (contains), MAC and IP (exact). */
    q: z.string().trim().max(200).optional(),
    kind: csvOrList(z.enum(DEVICE_KINDS)).optional(),
    platform: csvOrList(z.string().trim().toLowerCase().max(32)).optional(),
    power_state: csvOrList(z.string().trim().toLowerCase().max(20)).optional(),
    os_type: z.string().trim().max(255).optional(),
    os_family: z.string().trim().max(64).optional(),
    owner_id: z.coerce.number().int().positive().optional(),
    business_owner_id: z.coerce.number().int().positive().optional(),
    technical_owner_id: z.coerce.number().int().positive().optional(),
    project_id: z.coerce.number().int().positive().optional(),
    environment: z.string().trim().max(50).optional(),
    room_location: z.string().trim().max(100).optional(),
    network: z.string().trim().max(255).optional(),
    tag: z.string().trim().toLowerCase().max(MAX_TAG_NAME_LENGTH).optional(),
    source: z.string().trim().toLowerCase().max(64).optional(),
    mac: MacSchema.optional(),
    serial: z.string().trim().max(255).optional(),
    cluster: z.string().trim().max(255).optional(),
    hypervisor_device_id: z.coerce.number().int().positive().optional(),
    /** Custom field equality filters, by key. */
    custom: z.record(z.string(), z.string().max(2000)).optional(),
    not_seen_days: z.coerce.number().int().min(0).max(36_500).optional(),
    /** only: devices every source that reported them stopped reporting (a complete run missed them); exclude: the others. */
    missing: z.enum(['only', 'exclude'], { error: 'must be only or exclude' }).optional(),
    archived: z.enum(['exclude', 'only', 'include']).default('exclude'),
    sort: z.enum([...DEVICE_SORTS, ...DEVICE_SORTS.map((s) => `-${s}` as const)] as [string, ...string[]]).default('name'),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type DeviceListQuery = z.input<typeof DeviceListQuerySchema>;

export const HistoryQuerySchema = z
  .object({
    device_id: z.coerce.number().int().positive().optional(),
    run_id: z.coerce.number().int().positive().optional(),
    /** Changes at or after this time (`YYYY-MM-DD HH:MM:SS` UTC); `since_hours` counts back from now. */
    since: z.string().trim().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/, 'expected YYYY-MM-DD[ HH:MM:SS]').optional(),
    since_hours: z.coerce.number().int().min(1).max(24 * 366).optional(),
    field: z.string().trim().max(64).optional(),
    /** Changes a person made (their username); a run's rows carry the user who started it. */
    changed_by: z.string().trim().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type HistoryQuery = z.input<typeof HistoryQuerySchema>;
