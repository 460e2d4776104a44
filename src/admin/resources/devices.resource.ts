import type { ResourceWithOptions } from 'adminjs';
import type { AppDeps } from '../../http/deps.js';
import { allow, builtInActions, EVERYONE, NOBODY } from '../access.js';
import { KnexTable } from '../adapter/resource.js';
import { Components } from '../component-loader.js';
import { ADMINISTRATION, INVENTORY } from './navigation.js';

/**
 * Devices, owners and custom fields in the panel (issue 14). Their pages are React workspaces
 * over the REST API (/devices, /owners, /custom-fields), which checks every write's role; the
 * resources only give them a place in the sidebar, a list and a show route. The adapter itself
 * writes nothing (AdminJS's generic new/edit/delete are refused for every role).
 */
function workspace(deps: AppDeps, id: string, table: string, navigation: { name: string; icon: string }, titleProperty: string, columns: string[], list: string, show?: string): ResourceWithOptions {
  return {
    resource: new KnexTable(deps.db, {
      id,
      table,
      writeRoles: NOBODY,
      columns: [{ path: 'id', type: 'number', isId: true, sort: ['id'] }, ...columns.map((path) => ({ path, sort: path === titleProperty ? [path] : undefined }))],
    }),
    options: {
      id,
      navigation,
      titleProperty,
      sort: { sortBy: titleProperty, direction: 'asc' },
      listProperties: columns,
      showProperties: columns,
      actions: {
        ...builtInActions(EVERYONE, NOBODY),
        list: { isAccessible: allow(EVERYONE), component: list, hideActionHeader: true, showFilter: false },
        ...(show ? { show: { isAccessible: allow(EVERYONE), component: show, hideActionHeader: true } } : {}),
      },
    },
  };
}

/** The devices workspace's resources, in sidebar order. */
export function panelDeviceResources(deps: AppDeps): ResourceWithOptions[] {
  return [
    // A device is a row of `hosts` (hosts became devices): the Hosts page stays as it was.
    workspace(deps, 'devices', 'hosts', INVENTORY, 'name', ['name', 'kind', 'platform', 'serial'], Components.DevicesList, Components.DeviceDetail),
    workspace(deps, 'owners', 'owners', INVENTORY, 'full_name', ['full_name', 'email', 'department'], Components.OwnersList),
    workspace(deps, 'custom_fields', 'custom_fields', ADMINISTRATION, 'key', ['key', 'label', 'device_kind', 'type'], Components.CustomFieldsList),
  ];
}
