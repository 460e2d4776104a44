import type { ActionContext, ResourceOptions } from 'adminjs';
import { ACCESS } from '../services/access.js';
import type { Actor, Role } from '../services/context.js';
import { bulkDeleteInOneTransaction } from './bulk-delete.js';

// The panel's role sets are the levels of the one access policy (src/services/access.ts): the
// panel has no anonymous pages, so "read" there is the login level.
export const EVERYONE: readonly Role[] = ACCESS.login.roles;
export const EDITORS: readonly Role[] = ACCESS.editor.roles;
export const SUPERUSERS: readonly Role[] = ACCESS.superuser.roles;
export const NOBODY: readonly Role[] = [];

type Admin = { role?: string } | undefined;

/** An isAccessible/isVisible predicate for the given roles (the role is refreshed from the database per request). */
export function allow(roles: readonly Role[]): (ctx: ActionContext) => boolean {
  return ({ currentAdmin }) => hasRole(currentAdmin as Admin, roles);
}

function hasRole(admin: Admin, roles: readonly Role[]): boolean {
  return !!admin?.role && (roles as readonly string[]).includes(admin.role);
}

/**
 * isAccessible for every built-in action, including `search` (open by default) and bulkDelete.
 * `isVisible` would only hide buttons; isAccessible is what the server checks before a handler runs.
 */
export function builtInActions(read: readonly Role[], write: readonly Role[]): NonNullable<ResourceOptions['actions']> {
  const r = allow(read);
  const w = allow(write);
  return {
    list: { isAccessible: r },
    search: { isAccessible: r },
    show: { isAccessible: r },
    new: { isAccessible: w },
    edit: { isAccessible: w },
    delete: { isAccessible: w },
    bulkDelete: { isAccessible: w, handler: bulkDeleteInOneTransaction },
  };
}

/** The service actor for the logged-in panel user. */
export function actorOf(currentAdmin: unknown): Actor {
  const a = currentAdmin as { id?: unknown; username?: string; role?: Role } | undefined;
  return { userId: a?.id === undefined ? null : Number(a.id), username: a?.username ?? null, role: a?.role ?? 'viewer' };
}
