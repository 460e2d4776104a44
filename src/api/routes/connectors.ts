import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { ForbiddenError } from '../../domain/errors.js';
import type { AppDeps } from '../../http/deps.js';
import { toImportResult } from '../../plugins/import-result.js';
import { describePlugin, listPlugins } from '../../plugins/registry.js';
import { ConnectorScheduler } from '../../jobs/connector-runs.js';
import { ConnectorConfigsService, listConfigRuns } from '../../services/connector-configs.js';
import { queryFlag } from '../../services/schemas/assets.js';
import { parseInput } from '../../services/validate.js';
import { identify, requireLogin, requireRole } from '../auth.js';
import { apiErrorHandler } from '../errors.js';
import { jsonBody, PathIdSchema, rejectNulChars } from '../http.js';

const idParam = PathIdSchema;
const RunQuery = z.object({ dry_run: queryFlag.optional(), changes: z.coerce.number().int().min(0).max(100_000).optional() }).loose();
const PageQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) }).loose();

type Handler = (req: Request, res: Response) => Promise<void>;
const wrap = (h: Handler): RequestHandler => (req: Request, res: Response, next: NextFunction) => void h(req, res).catch(next);

/**
 * Connectors: the connector plugins, saved configurations (CRUD: editor; secrets never returned),
 * run now (dry-run: any logged-in user; apply: editor), and each configuration's run history.
 * Parses its own JSON bodies and answers errors in the API's shape wherever it is mounted.
 */
export function connectorsRouter(deps: AppDeps): Router {
  const router = Router();
  const who = identify(deps);
  const body = jsonBody('256kb');
  const editor = requireRole('editor');
  const service = (req: Request): ConnectorConfigsService => new ConnectorConfigsService({ db: deps.db, actor: req.actor! }, deps.config.secretKey);
  // Only used for "run now" (claims in the database, like the cron scheduler of every instance).
  const runner = new ConnectorScheduler({ db: deps.db, secretKey: deps.config.secretKey });

  router.get('/connectors', who, requireLogin, (_req, res) => {
    res.json(listPlugins().filter((p) => p.kind === 'connector').map(describePlugin));
  });
  router.get('/connectors/configs', who, requireLogin, wrap(async (req, res) => void res.json(await service(req).list())));
  router.post('/connectors/configs', who, editor, body, rejectNulChars, wrap(async (req, res) => void res.status(201).json(await service(req).create(req.body))));
  router.get('/connectors/configs/:id', who, requireLogin, wrap(async (req, res) => void res.json(await service(req).get(parseInput(idParam, req.params.id, 'path')))));
  router.patch('/connectors/configs/:id', who, editor, body, rejectNulChars, wrap(async (req, res) => void res.json(await service(req).update(parseInput(idParam, req.params.id, 'path'), req.body))));
  router.delete(
    '/connectors/configs/:id',
    who,
    editor,
    wrap(async (req, res) => {
      await service(req).remove(parseInput(idParam, req.params.id, 'path'));
      res.status(204).end();
    }),
  );
  router.get(
    '/connectors/configs/:id/runs',
    who,
    requireLogin,
    wrap(async (req, res) => {
      const id = parseInput(idParam, req.params.id, 'path');
      await service(req).get(id);
      const q = parseInput(PageQuery, req.query, 'query');
      const { items, total } = await listConfigRuns(deps.db, id, q.limit, q.offset);
      res.set('X-Total-Count', String(total)).json(items);
    }),
  );
  router.post(
    '/connectors/configs/:id/run',
    who,
    requireLogin,
    wrap(async (req, res) => {
      const id = parseInput(idParam, req.params.id, 'path');
      const q = parseInput(RunQuery, req.query, 'query');
      const config = await service(req).get(id);
      const dryRun = q.dry_run ?? config.mode === 'dry_run';
      if (!dryRun && req.actor!.role !== 'editor') throw new ForbiddenError('Applying a connector run needs the editor role; use dry_run=1 to preview.');
      const out = await runner.runNow(id, dryRun, req.actor!);
      if (!out.outcome || out.status === 'failed') {
        return void res.status(502).json({ detail: out.error?.message ?? 'The connector run failed.', run_id: out.runId, status: 'failed' });
      }
      res.json({ config_id: id, ...toImportResult(out.outcome, dryRun, { limit: q.changes ?? 1000, includeSkips: false }) });
    }),
  );
  router.use('/connectors', apiErrorHandler);
  return router;
}
