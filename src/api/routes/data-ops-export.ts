import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { NotFoundError } from '../../domain/errors.js';
import { bundleJsonStream, bundleZipStream, csvStream, DATASETS, jsonStream, type Dataset } from '../../services/exports/streams.js';
import { assetTypeField, queryFlag } from '../../services/schemas/assets.js';
import type { ExportFilter } from '../../services/exports/records.js';
import { parseInput } from '../../services/validate.js';
import type { RouteSpec } from '../route-table.js';

const list = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));

/**
 * Filter text: checked here, before the first byte is streamed, because a value the database
 * refuses (a NUL on PostgreSQL, an id beyond its integer column) would otherwise cut a 200 mid-way.
 */
const filterText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !v.includes('\u0000'), 'must not contain NUL characters')
    .refine((v) => !/^\d+$/.test(v) || Number(v) <= 2_147_483_647, 'is not a valid id');

const ExportQuerySchema = z.object({
  include_archived: queryFlag.optional(),
  type: list.pipe(z.array(assetTypeField)).optional(),
  project: filterText(128).optional(),
  host: filterText(255).optional(),
});

const FILE = /^(ip-assets|hosts|vendors|projects|tags|ranges|bundle)\.(csv|json|zip)$/;

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8', zip: 'application/zip' } as const;

/** Every file an export answers (the bundle as JSON or ZIP, each dataset as CSV or JSON). */
const FILES: [string, ...string[]] = ['bundle.json', 'bundle.zip', ...DATASETS.flatMap((d) => [`${d}.csv`, `${d}.json`])];

/** GET /export/<dataset>.{csv,json} and /export/bundle.{json,zip}: logged in (token or session), streamed. */
export const exportRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/export/:file',
    access: 'login',
    tag: 'data-ops',
    summary:
      'Streams a dataset (ip-assets, hosts, vendors, projects, tags, ranges) as CSV or JSON, or the whole inventory as the original\'s bundle (JSON or ZIP of CSVs). Archived assets only with include_archived=1; type, project and host filter the assets.',
    params: z.object({ file: z.enum(FILES) }),
    query: ExportQuerySchema,
    produces: ['text/csv', 'application/json', 'application/zip'],
    stream: true,
    errors: [404, 422],
    async handler(req, res, ctx) {
      const m = FILE.exec(String(req.params.file));
      if (!m || (m[1] === 'bundle' ? m[2] === 'csv' : m[2] === 'zip')) throw new NotFoundError('Export', String(req.params.file));
      const q = parseInput(ExportQuerySchema, req.query, 'query');
      const filter: ExportFilter = { includeArchived: q.include_archived ?? false, types: q.type, project: q.project, host: q.host };
      const format = m[2] as 'csv' | 'json' | 'zip';
      const now = new Date();
      const { db } = ctx.deps;
      const stream =
        m[1] === 'bundle'
          ? format === 'zip'
            ? bundleZipStream(db, filter, now)
            : bundleJsonStream(db, filter, now)
          : format === 'csv'
            ? csvStream(db, m[1] as Dataset, filter)
            : jsonStream(db, m[1] as Dataset, filter);
      res.status(200);
      res.set('Content-Type', CONTENT_TYPES[format]);
      res.set('Content-Disposition', `attachment; filename="${m[1]}.${format}"`);
      res.set('Cache-Control', 'no-store');
      await pipeline(stream, res);
    },
  },
];
