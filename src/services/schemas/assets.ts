import { z } from 'zod';
import { ASSET_TYPES, normalizeAssetType, type AssetType } from '../../domain/asset-types.js';
import { parseTagList } from '../../domain/tags.js';

/** VM, OS, BMC, VIP, OTHER (case-insensitive; IPMI_iLO → BMC). */
export const assetTypeField = z.string().transform((v, ctx): AssetType => {
  const t = normalizeAssetType(v);
  if (!t) {
    ctx.addIssue({ code: 'custom', message: `must be one of ${ASSET_TYPES.join(', ')}` });
    return z.NEVER;
  }
  return t;
});

/** A list of tag names or "a, b" (one set of limits for both); names are normalised, sorted and de-duplicated. */
export const tagListField = z.union([z.string(), z.array(z.string())]).transform((v, ctx) => {
  const { names, problem } = parseTagList(v);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return names;
});

const id = z.number().int().positive();
const notes = z.string().max(10_000, 'must be at most 10000 characters').nullable();

export const AssetCreateSchema = z
  .object({
    ip_address: z.string().min(1, 'is required').max(100),
    type: assetTypeField,
    project_id: id.nullable().optional(),
    host_id: id.nullable().optional(),
    notes: notes.optional(),
    tags: tagListField.optional(),
    /** Link a BMC without host to server_<ip>; defaults to the server setting. */
    auto_host: z.boolean().optional(),
    if_archived: z
      .enum(['overwrite', 'conflict'])
      .optional()
      .describe(
        'When the address exists only archived: overwrite (default, as the original) restores that row with what was sent (type/project/host/notes; tags kept unless sent); conflict answers 409 with the archived record in `archived_asset`, so the caller can restore it as it was (POST /ip-assets/{ip}/restore) or overwrite it',
      ),
  })
  .strict();
export type AssetCreate = z.input<typeof AssetCreateSchema>;

export const AssetUpdateSchema = z
  .object({
    type: assetTypeField.optional(),
    project_id: id.nullable().optional(),
    host_id: id.nullable().optional(),
    notes: notes.optional(),
    tags: tagListField.optional(),
    archived: z.boolean().optional(),
  })
  .strict();
export type AssetUpdate = z.input<typeof AssetUpdateSchema>;

export const AssetBulkUpdateSchema = z
  .object({
    asset_ids: z.array(id).min(1, 'select at least one asset').max(100_000),
    type: assetTypeField.optional(),
    project_id: id.nullable().optional(),
    add_tags: tagListField.optional(),
    remove_tags: tagListField.optional(),
    notes_mode: z.enum(['set', 'append', 'clear']).optional(),
    notes: z.string().max(10_000).optional(),
    /** false restores archived assets (with their data), true archives them. */
    archived: z.boolean().optional(),
  })
  .strict()
  .refine((v) => v.notes_mode !== 'set' && v.notes_mode !== 'append' ? true : typeof v.notes === 'string', {
    message: 'notes is required when notes_mode is set or append',
    path: ['notes'],
  });
export type AssetBulkUpdate = z.input<typeof AssetBulkUpdateSchema>;

/** A query-string switch: 1/0, true/false, yes/no, on/off (a bare "?x" counts as on). */
export const queryFlag = z
  .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])])
  .transform((v) => v === true || v === '' || v === '1' || v === 'true' || v === 'yes' || v === 'on');

const csvOrList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));

/** Filters of the IP list; every surface (API query string, panel, export) parses with this. */
export const AssetListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  /** A project id, or "unassigned". */
  project_id: z.union([z.literal('unassigned'), z.coerce.number().int().positive()]).optional(),
  project: z.string().trim().max(128).optional(),
  type: csvOrList.pipe(z.array(assetTypeField)).optional(),
  host_id: z.coerce.number().int().positive().optional(),
  unassigned_only: queryFlag.optional(),
  archived: z.enum(['active', 'archived', 'all']).default('active'),
  tags: csvOrList.pipe(z.array(z.string().trim().toLowerCase())).optional(),
  tag_match: z.enum(['any', 'all', 'not']).default('any'),
  /** Last seen more than this many days ago (addresses never seen are not included). */
  not_seen_days: z.coerce.number().int().min(1).max(36_500).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).max(100_000_000).default(0),
});
export type AssetListQuery = z.input<typeof AssetListQuerySchema>;
export type AssetListFilter = z.output<typeof AssetListQuerySchema>;
