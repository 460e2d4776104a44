import type { Request, Response } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../domain/errors.js';
import type { AppDeps } from '../../http/deps.js';
import { SyncJobs, type SyncJob } from '../../jobs/sync-jobs.js';
import type { ImportRun } from '../../services/import-runs.js';
import { queryFlag } from '../../services/schemas/assets.js';
import { parseInput } from '../../services/validate.js';
import { idParam } from '../http.js';
import type { ApiContext, RouteSpec } from '../route-table.js';
import { runnerFor } from './connectors.js';

/**
 * The seeds' sync routes on the connector runner. LAIM (seed 004): `POST /api/sync/trigger`
 * with `{"source": "all"|"netdisco"|"librenms"}`, `GET /api/sync/status/{id}`, `GET
 * /api/sync/history`. VMI (seed 003): `POST /api/sync/nutanix`, `/vmware`, `/all`. Each runs the
 * saved configurations of those connectors (Connectors page, or LAIM's environment
 * variables at start), one after another, in the background; the answer carries the job id
 * (its first run's id) to poll.
 */

const LAIM_SOURCES = { all: ['netdisco', 'librenms'], netdisco: ['netdisco'], librenms: ['librenms'] } as const;
const VMI_SOURCES = { all: ['nutanix', 'vcenter'], nutanix: ['nutanix'], vmware: ['vcenter'] } as const;
const SYNC_PLUGINS = ['netdisco', 'librenms', 'nutanix', 'vcenter'] as const;

const TriggerBody = z
  .object({
    source: z.enum(['all', 'netdisco', 'librenms']).default('all').describe('Which LAIM sources to sync'),
    dry_run: z.boolean().optional().describe('Preview only: plan the sync without writing (default false, as LAIM syncs)'),
  })
  .strict();
