import type { ResourceWithOptions } from 'adminjs';
import type { AppDeps } from '../../http/deps.js';
import type { HostsService } from '../../services/hosts.js';
import { allow, builtInActions, EDITORS, EVERYONE } from '../access.js';
import { Components } from '../component-loader.js';
import { KnexTable } from '../adapter/resource.js';
import { INVENTORY } from './navigation.js';
import { PANEL_READER, panelServices, present } from './writer-context.js';

/** Linked active IPs per host of the page (one grouped query, in the hosts service). */
async function withIpCount(hosts: HostsService, rows: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const byId = await hosts.ipCounts(rows.map((r) => Number(r.id)));
  return rows.map((r) => ({ ...r, ip_count: byId.get(Number(r.id)) ?? 0 }));
}

const FIELDS = ['name', 'vendor_id', 'notes'] as const;

/** Hosts (servers, devices) carrying IP assets. */
export function hostsResource(deps: AppDeps): ResourceWithOptions {
  return {
    resource: new KnexTable(deps.db, {
      id: 'hosts',
      table: 'hosts',
      writeRoles: EDITORS,
      columns: [
        { path: 'id', type: 'number', isId: true, sort: ['id'] },
        { path: 'name', sort: ['name'], sortIsUnique: true, editable: true, required: true },
        { path: 'vendor_id', reference: 'vendors', editable: true },
        { path: 'ip_count', type: 'number', column: null },
        { path: 'notes', type: 'textarea', editable: true },
        { path: 'created_at', sort: ['created_at'] },
        { path: 'updated_at', sort: ['updated_at'] },
      ],
      decorate: async (db, rows, { light }) => (light ? rows : withIpCount(panelServices({ db, actor: PANEL_READER }, deps).hosts, rows)),
      writer: {
        create: async (ctx, v) => (await panelServices(ctx, deps).hosts.create(present(v, FIELDS) as { name: string })).id,
        update: async (ctx, id, v) => void (await panelServices(ctx, deps).hosts.update(id, present(v, FIELDS))),
        delete: (ctx, id) => panelServices(ctx, deps).hosts.delete(id),
      },
    }),
    options: {
      id: 'hosts',
      navigation: INVENTORY,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'vendor_id', 'ip_count', 'notes'],
      filterProperties: ['name', 'vendor_id', 'notes'],
      showProperties: ['name', 'vendor_id', 'ip_count', 'notes', 'created_at', 'updated_at'],
      editProperties: ['name', 'vendor_id', 'notes'],
      actions: {
        ...builtInActions(EVERYONE, EDITORS),
        // Search, project badges and drawers over the REST API (components/hosts).
        list: { isAccessible: allow(EVERYONE), component: Components.HostsList, hideActionHeader: true, showFilter: false },
      },
    },
  };
}
