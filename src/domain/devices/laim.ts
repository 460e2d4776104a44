import { z } from 'zod';

/**
 * LAIM (the lab hardware inventory of seed 004) on the one device model: its item categories,
 * its wire field names and the translation both ways. Its routes (`/api/items`, `/api/stats`)
 * take and answer these names so LAIM's users and scripts can switch unchanged.
 */

/** LAIM's seven hardware categories, as it spells them, with the device kind each is. */
export const LAIM_ITEM_TYPES = {
  Laptop: 'laptop',
  Desktop: 'desktop',
  'Smart TV': 'smart_tv',
  Server: 'server',
  WAP: 'wap',
  Router: 'router',
  Switch: 'switch',
} as const;
export type LaimItemType = keyof typeof LAIM_ITEM_TYPES;
export type LaimKind = (typeof LAIM_ITEM_TYPES)[LaimItemType];

/** The device kinds LAIM shows: the rest (VMs, hypervisors, storage) are not lab hardware items. */
export const LAIM_KINDS: readonly LaimKind[] = Object.values(LAIM_ITEM_TYPES);

const BY_KIND = new Map<string, LaimItemType>(Object.entries(LAIM_ITEM_TYPES).map(([type, kind]) => [kind, type as LaimItemType]));
/** Spellings LAIM's users type or its enum stored (`SMART_TV`, `smart tv`, `access point`). */
const ALIASES: Record<string, LaimKind> = { smarttv: 'smart_tv', tv: 'smart_tv', accesspoint: 'wap', ap: 'wap' };

/** LAIM's category name for a device kind; null for kinds LAIM has no category for. */
export function laimItemType(kind: string): LaimItemType | null {
  return BY_KIND.get(kind) ?? null;
}

/** The device kind of a LAIM category, read case- and separator-insensitively; null when it is none of the seven. */
export function kindOfLaimItemType(input: string): LaimKind | null {
  const key = input.trim().toLowerCase().replace(/[\s_-]+/g, '');
  for (const [type, kind] of Object.entries(LAIM_ITEM_TYPES)) if (type.toLowerCase().replace(/\s+/g, '') === key || kind.replace(/_/g, '') === key) return kind;
  return ALIASES[key] ?? null;
}

/** Where a LAIM record came from (`merged`: both sync sources reported it). */
export const LAIM_SOURCES = ['manual', 'netdisco', 'librenms', 'merged'] as const;
export type LaimSource = (typeof LAIM_SOURCES)[number];

const itemType = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const kind = kindOfLaimItemType(v);
    if (!kind) ctx.addIssue({ code: 'custom', message: `must be one of ${Object.keys(LAIM_ITEM_TYPES).join(', ')}` });
    return kind ?? z.NEVER;
  });

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const optionalText = (max: number) =>
  text(max)
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v));

/** A LAIM item as its create form and API send it (POST /api/items): the seed's field names. */
export const LaimItemCreateSchema = z
  .object({
    hostname: text(255).min(1, 'is required'),
    serial_number: optionalText(255),
    mac_address: optionalText(64),
    asset_tag: optionalText(100),
    item_type: itemType,
    room_location: optionalText(100),
    sub_location: optionalText(100),
    notes: z.string().max(10_000, 'must be at most 10000 characters').nullable().optional(),
    ip_address: optionalText(100),
    model: optionalText(255),
    vendor: optionalText(255),
    firmware_version: optionalText(100),
  })
  .strict();
export type LaimItemCreate = z.output<typeof LaimItemCreateSchema>;

/** PUT /api/items/{id}: the fields sent change, the rest stay (LAIM's edit form sends them all). */
export const LaimItemUpdateSchema = LaimItemCreateSchema.partial().strict();
export type LaimItemUpdate = z.output<typeof LaimItemUpdateSchema>;

/** GET /api/items: LAIM's search box, category chips and room filter, plus paging. */
export const LaimItemListQuerySchema = z
  .object({
    search: text(200).optional(),
    item_type: itemType.optional(),
    room_location: text(100).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type LaimItemListQuery = z.output<typeof LaimItemListQuerySchema>;

/**
 * A LAIM item in the device model's terms: `manual` are fields people own (name, asset tag,
 * placement, notes, the MAC and IP they typed), `facts` what a sync may also report (category,
 * serial, model, vendor, firmware): kept as the manual source's facts on create, as overrides
 * on an edit, so a later sync never undoes what a person typed. Only keys present in the body appear.
 */
export interface LaimDeviceEdit {
  manual: {
    name?: string;
    asset_tag?: string | null;
    room_location?: string | null;
    sub_location?: string | null;
    notes?: string | null;
    macs?: string[];
    manual_ips?: { ip_address: string }[];
  };
  facts: { kind?: LaimKind; serial?: string | null; model?: string | null; vendor?: string | null; firmware_version?: string | null };
}

/** A parsed LAIM body → device fields (PUT changes what it sends; an empty MAC or IP clears it). */
export function laimToDevice(item: LaimItemUpdate): LaimDeviceEdit {
  const manual: LaimDeviceEdit['manual'] = {};
  const facts: LaimDeviceEdit['facts'] = {};
  if (item.hostname !== undefined) manual.name = item.hostname;
  if (item.asset_tag !== undefined) manual.asset_tag = item.asset_tag;
  if (item.room_location !== undefined) manual.room_location = item.room_location;
  if (item.sub_location !== undefined) manual.sub_location = item.sub_location;
  if (item.notes !== undefined) manual.notes = item.notes;
  if (item.mac_address !== undefined) manual.macs = item.mac_address ? [item.mac_address] : [];
  if (item.ip_address !== undefined) manual.manual_ips = item.ip_address ? [{ ip_address: item.ip_address }] : [];
  if (item.item_type !== undefined) facts.kind = item.item_type;
  if (item.serial_number !== undefined) facts.serial = item.serial_number;
  if (item.model !== undefined) facts.model = item.model;
  if (item.vendor !== undefined) facts.vendor = item.vendor;
  if (item.firmware_version !== undefined) facts.firmware_version = item.firmware_version;
  return { manual, facts };
}

/** What LAIM calls a record's origin, from the sources that reported the device (none: typed in by hand). */
export function laimSource(sources: readonly string[]): LaimSource {
  const synced = [...new Set(sources.filter((s) => s === 'netdisco' || s === 'librenms'))];
  if (synced.length > 1) return 'merged';
  return (synced[0] as LaimSource | undefined) ?? 'manual';
}
