import type { ResourceWithOptions } from 'adminjs';
import type { AppDeps } from '../../http/deps.js';
import type { RangesService } from '../../services/ranges/service.js';
import { allow, builtInActions, EDITORS, EVERYONE } from '../access.js';
import { KnexTable } from '../adapter/resource.js';
import { Components } from '../component-loader.js';
import { INVENTORY } from './navigation.js';
import { PANEL_READER, panelServices, present } from './writer-context.js';

/** Utilization of the ranges on the page, from the service (counted together by the key-space module). */
async function withUtilization(ranges: RangesService, rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const byId = await ranges.utilizationByIds(rows.map((r) => Number(r.id)));
  return rows.map((r) => {
    const u = byId.get(Number(r.id));
    return u ? { ...r, usable: String(u.usable), used: u.used, free: String(u.free), utilization: u.percent } : r;
  });
}

const FIELDS = ['name', 'cidr', 'notes'] as const;

/** IPv4 and IPv6 ranges with their utilization. */
export function rangesResource(deps: AppDeps): ResourceWithOptions {
  return {
    resource: new KnexTable(deps.db, {
      id: 'ranges',
      table: 'ranges',
      writeRoles: EDITORS,
      columns: [
        { path: 'id', type: 'number', isId: true, sort: ['id'] },
        { path: 'name', sort: ['name'], editable: true, required: true },
        { path: 'cidr', sort: ['ip_version', 'first_key', 'prefix'], sortIsUnique: true, editable: true, required: true },
        { path: 'ip_version', type: 'number', availableValues: ['4', '6'], filter: 'number' },
        { path: 'usable', column: null },
        { path: 'used', type: 'number', column: null },
        { path: 'free', column: null },
        { path: 'utilization', type: 'number', column: null },
        { path: 'notes', type: 'textarea', editable: true },
        { path: 'created_at', sort: ['created_at'] },
        { path: 'updated_at', sort: ['updated_at'] },
      ],
      decorate: async (db, rows, { light }) => (light ? rows : withUtilization(panelServices({ db, actor: PANEL_READER }, deps).ranges, rows)),
      writer: {
        create: async (ctx, v) => (await panelServices(ctx, deps).ranges.create(present(v, FIELDS) as { name: string; cidr: string })).id,
        update: async (ctx, id, v) => void (await panelServices(ctx, deps).ranges.update(id, present(v, FIELDS))),
        delete: (ctx, id) => panelServices(ctx, deps).ranges.delete(id),
      },
    }),
    options: {
      id: 'ranges',
      navigation: INVENTORY,
      titleProperty: 'name',
      sort: { sortBy: 'cidr', direction: 'asc' },
      listProperties: ['name', 'cidr', 'usable', 'used', 'free', 'utilization'],
      filterProperties: ['name', 'cidr', 'ip_version'],
      showProperties: ['name', 'cidr', 'ip_version', 'usable', 'used', 'free', 'utilization', 'notes', 'created_at', 'updated_at'],
      editProperties: ['name', 'cidr', 'notes'],
      properties: {
        utilization: { components: { list: Components.UtilizationBar, show: Components.UtilizationBar } },
        ip_version: { components: { list: Components.ValueChip, show: Components.ValueChip } },
      },
      actions: {
        ...builtInActions(EVERYONE, EDITORS),
        // One table with drawers over the REST API (components/ranges).
        list: { isAccessible: allow(EVERYONE), component: Components.RangesList, hideActionHeader: true, showFilter: false },
        // The drill-down: every address used or free, a window over the sorted used keys.
        addresses: {
          actionType: 'record',
          icon: 'List',
          isAccessible: allow(EVERYONE),
          component: Components.RangeAddresses,
          hideActionHeader: true,
          handler: async (_request, _response, context) => ({ record: context.record!.toJSON(context.currentAdmin) }),
        },
      },
    },
  };
}
