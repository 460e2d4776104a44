import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { AppError, ForbiddenError, UnauthorizedError } from '../../domain/errors.js';
import { JSON_TOO_DEEP_MESSAGE, jsonTooDeep } from '../../domain/json-depth.js';
import type { AppDeps } from '../../http/deps.js';
import type { PluginFile } from '../../plugins/define-plugin.js';
import { ImportInputError } from '../../plugins/errors.js';
import { toImportResult } from '../../plugins/import-result.js';
import { describePlugin, getPlugin, listPlugins } from '../../plugins/registry.js';
import { runPlugin } from '../../plugins/runner.js';
import { ImportRunsService } from '../../services/import-runs.js';
import { queryFlag } from '../../services/schemas/assets.js';
import { parseInput } from '../../services/validate.js';
import { identify, requireLogin } from '../auth.js';
import { PathIdSchema } from '../http.js';

class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'too_large';
}

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
/** Plugins behind the original's /import/bundle and /import/csv. */
const ORIGINAL_ENDPOINTS = new Set(['bundle', 'csv']);

/** POST /import/:plugin (and the original's /import/bundle, /import/csv), GET /import/plugins, /import/runs[/:id]. */
export function importRouter(deps: AppDeps): Router {
  const router = Router();
  // The original's wording, in bytes: clients match on it (and "0 MB" said nothing for small caps).
  const tooLarge = (): PayloadTooLargeError => new PayloadTooLargeError(`Uploaded file exceeds maximum size of ${deps.config.maxUploadBytes} bytes.`);
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: deps.config.maxUploadBytes, files: MAX_FILES, fields: 50, fieldSize: 64 * 1024 } }).any();
  const raw = express.raw({ type: () => true, limit: deps.config.maxUploadBytes });

  /** Multipart (fields named file, hosts, ip_assets…) or a raw body; size errors become 413 with a message. */
  const readUpload: RequestHandler = (req, res, next) => {
    const declared = Number(req.get('content-length') ?? 0);
    // Multipart framing adds a little; anything clearly over the cap is refused before reading it.
    if (declared > deps.config.maxUploadBytes + 256 * 1024) {
      res.set('Connection', 'close');
      return next(tooLarge());
    }
    const handler = req.is('multipart/form-data') ? upload : raw;
    handler(req, res, (err?: unknown) => {
      if (!err) return next();
      const e = err as { code?: string; type?: string; message?: string };
      if (e.code === 'LIMIT_FILE_SIZE' || e.type === 'entity.too.large') return next(tooLarge());
      if (e.code === 'LIMIT_FILE_COUNT') return next(new PayloadTooLargeError(`At most ${MAX_FILES} files per import.`));
      if (err instanceof multer.MulterError) return next(new BadUpload(`Upload refused: ${e.message}`));
      next(err);
    });
  };

  router.get('/import/plugins', identify(deps), requireLogin, (_req, res) => {
    res.json(listPlugins().map(describePlugin));
  });

  router.get('/import/runs', identify(deps), requireLogin, async (req, res, next) => {
    try {
      const runs = new ImportRunsService({ db: deps.db, actor: req.actor! });
      const { items, total } = await runs.list(req.query as Record<string, string>);
      res.set('X-Total-Count', String(total)).json(items);
    } catch (err) {
      next(err);
    }
  });

  router.get('/import/runs/:id', identify(deps), requireLogin, async (req, res, next) => {
    try {
      const id = parseInput(PathIdSchema, req.params.id, 'path');
      res.json(await new ImportRunsService({ db: deps.db, actor: req.actor! }).get(id));
    } catch (err) {
      next(err);
    }
  });

  router.post('/import/:plugin', identify(deps), checkAccess, readUpload, async (req: Request, res: Response, next: NextFunction) => {
    try {
      const plugin = getPlugin(String(req.params.plugin));
      const q = parseInput(ImportQuerySchema, req.query, 'query');
      const dryRun = q.dry_run ?? false;
      const { files, options } = plugin.kind === 'connector' ? connectorInput(req) : collectInput(req, plugin.name, q.file_name);
      // The original's audit labels (api_import_bundle, api_import_csv); connectors keep theirs.
      const auditLabel = plugin.kind === 'connector' ? undefined : `api_import_${plugin.name}`;
      const outcome = await runPlugin(deps.db, req.actor!, { plugin, input: { files }, options, dryRun, auditLabel });
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
    } catch (err) {
      next(err);
    }
  });
  return router;
}

class BadUpload extends AppError {
  readonly status = 400;
  readonly code = 'bad_upload';
}

/** Any logged-in user may dry-run; applying needs the editor role (as the original). Checked before the upload is read. */
const checkAccess: RequestHandler = (req, _res, next) => {
  if (!req.actor) return next(new UnauthorizedError());
  const dry = queryFlag.safeParse(req.query.dry_run);
  const dryRun = dry.success && dry.data;
  if (!dryRun && req.actor.role !== 'editor') return next(new ForbiddenError('Applying an import needs the editor role; use dry_run=1 to preview.'));
  next();
};

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
