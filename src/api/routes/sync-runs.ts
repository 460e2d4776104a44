import { z } from 'zod';
import { HistoryQuerySchema } from '../../services/devices/schemas.js';
import { RunListQuerySchema } from '../../services/import-runs.js';
import { parseInput } from '../../services/validate.js';
import { idParam } from '../http.js';
import type { RouteSpec } from '../route-table.js';
import { sendPage } from './devices-query.js';

const idParams = z.object({ id: z.string() });
const ChangesQuerySchema = HistoryQuerySchema.omit({ run_id: true, since: true, since_hours: true });

/**
 * /sync-runs: the runs of connectors and imports (the same rows as /import/runs) seen from the
 * devices' side, with what each run changed on devices. Logged in, like the runs' own list.
 */
export const syncRunRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/sync-runs',
    access: 'login',
    tag: 'devices',
    summary: 'Sync runs, newest first ({items, total}; X-Total-Count, Link); plugin, status and mode filter.',
    query: RunListQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(RunListQuerySchema, req.query, 'query');
      const page = await ctx.services(req).importRuns.list(q);
      sendPage(req, res, page, q);
    },
  },
  {
    method: 'get',
    path: '/sync-runs/:id',
    access: 'login',
    tag: 'devices',
    summary: 'One run with its log and device_changes, the number of device history rows it wrote (0 for a run that changed nothing).',
    params: idParams,
    errors: [404, 422],
    async handler(req, res, ctx) {
      const id = idParam(req);
      const s = ctx.services(req);
      const run = await s.importRuns.get(id);
      const { total } = await s.devices.history({ run_id: id, limit: 1 });
      res.json({ ...run, device_changes: total });
    },
  },
  {
    method: 'get',
    path: '/sync-runs/:id/changes',
    access: 'login',
    tag: 'devices',
    summary: 'What a run changed on devices ({items, total}; X-Total-Count, Link): field, old, new, device; device_id and field filter.',
    params: idParams,
    query: ChangesQuerySchema,
    errors: [404, 422],
    async handler(req, res, ctx) {
      const id = idParam(req);
      const q = parseInput(ChangesQuerySchema, req.query, 'query');
      const s = ctx.services(req);
      await s.importRuns.get(id);
      const page = await s.devices.history({ ...q, run_id: id });
      sendPage(req, res, page, q);
    },
  },
];
