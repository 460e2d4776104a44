import type { Request } from 'express';
import { z } from 'zod';
import { toImportResult } from '../../plugins/import-result.js';
import { queryFlag } from '../../services/schemas/assets.js';
import { PushBodySchema, runPush } from '../../plugins/push.js';
import { SyncPushService } from '../../services/sync-push.js';
import { parseInput } from '../../services/validate.js';
import type { ApiContext, RouteSpec } from '../route-table.js';

const params = z.object({ source: z.string().describe('Source name, e.g. n8n-vmware') });
const PushQuerySchema = z.object({ dry_run: queryFlag.default(false) });

const service = (req: Request, ctx: ApiContext): SyncPushService => new SyncPushService(ctx.deps.db, req.actor ?? { userId: null, username: null, role: 'viewer' });
const sourceOf = (req: Request): string => String(req.params.source ?? '');
const tokenOf = (req: Request): string | undefined => {
  const t = req.headers['x-push-token'];
  return typeof t === 'string' ? t : undefined;
};

/**
 * Webhook-driven device sync (VMI's n8n flows): a source pushes its devices with its own token
 * (`X-Push-Token`, checked before the body is read) and the same reconcile as a connector runs,
 * in one transaction. Editors create and rotate the tokens.
 */
export const syncPushRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/sync/push/:source',
    access: 'public',
    tag: 'devices',
    summary: 'Push a JSON batch of devices for one source (X-Push-Token); dry_run=1 previews per-device CREATE/UPDATE/SKIP with field diffs. Atomic: all or nothing.',
    params,
    query: PushQuerySchema,
    body: PushBodySchema,
    bodyLimit: '25mb',
    errors: [401, 413, 422],
    async authorize(req, ctx) {
      await service(req, ctx).verify(sourceOf(req), tokenOf(req));
    },
    async handler(req, res, ctx) {
      const q = parseInput(PushQuerySchema, req.query, 'query');
      const outcome = await runPush(ctx.deps.db, sourceOf(req), req.body, q.dry_run);
      const result = toImportResult(outcome, q.dry_run);
      res.status(result.errors.length > 0 ? 422 : 200).json(result);
    },
  },
  {
    method: 'post',
    path: '/sync/push/:source/token',
    access: 'editor',
    tag: 'devices',
    summary: 'Create or rotate the push token of a source: answered once ({source, token, created_at}); only its hash is stored, the old token stops working.',
    params,
    status: 201,
    errors: [422],
    async handler(req, res, ctx) {
      res.status(201).json(await service(req, ctx).rotate(sourceOf(req)));
    },
  },
];