const VmiQuery = z.object({ dry_run: queryFlag.optional() }).loose();
const HistoryQuery = z
  .object({
    source: z.enum(['all', ...SYNC_PLUGINS, 'vmware']).default('all'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(300).default(0),
  })
  .loose();

const HINT = 'create one on the Connectors page (LAIM: or set NETDISCO_API_URL / LIBRENMS_API_URL and restart).';

const jobsByApp = new WeakMap<AppDeps, SyncJobs>();
function jobsFor(deps: AppDeps): SyncJobs {
  let jobs = jobsByApp.get(deps);
  if (!jobs) jobsByApp.set(deps, (jobs = new SyncJobs(runnerFor(deps), deps.db)));
  return jobs;
}

/** A job as the seeds' clients poll it: overall status, each run's status and device counts. */
async function describeJob(req: Request, ctx: ApiContext, job: SyncJob): Promise<Record<string, unknown>> {
  const runs = ctx.services(req).importRuns;
  const details = await Promise.all(job.runs.map(async (r) => ({ r, run: r.run_id === null ? null : await runs.get(r.run_id).catch(() => null) })));
  const list = details.map(({ r, run }) => ({ ...r, status: run?.status ?? r.status, counts: run?.counts ?? null, error: run?.error ?? r.error, started_at: run?.started_at ?? null, finished_at: run?.finished_at ?? null }));
  const statuses = list.map((r) => r.status);
  const status = statuses.some((s) => s === 'running' || s === 'pending') ? 'running' : statuses.every((s) => s === 'succeeded') ? 'completed' : 'failed';
  const devices = { create: 0, update: 0, skip: 0 };
  for (const r of list) {
    const d = (r.counts as { devices?: Partial<typeof devices> } | null)?.devices;
    for (const k of ['create', 'update', 'skip'] as const) devices[k] += Number(d?.[k] ?? 0);
  }
  const finished = list.map((r) => r.finished_at).filter((f): f is string => f !== null);
  return { id: job.id, source: job.source, status, dry_run: job.dry_run, started_at: list[0]?.started_at ?? null, completed_at: status === 'running' ? null : (finished.sort().at(-1) ?? null), devices, runs: list };
}

/** A job not started by this process: its one stored run. */
function jobOfRun(run: ImportRun): SyncJob {
  return { id: run.id, source: run.plugin, dry_run: run.mode === 'dry_run', done: run.status !== 'running', runs: [{ config_id: 0, config: run.source ?? run.plugin, plugin: run.plugin, run_id: run.id, status: run.status, error: run.error }] };
}

async function startSync(req: Request, res: Response, ctx: ApiContext, source: string, plugins: readonly string[], dryRun: boolean): Promise<void> {
  const configs = await ctx.services(req).connectorConfigs.list();
  const job = await jobsFor(ctx.deps).start(source, plugins, configs, req.actor!, dryRun, HINT);
  res.status(202).json(await describeJob(req, ctx, job));
}

const vmiRoute = (name: keyof typeof VMI_SOURCES): RouteSpec => ({
  method: 'post',
  path: `/api/sync/${name}`,
  access: 'editor',
  tag: 'sync',
  summary: `VMI: syncs ${VMI_SOURCES[name].join(' and ')} now (every saved configuration, one after another, in the background). 202 with the job to poll at /api/sync/status/{id}.`,
  query: VmiQuery,
  status: 202,
  errors: [409, 422],
  async handler(req, res, ctx) {
    const q = parseInput(VmiQuery, req.query, 'query');
    await startSync(req, res, ctx, name, VMI_SOURCES[name], q.dry_run ?? false);
  },
});

export const syncSeedRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/sync/trigger',
    access: 'editor',
    tag: 'sync',
    summary: 'LAIM: syncs Netdisco and/or LibreNMS now (every saved configuration, one after another, in the background; LibreNMS wins where they disagree). 202 with the job to poll at /api/sync/status/{id}.',
    body: TriggerBody,
    status: 202,
    errors: [409, 422],
    async handler(req, res, ctx) {
      const body = parseInput(TriggerBody, req.body ?? {}, 'body');
      await startSync(req, res, ctx, body.source, LAIM_SOURCES[body.source], body.dry_run ?? false);
    },
  },
  {
    method: 'get',
    path: '/api/sync/status/:id',
    access: 'login',
    tag: 'sync',
    summary: "A sync job's status (running, completed, failed), each run's status and counts, and the devices created, updated and skipped.",
    params: z.object({ id: z.string() }),
    errors: [404, 422],
    async handler(req, res, ctx) {
      const id = idParam(req);
      const job = await jobsFor(ctx.deps).get(id);
      if (job) return void res.json(await describeJob(req, ctx, job));
      const run = await ctx.services(req).importRuns.get(id);
      if (!(SYNC_PLUGINS as readonly string[]).includes(run.plugin)) throw new NotFoundError('Sync', id);
      res.json(await describeJob(req, ctx, jobOfRun(run)));
    },
  },
  {
    method: 'get',
    path: '/api/sync/history',
    access: 'login',
    tag: 'sync',
    summary: 'Sync runs of Netdisco, LibreNMS, Nutanix and vCenter, newest first ({items, total}); `source` narrows to one.',
    query: HistoryQuery,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(HistoryQuery, req.query, 'query');
      const plugins = q.source === 'all' ? SYNC_PLUGINS : [q.source === 'vmware' ? 'vcenter' : q.source];
      const runs = ctx.services(req).importRuns;
      // Each source's newest offset+limit, merged by id: the page of the union without a new query shape.
      const pages = await Promise.all(plugins.map((plugin) => runs.list({ plugin, limit: Math.min(500, q.offset + q.limit), offset: 0 })));
      const items = pages.flatMap((p) => p.items).sort((a, b) => b.id - a.id).slice(q.offset, q.offset + q.limit);
      res.json({ items, total: pages.reduce((n, p) => n + p.total, 0) });
    },
  },
  vmiRoute('nutanix'),
  vmiRoute('vmware'),
  vmiRoute('all'),
];
