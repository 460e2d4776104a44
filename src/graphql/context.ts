import { ForbiddenError, UnauthorizedError } from '../domain/errors.js';
import { check, refusal, type Access } from '../services/access.js';
import type { Actor } from '../services/context.js';
import type { Services } from '../services/index.js';
import type { NetBoxSync } from '../services/netbox/sync.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What every resolver gets: the caller, services bound to them, and this request's batch loaders. */
export interface GraphQLContext {
  actor: Actor | null;
  services: Services;
  loaders: Loaders;
  requireLoginForRead: boolean;
  /** NetBox sync (issue 16): runs fn with a sync over the saved connection (409 without one). */
  netbox?: <T>(fn: (sync: NetBoxSync) => Promise<T>) => Promise<T>;
}

export function buildContext(actor: Actor | null, services: Services, requireLoginForRead: boolean, extra: Pick<GraphQLContext, 'netbox'> = {}): GraphQLContext {
  return { actor, services, loaders: createLoaders(services), requireLoginForRead, ...extra };
}

/**
 * The role check of a root field, through the one access policy: the same 401/403 the REST route
 * of the same data answers (src/services/access.ts), as AppErrors the error mask turns into codes.
 */
export function allow(ctx: GraphQLContext, access: Access): void {
  const verdict = check(access, ctx.actor, { requireLoginForRead: ctx.requireLoginForRead });
  if (verdict === 'unauthorized') throw new UnauthorizedError();
  if (verdict === 'forbidden') throw new ForbiddenError(refusal(access));
}
