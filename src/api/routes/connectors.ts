import type { Request } from 'express';
import { z } from 'zod';
import { ForbiddenError } from '../../domain/errors.js';
import type { AppDeps } from '../../http/deps.js';
import { toImportResult } from '../../plugins/import-result.js';
import { describePlugin, listPlugins } from '../../plugins/registry.js';
import { ConnectorScheduler } from '../../jobs/connector-runs.js';
import { canApply } from '../../services/access.js';
import { ConfigCreateSchema, ConfigUpdateSchema, listConfigRuns, type ConnectorConfigsService } from '../../services/connector-configs.js';
import { queryFlag } from '../../services/schemas/assets.js';
import { parseInput } from '../../services/validate.js';
import { PathIdSchema } from '../http.js';
import type { ApiContext, RouteSpec } from '../route-table.js';

const idParam = PathIdSchema;
const RunQuery = z.object({ dry_run: queryFlag.optional(), changes: z.coerce.number().int().min(0).max(100_000).optional() }).loose();
const PageQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) }).loose();
const BODY_LIMIT = '256kb';

const service = (req: Request, ctx: ApiContext): ConnectorConfigsService => ctx.services(req).connectorConfigs;

// "Run now" claims the slot in the database like the cron scheduler of every instance does; one
// runner per app, so its in-flight runs are the app's.
const runners = new WeakMap<AppDeps, ConnectorScheduler>();
export function runnerFor(deps: AppDeps): ConnectorScheduler {
  let runner = runners.get(deps);
  if (!runner) runners.set(deps, (runner = new ConnectorScheduler({ db: deps.db, secretKey: deps.config.secretKey })));
  return runner;
}

/** A run-now request: the configuration, its query, and whether it is a dry run (the query, else the configuration's mode). */
async function runRequest(req: Request, ctx: ApiContext): Promise<{ id: number; q: z.output<typeof RunQuery>; dryRun: boolean }> {
  const id = parseInput(idParam, req.params.id, 'path');
  const q = parseInput(RunQuery, req.query, 'query');
  const config = await service(req, ctx).get(id);
  return { id, q, dryRun: q.dry_run ?? config.mode === 'dry_run' };
}

/**
 * Connectors: the connector plugins, saved configurations (CRUD: editor; secrets never returned),
 * run now (dry-run: any logged-in user; apply: editor), and each configuration's run history.
 */
export const connectorRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/connectors',
    access: 'login',
    tag: 'connectors',
    summary: 'The connector plugins (name, title, options form, default schedule).',
    handler(_req, res) {
      res.json(listPlugins().filter((p) => p.kind === 'connector').map(describePlugin));
    },
  },
  {
    method: 'get',
    path: '/connectors/configs',
    access: 'login',
    tag: 'connectors',
    summary: 'Saved connector configurations (secret options shown as "***").',
    async handler(req, res, ctx) {
      res.json(await service(req, ctx).list());
    },
  },
  {
    method: 'post',
    path: '/connectors/configs',
    access: 'editor',
    tag: 'connectors',
    summary: 'Saves a connector configuration (options checked against the plugin; secrets sealed at rest).',
    body: ConfigCreateSchema,
    bodyLimit: BODY_LIMIT,
    status: 201,
    errors: [409, 422],
    async handler(req, res, ctx) {
      res.status(201).json(await service(req, ctx).create(req.body));
    },
  },
  {
    method: 'get',
    path: '/connectors/configs/:id',
    access: 'login',
    tag: 'connectors',
    summary: 'One saved configuration.',
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await service(req, ctx).get(parseInput(idParam, req.params.id, 'path')));
    },
  },
  {
    method: 'patch',
    path: '/connectors/configs/:id',
    access: 'editor',
    tag: 'connectors',
    summary: 'Changes a saved configuration; a secret sent as "***" keeps its stored value.',
    body: ConfigUpdateSchema,
    bodyLimit: BODY_LIMIT,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json(await service(req, ctx).update(parseInput(idParam, req.params.id, 'path'), req.body));
    },
  },
  {
    method: 'delete',
    path: '/connectors/configs/:id',
    access: 'editor',
    tag: 'connectors',
    summary: 'Deletes a saved configuration (its runs stay in the run history).',
    status: 204,
    errors: [404, 422],
    async handler(req, res, ctx) {
      await service(req, ctx).remove(parseInput(idParam, req.params.id, 'path'));
      res.status(204).end();
    },
  },
  {
    method: 'get',
    path: '/connectors/configs/:id/runs',
    access: 'login',
    tag: 'connectors',
    summary: "A configuration's runs, newest first (X-Total-Count).",
    query: PageQuery,
    errors: [404, 422],
    async handler(req, res, ctx) {
      const id = parseInput(idParam, req.params.id, 'path');
      await service(req, ctx).get(id);
      const q = parseInput(PageQuery, req.query, 'query');
      const { items, total } = await listConfigRuns(ctx.deps.db, id, q.limit, q.offset);
      res.set('X-Total-Count', String(total)).json(items);
    },
  },
  {
    method: 'post',
    path: '/connectors/configs/:id/run',
    access: 'login',
    tag: 'connectors',
    summary:
      "Runs a saved configuration now, in its mode unless dry_run says otherwise. Any logged-in user may dry-run; applying needs the editor role. 502 when the source failed (the run is recorded with its error).",
    query: RunQuery,
    errors: [403, 404, 409, 422, 502],
    async authorize(req, ctx) {
      const { dryRun } = await runRequest(req, ctx);
      if (!canApply(req.actor, dryRun)) throw new ForbiddenError('Applying a connector run needs the editor role; use dry_run=1 to preview.');
    },
    async handler(req, res, ctx) {
      const { id, q, dryRun } = await runRequest(req, ctx);
      const limit = q.changes ?? 1000;
      // The run keeps only the changes this answer lists: a 50k-VM run's full preview would be held, then dropped.
      const out = await runnerFor(ctx.deps).runNow(id, dryRun, req.actor!, { previewLimit: limit });
      if (!out.outcome || out.status === 'failed') {
        return void res.status(502).json({ detail: out.error?.message ?? 'The connector run failed.', run_id: out.runId, status: 'failed' });
      }
      res.json({ config_id: id, ...toImportResult(out.outcome, dryRun, { limit, includeSkips: false }) });
    },
  },
];
