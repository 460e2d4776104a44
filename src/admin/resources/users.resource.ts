import type { ResourceWithOptions } from 'adminjs';
import type { AppDeps } from '../../http/deps.js';
import { ROLES } from '../../services/context.js';
import { builtInActions, SUPERUSERS } from '../access.js';
import { KnexTable } from '../adapter/resource.js';
import { Components } from '../component-loader.js';
import { ADMINISTRATION } from './navigation.js';
import { panelServices, present } from './writer-context.js';

/** What the panel's user form may send (the service's zod schemas check each). */
const WRITABLE = ['username', 'full_name', 'email', 'designation', 'department', 'role', 'is_active', 'must_change_password', 'password'];

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
        { path: 'full_name', sort: ['full_name'], editable: true },
        { path: 'email', sort: ['email'], editable: true },
        { path: 'designation', editable: true },
        { path: 'department', sort: ['department'], editable: true },
        { path: 'must_change_password', type: 'boolean', editable: true },
        { path: 'last_login_at', sort: ['last_login_at'] },
        { path: 'password', type: 'password', column: null, editable: true },
        { path: 'created_at', sort: ['created_at'] },
        { path: 'updated_at', sort: ['updated_at'] },
      ],
      writer: {
        async create(ctx, v) {
          const input = present(v, WRITABLE);
          for (const flag of ['is_active', 'must_change_password']) if (input[flag] === null) delete input[flag];
          return (await panelServices(ctx, deps).users.create({ password: '', ...input } as never)).id;
        },
        async update(ctx, id, v) {
          const input = present(v, WRITABLE);
          // An empty password field on edit means "keep the current one". A new one set here is a
          // reset: the user chooses their own at the next login (the form's unticked box is the
          // stored value, not a choice; the API can reset without it).
          if (input.password === null) delete input.password;
          for (const flag of ['is_active', 'must_change_password']) if (input[flag] === null) delete input[flag];
          if (input.password && input.must_change_password === false) delete input.must_change_password;
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
      listProperties: ['username', 'full_name', 'email', 'department', 'role', 'is_active', 'last_login_at'],
      filterProperties: ['username', 'full_name', 'email', 'department', 'role', 'is_active', 'must_change_password'],
      showProperties: ['username', 'full_name', 'email', 'designation', 'department', 'role', 'is_active', 'must_change_password', 'last_login_at', 'created_at', 'updated_at'],
      editProperties: ['username', 'full_name', 'email', 'designation', 'department', 'role', 'is_active', 'must_change_password', 'password'],
      properties: {
        role: { components: { list: Components.ValueChip, show: Components.ValueChip } },
        // New users are active unless unticked (the service's default), and the form says so.
        is_active: { components: { edit: Components.DefaultOnCheckbox } },
        must_change_password: { description: 'The user must choose a new password at the next login; set by itself when you reset their password here.' },
        password: { isVisible: { list: false, filter: false, show: false, edit: true }, description: 'At least 8 characters. On edit, leave empty to keep the current password.' },
      },
      actions: builtInActions(SUPERUSERS, SUPERUSERS),
    },
  };
}
