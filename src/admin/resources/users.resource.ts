import type { ResourceWithOptions } from 'adminjs';
import type { AppDeps } from '../../http/deps.js';
import { ROLES } from '../../services/context.js';
import { builtInActions, SUPERUSERS } from '../access.js';
import { KnexTable } from '../adapter/resource.js';
import { Components } from '../component-loader.js';
import { ADMINISTRATION } from './navigation.js';
import { panelServices, present } from './writer-context.js';

/**
 * Users: a Superuser's page only (every action, list and search included). The password hash
 * is never selected; `password` is a write-only field (set on create, reset on edit).
 */
export function usersResource(deps: AppDeps): ResourceWithOptions {
  return {
    resource: new KnexTable(deps.db, {
      id: 'users',
      table: 'users',
      writeRoles: SUPERUSERS,
      columns: [
        { path: 'id', type: 'number', isId: true, sort: ['id'] },
        { path: 'username', sort: ['username'], sortIsUnique: true, editable: true, required: true },
        { path: 'role', availableValues: ROLES, filter: 'equals', sort: ['role'], editable: true, required: true },
        { path: 'is_active', type: 'boolean', editable: true },
        { path: 'password', type: 'password', column: null, editable: true },
        { path: 'created_at', sort: ['created_at'] },
        { path: 'updated_at', sort: ['updated_at'] },
      ],
      writer: {
        async create(ctx, v) {
          const input = present(v, ['username', 'role', 'is_active', 'password']);
          if (input.is_active === null) delete input.is_active;
          return (await panelServices(ctx, deps).users.create({ password: '', ...input } as never)).id;
        },
        async update(ctx, id, v) {
          const input = present(v, ['username', 'role', 'is_active', 'password']);
          // An empty password field on edit means "keep the current one".
          if (input.password === null) delete input.password;
          if (input.is_active === null) delete input.is_active;
          // UsersService refuses a change of one's own role (field "role"), as it does over the API.
          await panelServices(ctx, deps).users.update(id, input);
        },
        delete: (ctx, id) => panelServices(ctx, deps).users.delete(id),
      },
    }),
    options: {
      id: 'users',
      navigation: ADMINISTRATION,
      titleProperty: 'username',
      sort: { sortBy: 'username', direction: 'asc' },
      listProperties: ['username', 'role', 'is_active', 'created_at'],
      filterProperties: ['username', 'role', 'is_active'],
      showProperties: ['username', 'role', 'is_active', 'created_at', 'updated_at'],
      editProperties: ['username', 'role', 'is_active', 'password'],
      properties: {
        role: { components: { list: Components.ValueChip, show: Components.ValueChip } },
        // New users are active unless unticked (the service's default), and the form says so.
        is_active: { components: { edit: Components.DefaultOnCheckbox } },
        password: { isVisible: { list: false, filter: false, show: false, edit: true }, description: 'At least 8 characters. On edit, leave empty to keep the current password.' },
      },
      actions: builtInActions(SUPERUSERS, SUPERUSERS),
    },
  };
}
