import type { AppDeps } from '../../http/deps.js';
import { servicesConfig } from '../../plugins/catalog.js';
import type { Actor } from '../../services/context.js';
import { createServices, type Services } from '../../services/index.js';
import type { WriteContext } from '../adapter/spec.js';

/** Who a panel list decorator reads as: it only counts and sums, so a nameless viewer. */
export const PANEL_READER: Actor = { userId: null, username: null, role: 'viewer' };

/** The services for a panel write (the actor is the logged-in user; ctx.db may be the adapter's transaction) or a list decorator (PANEL_READER). */
export function panelServices(ctx: WriteContext, deps: AppDeps): Services {
  return createServices({ db: ctx.db, actor: ctx.actor }, servicesConfig(deps.config));
}

/** Copies only the keys present (undefined means "not in the form": leave unchanged). */
export function present(values: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
}
