import type { ResourceWithOptions } from 'adminjs';
import { ASSET_TYPES } from '../../domain/asset-types.js';
import { ValidationError } from '../../domain/errors.js';
import { tryParseAddress } from '../../domain/ip/address.js';
import type { AppDeps } from '../../http/deps.js';
import { whereArchived, whereLive } from '../../services/assets/scope.js';
import type { AssetsService } from '../../services/assets/service.js';
import { actorOf, allow, builtInActions, EDITORS, EVERYONE } from '../access.js';
import { toAdminError } from '../adapter/errors.js';
import { KnexTable } from '../adapter/resource.js';
import type { TableSpec, WriteContext } from '../adapter/spec.js';
import { Components } from '../component-loader.js';
import { addressFilter, notesFilter, tagFilter } from './filters.js';
import { INVENTORY } from './navigation.js';
import { PANEL_READER, panelServices } from './writer-context.js';

/** Tag names ("a, b", editable) and their colours (for chips) for a page of assets, from the assets service. */
async function withTags(assets: AssetsService, rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const chips = await assets.tagChips(rows.map((r) => Number(r.id)));
  return rows.map((row) => {
    const mine = chips.get(Number(row.id)) ?? [];
    return { ...row, tags: mine.map((t) => t.name).join(', '), tag_chips: JSON.stringify(mine) };
  });
}

function service(ctx: WriteContext, deps: AppDeps): AssetsService {
  return panelServices(ctx, deps).assets;
}

function spec(deps: AppDeps): TableSpec {
  return {
    id: 'ip_assets',
    table: 'ip_assets',
    writeRoles: EDITORS,
    // Archived (soft-deleted) assets stay out of the list unless asked for, as in the original.
    defaultScope: { unlessFiltered: 'archived', apply: (q) => whereLive(q, 't'), hidden: (q) => whereArchived(q, 't') },
    columns: [
      { path: 'id', type: 'number', isId: true, sort: ['id'] },
      { path: 'ip_address', filter: addressFilter, sort: ['ip_version', 'ip_key'], sortIsUnique: true, editable: true, required: true },
      { path: 'type', availableValues: ASSET_TYPES, filter: 'equals', sort: ['type', 'ip_version', 'ip_key'], sortIsUnique: true, editable: true, required: true },
      { path: 'project_id', reference: 'projects', sort: ['project_id', 'ip_version', 'ip_key'], sortIsUnique: true, editable: true },
      { path: 'host_id', reference: 'hosts', editable: true },
      { path: 'tags', column: null, filter: tagFilter, capsCount: true, editable: true },
      { path: 'notes', type: 'textarea', filter: notesFilter, capsCount: true, editable: true },
      { path: 'archived', type: 'boolean', editable: true },
      { path: 'last_seen_at' },
      { path: 'created_at' },
      { path: 'updated_at' },
    ],
    decorate: (db, rows) => withTags(service({ db, actor: PANEL_READER }, deps), rows),
    writer: {
      async create(ctx, v) {
        const asset = await service(ctx, deps).create({
          ip_address: (v.ip_address as string | null) ?? '',
          type: (v.type as string | null) ?? '',
          project_id: v.project_id as number | null,
          host_id: v.host_id as number | null,
          notes: v.notes as string | null,
          ...(v.tags ? { tags: v.tags as string } : {}),
        });
        return asset.id;
      },
      async update(ctx, id, v) {
        const assets = service(ctx, deps);
        const current = await assets.getById(id);
        const typed = typeof v.ip_address === 'string' ? tryParseAddress(v.ip_address) : null;
        if (typeof v.ip_address === 'string' && typed?.address !== current.ip_address) {
          throw ValidationError.field('ip_address', 'The address of an asset cannot change; add the new address and archive this one.');
        }
        await assets.update(current.ip_address, {
          ...(v.type !== undefined ? { type: (v.type as string | null) ?? '' } : {}),
          ...(v.project_id !== undefined ? { project_id: v.project_id as number | null } : {}),
          ...(v.host_id !== undefined ? { host_id: v.host_id as number | null } : {}),
          ...(v.notes !== undefined ? { notes: v.notes as string | null } : {}),
          ...(v.tags !== undefined ? { tags: (v.tags as string | null) ?? [] } : {}),
          ...(v.archived !== undefined && v.archived !== null ? { archived: v.archived as boolean } : {}),
        });
      },
      async delete(ctx, id) {
        const assets = service(ctx, deps);
        await assets.delete((await assets.getById(id)).ip_address);
      },
    },
  };
}

/** IP assets: the inventory's core list, in numeric address order. */
export function ipAssetsResource(deps: AppDeps): ResourceWithOptions {
  return {
    resource: new KnexTable(deps.db, spec(deps)),
    options: {
      id: 'ip_assets',
      navigation: INVENTORY,
      titleProperty: 'ip_address',
      sort: { sortBy: 'ip_address', direction: 'asc' },
      listProperties: ['ip_address', 'type', 'project_id', 'host_id', 'tags', 'notes'],
      filterProperties: ['ip_address', 'type', 'project_id', 'host_id', 'tags', 'notes', 'archived'],
      showProperties: ['ip_address', 'type', 'project_id', 'host_id', 'tags', 'notes', 'archived', 'last_seen_at', 'created_at', 'updated_at'],
      // Archiving is its own action; adding an archived address again restores it (as in the original).
      editProperties: ['ip_address', 'type', 'project_id', 'host_id', 'tags', 'notes'],
      properties: {
        project_id: { components: { list: Components.ReferenceChip, show: Components.ReferenceChip } },
        tags: { components: { list: Components.TagChips, show: Components.TagChips }, description: 'Comma-separated, e.g. "prod, edge"' },
        type: { components: { list: Components.ValueChip, show: Components.ValueChip } },
        notes: { isSortable: false },
      },
      actions: {
        ...builtInActions(EVERYONE, EDITORS),
        // The workspace (components/ip-assets): its own filters, drawers and bulk edit over the REST API.
        list: { isAccessible: allow(EVERYONE), component: Components.IpAssetsList, hideActionHeader: true, showFilter: false },
        show: { isAccessible: allow(EVERYONE), component: Components.IpAssetDetail, hideActionHeader: true },
        // A custom action is checked like the built-in ones (server-side isAccessible).
        archive: {
          actionType: 'record',
          icon: 'Archive',
          component: false,
          guard: 'archiveGuard',
          isAccessible: allow(EDITORS),
          isVisible: ({ currentAdmin, record }) => allow(EDITORS)({ currentAdmin } as never) && record?.param('archived') !== true,
          handler: async (request, _response, context) => {
            const { record, currentAdmin, h, resource } = context;
            // AdminJS routes record actions for GET and POST alike: a GET (a link, a prefetch) only shows the record.
            if (request.method !== 'post') return { record: record!.toJSON(currentAdmin) };
            const assets = service({ db: deps.db, actor: actorOf(currentAdmin) }, deps);
            try {
              await assets.archive(String(record!.param('ip_address')));
            } catch (err) {
              throw toAdminError(err, new Map());
            }
            return {
              record: record!.toJSON(currentAdmin),
              redirectUrl: h.resourceUrl({ resourceId: resource._decorated?.id() ?? resource.id() }),
              notice: { message: 'assetArchived', type: 'success' },
            };
          },
        },
      },
    },
  };
}
