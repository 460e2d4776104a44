import { timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';
import { z } from 'zod';
import { UnauthorizedError } from '../../domain/errors.js';
import { assetTypeField, queryFlag } from '../../services/schemas/assets.js';
import { sdAssignedChunks, sdProjects, sdTargetChunks, type SdChunk, type SdFilter } from '../../services/sd-targets.js';
import { parseInput } from '../../services/validate.js';
import { drained } from '../http.js';
import type { RouteSpec } from '../route-table.js';

const csvOrList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));

/** The original's /sd/node parameters. */
export const SdQuerySchema = z.object({
  port: z.coerce.number().int().min(1).max(65535).default(9100),
  only_assigned: queryFlag.default(false),
  project: csvOrList.optional().describe('Project names (repeatable or comma-separated)'),
  type: csvOrList.pipe(z.array(assetTypeField)).optional().describe('Asset types (repeatable or comma-separated)'),
  group_by: z.enum(['none', 'project']).default('none'),
});

function checkToken(expected: string | undefined, given: string | undefined): void {
  if (!expected) return;
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new UnauthorizedError();
}

/** Writes a chunk, waiting for the socket to drain; false when the client has gone. */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(chunk)) await drained(res);
  return !res.destroyed;
}

/**
 * Streams one target group: `{"targets":[...],"labels":{...}}`. Returns false when there were no
 * targets (nothing written) or the client left. Labels say "multiple" when the group is mixed.
 */
async function writeGroup(res: Response, chunks: AsyncIterable<SdChunk> | Iterable<SdChunk>, names: Map<number, string>, prefix: string): Promise<boolean> {
  let started = false;
  let typeMin = '';
  let typeMax = '';
  let projectMin = 0;
  let projectMax = 0;
  for await (const c of chunks) {
    if (!(await write(res, (started ? ',' : `${prefix}{"targets":[`) + c.targets))) return false;
    typeMin = started && typeMin < c.typeMin ? typeMin : c.typeMin;
    typeMax = started && typeMax > c.typeMax ? typeMax : c.typeMax;
    projectMin = started ? Math.min(projectMin, c.projectMin) : c.projectMin;
    projectMax = started ? Math.max(projectMax, c.projectMax) : c.projectMax;
    started = true;
  }
  if (!started) return false;
  const labels = {
    project: projectMin !== projectMax ? 'multiple' : projectMin === 0 ? 'unassigned' : (names.get(projectMin) ?? 'unassigned'),
    type: typeMin !== typeMax ? 'multiple' : typeMin,
  };
  return write(res, `],"labels":${JSON.stringify(labels)}}`);
}

async function* flatten(batches: AsyncIterable<SdChunk[]>): AsyncGenerator<SdChunk> {
  for await (const batch of batches) yield* batch;
}

export const sdRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/sd/node',
    access: 'public',
    tag: 'monitoring',
    summary:
      'Prometheus HTTP service discovery: [{"targets":["ip:port"],"labels":{"project","type"}}] for active assets (IPv6 bracketed). group_by=none gives one group ("multiple" when mixed), group_by=project one per project ("unassigned" for none). Needs X-SD-Token when IPOCKET_SD_TOKEN is set.',
    query: SdQuerySchema,
    errors: [401, 422],
    // Targets are written as the database yields them: a failure mid-way cuts the answer.
    stream: true,
    async handler(req, res, ctx) {
      checkToken(ctx.deps.config.sdToken, req.get('x-sd-token'));
      const q = parseInput(SdQuerySchema, req.query, 'query');
      const filter: SdFilter = { onlyAssigned: q.only_assigned, projects: q.project ?? [], types: q.type ?? [] };
      const { db } = ctx.deps;
      const { names, ids } = await sdProjects(db, filter);
      res.status(200).setHeader('Content-Type', 'application/json');
      res.write('[');
      let wrote = false;
      if (q.group_by === 'none') {
        wrote = await writeGroup(res, flatten(sdTargetChunks(db, filter, ids, q.port)), names, '');
      } else {
        // One pass in address order, split per project by the database; groups are then written by
        // project name. Holds the serialised targets (the answer itself) until the pass ends.
        const byProject = new Map<number, SdChunk[]>();
        for await (const batch of sdTargetChunks(db, filter, ids, q.port, { byProject: true })) {
          for (const c of batch) (byProject.get(c.projectMin) ?? byProject.set(c.projectMin, []).get(c.projectMin)!).push(c);
        }
        const key = (id: number): string => (id === 0 ? 'unassigned' : (names.get(id) ?? 'unassigned'));
        const groups = [...byProject.keys()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
        for (const id of groups) {
          if (res.destroyed) return;
          if (await writeGroup(res, byProject.get(id)!, names, wrote ? ',' : '')) wrote = true;
        }
      }
      // Assigned pool addresses, one group per pool; they carry no project or asset type, so a
      // project or type filter leaves them out.
      if (filter.projects.length === 0 && filter.types.length === 0) {
        let open = null as { id: number; labels: string } | null;
        for await (const c of sdAssignedChunks(db, q.port)) {
          if (res.destroyed) return;
          let head = ',';
          if (open?.id !== c.poolId) {
            head = `${open ? `],"labels":${open.labels}}` : ''}${wrote || open ? ',' : ''}{"targets":[`;
            open = { id: c.poolId, labels: JSON.stringify({ project: 'unassigned', type: 'POOL', pool: c.poolName }) };
          }
          if (!(await write(res, head + c.targets))) return;
        }
        if (open && !(await write(res, `],"labels":${open.labels}}`))) return;
      }
      res.end(']');
    },
  },
];
