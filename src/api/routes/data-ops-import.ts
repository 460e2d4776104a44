import type { Request } from 'express';
import { z } from 'zod';
import { ForbiddenError, UnauthorizedError } from '../../domain/errors.js';
import { JSON_TOO_DEEP_MESSAGE, jsonTooDeep } from '../../domain/json-depth.js';
import type { PluginFile } from '../../plugins/define-plugin.js';
import { ImportInputError } from '../../plugins/errors.js';
import { toImportResult } from '../../plugins/import-result.js';
import { importConcurrency } from '../../plugins/limits.js';
import { describePlugin, getPlugin, listPlugins } from '../../plugins/registry.js';
import { runPlugin } from '../../plugins/runner.js';
import { canApply, canRunAdHocConnector } from '../../services/access.js';
import { RunListQuerySchema } from '../../services/import-runs.js';
import { queryFlag } from '../../services/schemas/assets.js';
import { parseInput } from '../../services/validate.js';
import { PathIdSchema } from '../http.js';
import type { RouteSpec } from '../route-table.js';
import { BadUpload } from '../upload.js';

const ImportQuerySchema = z
  .object({
    dry_run: queryFlag.optional(),
    /** How many per-record changes to return: a number, "all", or "none". */
    changes: z.union([z.enum(['all', 'none']), z.coerce.number().int().min(0).max(1_000_000)]).optional(),
    /** Name of a raw (non-multipart) upload, e.g. hosts.csv. */
    file_name: z.string().trim().min(1).max(255).optional(),
  })
  .loose();

const MAX_FILES = 8;
/** Raw (non-multipart) bodies an import accepts: a bundle (JSON/ZIP), a CSV, Nmap XML, connector options (JSON). */
const RAW_TYPES = ['application/json', 'application/zip', 'text/csv', 'application/xml', 'text/xml'];
/** Plugins behind the original's /import/bundle and /import/csv. */
const ORIGINAL_ENDPOINTS = new Set(['bundle', 'csv']);

/** GET /import/plugins, GET /import/runs[/:id], POST /import/:plugin (the original's /import/bundle and /import/csv among them). */
export const importRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/import/plugins',
    access: 'login',
    tag: 'data-ops',
    summary: 'Every importer and connector: name, title, kind, accepted files, options form, default schedule.',
    handler(_req, res) {
      res.json(listPlugins().map(describePlugin));
    },
  },
  {
    method: 'get',
    path: '/import/runs',
    access: 'login',
    tag: 'data-ops',
    summary: 'Import and connector runs, newest first (X-Total-Count).',
    query: RunListQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const { items, total } = await ctx.services(req).importRuns.list(req.query as Record<string, string>);
      res.set('X-Total-Count', String(total)).json(items);
    },
  },
  {
    method: 'get',
    path: '/import/runs/:id',
    access: 'login',
    tag: 'data-ops',
    summary: 'One run with its counts and log.',
    errors: [404, 422],
    async handler(req, res, ctx) {
      const id = parseInput(PathIdSchema, req.params.id, 'path');
      res.json(await ctx.services(req).importRuns.get(id));
    },
  },
  {
    method: 'post',
    path: '/import/:plugin',
    access: 'login',
    tag: 'data-ops',
    summary:
      'Runs an importer (bundle, csv: the original\'s endpoints; nmap) on an upload, or a connector ad hoc with its options as a JSON body. Any logged-in user may dry-run (dry_run=1) an import; applying needs the editor role; an ad-hoc connector run needs the editor role even as a dry-run. Multipart fields (file, hosts, ip_assets, options) or a raw body; 413 over IPOCKET_MAX_UPLOAD_MB, 429 when IPOCKET_IMPORT_CONCURRENCY imports are running.',
    params: z.object({ plugin: z.enum(listPlugins().map((p) => p.name) as [string, ...string[]]) }),
    query: ImportQuerySchema,
    upload: { types: RAW_TYPES, maxFiles: MAX_FILES, concurrency: importConcurrency },
    errors: [400, 403, 404, 413, 415, 422, 429],
    authorize: mayRun,
    async handler(req, res, ctx) {
      const plugin = getPlugin(String(req.params.plugin));
      const q = parseInput(ImportQuerySchema, req.query, 'query');
      const dryRun = q.dry_run ?? false;
      const { files, options } = plugin.kind === 'connector' ? connectorInput(req) : collectInput(req, plugin.name, q.file_name);
      // The original's audit labels (api_import_bundle, api_import_csv); connectors keep theirs.
      const auditLabel = plugin.kind === 'connector' ? undefined : `api_import_${plugin.name}`;
      const outcome = await runPlugin(ctx.deps.db, req.actor!, { plugin, input: { files }, options, dryRun, auditLabel });
      if (outcome.status === 'failed') throw outcome.error ?? new Error('import failed');
      const limit = q.changes === 'all' ? Number.MAX_SAFE_INTEGER : q.changes === 'none' ? 0 : (q.changes ?? 1000);
      // The original's two endpoints answer 200 with `errors` for an unreadable file or bad rows
      // (nothing written); the other plugins keep a 4xx for input they cannot read.
      const originalContract = ORIGINAL_ENDPOINTS.has(plugin.name) && (outcome.plan !== null || outcome.error instanceof ImportInputError);
      if (outcome.error && !outcome.plan && !originalContract) throw outcome.error;
      const result = toImportResult(outcome, dryRun, { limit, includeSkips: q.changes === 'all' });
      if (outcome.status === 'rejected' && !dryRun && !originalContract) {
        return void res.status(400).json({ detail: `The import has ${result.errors.length} error(s); nothing was written.`, ...result });
      }
      res.json(result);
    },
  },
];

