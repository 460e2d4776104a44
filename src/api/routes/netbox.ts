import type { Request } from 'express';
import { z } from 'zod';
import { ConflictError } from '../../domain/errors.js';
import { netboxSettings, netboxSyncFor } from '../../plugins/netbox-sync.js';
import type { Services } from '../../services/index.js';
import { ConflictListSchema, ResolveAllSchema, ResolveSchema } from '../../services/netbox/conflicts.js';
import { NetBoxOutbox } from '../../services/netbox/outbox.js';
import { NetBoxResolver } from '../../services/netbox/resolve.js';
import type { NetBoxSync } from '../../services/netbox/sync.js';
import { parseInput } from '../../services/validate.js';
import { idParam } from '../http.js';
import type { ApiContext, RouteSpec } from '../route-table.js';
import { IPM } from './ip-management.js';

const TAG = 'netbox';
const RunsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20), offset: z.coerce.number().int().min(0).default(0) }).strict();

/** Runs fn with a sync over the saved connection (closed after); 409 when no connection is saved. */
export async function withNetBoxSync<T>(req: Request, ctx: ApiContext, fn: (sync: NetBoxSync, services: Services) => Promise<T>): Promise<T> {
  const services = ctx.services(req);
  const settings = await netboxSettings(services.connectorConfigs);
  if (!settings) throw new ConflictError('No NetBox connection is saved: create a connector configuration of plugin "netbox" (url, token) first.', 'netbox');
  const sync = netboxSyncFor(ctx.deps.db, req.actor!, settings);
  try {
    return await fn(sync, services);
  } finally {
    sync.close();
  }
}

/**
 * NetBox sync (issue 16) under the seed's prefix: push/sync a pool, sync all, import a prefix,
 * conflicts (list, resolve one or all), status and run history. Editors write, viewers read.
 * NetBox's own failures answer 502 with its message (a 400's fields, 401/403 on the token…).
 */
export const netboxRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: `${IPM}/pools/:pool_id/sync-netbox`,
    access: 'editor',
    tag: TAG,
    summary: 'Syncs one pool with NetBox now: queued pushes first, then the prefix and its addresses compared; differences become conflicts. Answers the run (counts, log).',
    params: z.object({ pool_id: z.string() }),
    errors: [404, 409, 422, 502],
    async handler(req, res, ctx) {
      const id = idParam(req, 'pool_id');
      res.json(await withNetBoxSync(req, ctx, (sync) => sync.syncPool(id)));
    },
  },
  {
    method: 'post',
    path: `${IPM}/netbox/sync`,
    access: 'editor',
    tag: TAG,
    summary: 'Bulk sync of every pool with NetBox now (what the hourly job runs). Answers the run.',
    errors: [409, 502],
    async handler(req, res, ctx) {
      res.json(await withNetBoxSync(req, ctx, (sync) => sync.syncAll()));
    },
  },
  {
    method: 'post',
    path: `${IPM}/netbox/import-prefix/:prefix_id`,
    access: 'editor',
    tag: TAG,
    summary: 'Imports a NetBox prefix as a pool and its IP addresses as reservations (active → assigned, reserved → reserved). 404 when NetBox has no such prefix, 409 when a pool has it already.',
    params: z.object({ prefix_id: z.string() }),
    status: 201,
    errors: [404, 409, 422, 502],
    async handler(req, res, ctx) {
      const id = idParam(req, 'prefix_id');
      res.status(201).json(await withNetBoxSync(req, ctx, (sync) => sync.importPrefix(id)));
    },
  },
  {
    method: 'get',
    path: `${IPM}/netbox/conflicts`,
    access: 'read',
    tag: TAG,
    summary: 'Conflicts with NetBox ({items, total}): status open (default), resolved, ignored, gone or all; pool_id.',
    query: ConflictListSchema,
    errors: [422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).netboxConflicts.list(req.query));
    },
  },
  {
    method: 'post',
    path: `${IPM}/netbox/conflicts/resolve`,
    access: 'editor',
    tag: TAG,
    summary: 'Resolves every open conflict (of pool_id, when given) the same way: ours, theirs or ignore. Answers the run and how many were resolved or failed.',
    body: ResolveAllSchema,
    errors: [409, 422, 502],
    async handler(req, res, ctx) {
      const body = parseInput(ResolveAllSchema, req.body);
      res.json(await withNetBoxSync(req, ctx, (sync) => new NetBoxResolver(sync).resolveAll(body)));
    },
  },
  {
    method: 'post',
    path: `${IPM}/netbox/conflicts/:id/resolve`,
    access: 'editor',
    tag: TAG,
    summary: 'Resolves one conflict: ours (NetBox made to match), theirs (this side made to match) or ignore (until either side changes). 409 when it is not open or cannot be applied.',
    params: z.object({ id: z.string() }),
    body: ResolveSchema,
    errors: [404, 409, 422, 502],
    async handler(req, res, ctx) {
      const id = idParam(req);
      const body = parseInput(ResolveSchema, req.body);
      res.json(await withNetBoxSync(req, ctx, (sync) => new NetBoxResolver(sync).resolve(id, body)));
    },
  },
  {
    method: 'get',
    path: `${IPM}/netbox/status`,
    access: 'read',
    tag: TAG,
    summary: 'The NetBox sync at a glance: connected to (URL, never the token), last sync, open conflicts, queued pushes (failing ones and the last error).',
    async handler(req, res, ctx) {
      const services = ctx.services(req);
      const settings = await netboxSettings(services.connectorConfigs);
      res.json({
        configured: settings !== null,
        url: settings ? new URL(settings.url).origin : null,
        released: settings?.released ?? null,
        last_sync: await services.netboxRuns.lastSync(),
        open_conflicts: await services.netboxConflicts.openCount(),
        queue: await new NetBoxOutbox(ctx.deps.db).summary(),
      });
    },
  },
  {
    method: 'get',
    path: `${IPM}/netbox/runs`,
    access: 'read',
    tag: TAG,
    summary: 'Sync runs with NetBox, newest first ({items, total}): kind push, sync, import or resolve; counts and log.',
    query: RunsQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(RunsQuerySchema, req.query, 'query');
      res.json(await ctx.services(req).netboxRuns.list(q.limit, q.offset));
    },
  },
];
