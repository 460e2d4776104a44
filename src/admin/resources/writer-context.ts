import type { ServiceContext } from '../../services/context.js';
import type { WriteContext } from '../adapter/spec.js';

/** The service context for a panel write (the actor is the logged-in user). */
export function serviceContext(ctx: WriteContext): ServiceContext {
  return { db: ctx.db, actor: ctx.actor };
}

/** Copies only the keys present (undefined means "not in the form": leave unchanged). */
export function present(values: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
}