/**
 * Checked before the upload is read (the policy: src/services/access.ts): applying needs the
 * editor role, and so does any ad-hoc connector run (a URL of the caller's choosing).
 */
function mayRun(req: Request): void {
  if (!req.actor) throw new UnauthorizedError();
  const kind = listPlugins().find((p) => p.name === req.params.plugin)?.kind;
  if (kind === 'connector' && !canRunAdHocConnector(req.actor)) {
    throw new ForbiddenError('An ad-hoc connector run (a URL of your choosing) needs the editor role; dry-run a saved configuration instead (POST /connectors/configs/{id}/run?dry_run=1).');
  }
  const dry = queryFlag.safeParse(req.query.dry_run);
  if (!canApply(req.actor, dry.success && dry.data)) throw new ForbiddenError('Applying an import needs the editor role; use dry_run=1 to preview.');
}

/** Files from multipart fields (or the raw body) and options from the `options` JSON field, other fields and the query. */
function collectInput(req: Request, plugin: string, rawName: string | undefined): { files: PluginFile[]; options: Record<string, unknown> } {
  const uploaded = (req.files as Express.Multer.File[] | undefined) ?? [];
  const files: PluginFile[] = uploaded.map((f) => ({ name: f.originalname || `${f.fieldname}.upload`, field: f.fieldname, data: f.buffer }));
  if (!req.is('multipart/form-data') && Buffer.isBuffer(req.body) && req.body.length > 0) {
    files.push({ name: rawName ?? defaultName(plugin), data: req.body });
  }
  const fields = (req.is('multipart/form-data') ? (req.body as Record<string, unknown>) : {}) ?? {};
  let options: Record<string, unknown> = {};
  if (typeof fields.options === 'string' && fields.options.trim() !== '') {
    if (jsonTooDeep(fields.options)) throw new BadUpload(JSON_TOO_DEEP_MESSAGE);
    try {
      options = JSON.parse(fields.options) as Record<string, unknown>;
    } catch {
      throw new BadUpload('The "options" field must be JSON.');
    }
  }
  const extra = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'options'));
  const query = Object.fromEntries(Object.entries(req.query).filter(([k]) => !['dry_run', 'changes', 'file_name'].includes(k)));
  return { files, options: { ...query, ...options, ...extra } };
}

/** Connectors read no files: their options come as a JSON body (or an `options` field) plus query parameters. */
function connectorInput(req: Request): { files: PluginFile[]; options: Record<string, unknown> } {
  if (Buffer.isBuffer(req.body) && req.body.length > 0) {
    if (jsonTooDeep(req.body)) throw new BadUpload(JSON_TOO_DEEP_MESSAGE);
    let options: Record<string, unknown>;
    try {
      options = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new BadUpload('A connector takes its options as a JSON object body.');
    }
    if (!options || typeof options !== 'object' || Array.isArray(options)) throw new BadUpload('A connector takes its options as a JSON object body.');
    return { files: [], options: { ...queryOptions(req), ...options } };
  }
  return { files: [], options: collectInput(req, 'connector', undefined).options };
}

function queryOptions(req: Request): Record<string, unknown> {
  return Object.fromEntries(Object.entries(req.query).filter(([k]) => !['dry_run', 'changes', 'file_name'].includes(k)));
}

function defaultName(plugin: string): string {
  return plugin === 'nmap' ? 'scan.xml' : plugin === 'csv' ? 'upload.csv' : 'bundle.json';
}
