import path from 'node:path';
import { z } from 'zod';
import { STATIC_DIR } from '../../admin/paths.js';
import { NotFoundError } from '../../domain/errors.js';
import type { RouteSpec } from '../route-table.js';
import { exportRoutes } from './data-ops-export.js';
import { importRoutes } from './data-ops-import.js';

const SAMPLES = ['hosts.csv', 'ip-assets.csv'] as const;
const SamplesParams = z.object({ file: z.enum(SAMPLES) });

/** Import and export endpoints (/import/*, /export/*) and the original's CSV templates. */
export const dataOpsRoutes: RouteSpec[] = [
  ...importRoutes,
  ...exportRoutes,
  {
    method: 'get',
    path: '/static/samples/:file',
    access: 'public',
    tag: 'data-ops',
    summary: "The original's CSV templates, at its paths (the Data Ops page links them): hosts.csv and ip-assets.csv.",
    params: SamplesParams,
    produces: 'text/csv',
    errors: [404],
    async handler(req, res) {
      const parsed = SamplesParams.safeParse(req.params);
      if (!parsed.success) throw new NotFoundError('Sample', String(req.params.file));
      await new Promise<void>((resolve, reject) =>
        res.sendFile(parsed.data.file, { root: path.join(STATIC_DIR, 'samples'), maxAge: '1h' }, (err) => (err ? reject(err) : resolve())),
      );
    },
  },
];
