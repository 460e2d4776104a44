import { ASSET_TYPES } from '../../domain/asset-types.js';
import type { Asset } from '../../services/assets/wire.js';
import type { AssetListQuery } from '../../services/schemas/assets.js';
import { builder, level, restQuery, toId } from '../builder.js';
import { HostRef, ProjectRef } from '../catalog/types.js';

const AssetType = builder.enumType('AssetType', { values: ASSET_TYPES });
const ArchivedFilter = builder.enumType('ArchivedFilter', { values: { ACTIVE: { value: 'active' }, ARCHIVED: { value: 'archived' }, ALL: { value: 'all' } } as const });
const TagMatch = builder.enumType('TagMatch', { values: { ANY: { value: 'any' }, ALL: { value: 'all' }, NOT: { value: 'not' } } as const });

const TagChipRef = builder.objectRef<{ name: string; color: string }>('TagChip').implement({
  fields: (t) => ({ name: t.exposeString('name'), color: t.exposeString('color') }),
});

export const IPAssetRef = builder.objectRef<Asset>('IPAsset').implement({
  description: 'An IP address in the inventory.',
  fields: (t) => ({
    id: t.exposeID('id'),
    ipAddress: t.exposeString('ip_address'),
    type: t.expose('type', { type: AssetType }),
    notes: t.exposeString('notes', { nullable: true }),
    archived: t.exposeBoolean('archived'),
    tags: t.exposeStringList('tags', { description: 'Tag names, sorted.' }),
    tagChips: t.field({ type: [TagChipRef], description: 'Tags with their colours.', resolve: (a, _args, ctx) => ctx.loaders.assetTags.load(a.id) }),
    projectId: t.exposeID('project_id', { nullable: true }),
    project: t.field({ type: ProjectRef, nullable: true, resolve: (a, _args, ctx) => (a.project_id === null ? null : ctx.loaders.project.load(a.project_id)) }),
    hostId: t.exposeID('host_id', { nullable: true }),
    host: t.field({ type: HostRef, nullable: true, resolve: (a, _args, ctx) => (a.host_id === null ? null : ctx.loaders.host.load(a.host_id)) }),
    lastSeenAt: t.expose('last_seen_at', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    updatedAt: t.expose('updated_at', { type: 'DateTime' }),
  }),
});

const IPAssetPageRef = builder.objectRef<{ items: Asset[]; total: number; total_exact: boolean }>('IPAssetPage').implement({
  fields: (t) => ({
    items: t.expose('items', { type: [IPAssetRef] }),
    total: t.exposeInt('total'),
    totalExact: t.exposeBoolean('total_exact', { description: 'False when a large text or tag match stopped counting at its cap (total is then a lower bound).' }),
  }),
});

builder.queryFields((t) => ({
  ipAssets: t.field({
    type: IPAssetPageRef,
    description: 'IP assets in address order, one page, with the filters of GET /ip-assets.',
    extensions: level('read'),
    args: {
      q: t.arg.string({ description: 'An address, a CIDR, the start of an address, or text in address, notes and host name.' }),
      projectId: t.arg.string({ description: 'A project id, or "unassigned".' }),
      project: t.arg.string({ description: 'A project name.' }),
      type: t.arg({ type: [AssetType] }),
      hostId: t.arg.id(),
      unassignedOnly: t.arg.boolean(),
      archived: t.arg({ type: ArchivedFilter }),
      tags: t.arg.stringList(),
      tagMatch: t.arg({ type: TagMatch }),
      notSeenDays: t.arg.int({ description: 'Last seen more than this many days ago.' }),
      limit: t.arg.int({ description: '1–1000, 50 unless given.' }),
      offset: t.arg.int(),
    },
    resolve: (_root, a, ctx) => ctx.services.assets.list(restQuery(a) as AssetListQuery),
  }),
  ipAsset: t.field({
    type: IPAssetRef,
    nullable: true,
    description: 'One live IP asset by address (any spelling); null when there is none.',
    extensions: level('read'),
    args: { ipAddress: t.arg.string({ required: true }) },
    resolve: async (_root, a, ctx) => {
      const asset = await ctx.services.assets.findByAddress(a.ipAddress);
      return asset && !asset.archived ? asset : null;
    },
  }),
  ipAssetById: t.field({
    type: IPAssetRef,
    extensions: level('read'),
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, a, ctx) => ctx.services.assets.getById(toId(a.id, 'id')),
  }),
}));
