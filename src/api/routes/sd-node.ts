import { timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';
import { z } from 'zod';
import { UnauthorizedError } from '../../domain/errors.js';
import { assetTypeField, queryFlag } from '../../services/schemas/assets.js';
import { sdProjectIdsPresent, sdProjects, sdTargetBatches, type SdFilter, type SdTarget } from '../../services/sd-targets.js';
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

/** Tracks whether a group has one value or several ("multiple"). */
class Label<T> {
  private value: T | undefined;
  private seen = false;
  mixed = false;
  see(v: T): void {
    if (!this.seen) {
      this.value = v;
      this.seen = true;
    } else if (this.value !== v) this.mixed = true;
  }
  get(): T | undefined {
    return this.value;
  }
}

/**
 * Streams one target group: `{"targets":[...],"labels":{...}}`. Returns false when there were no
 * targets (nothing written) or the client left. Addresses never need JSON escaping.
 */
async function writeGroup(res: Response, batches: AsyncIterable<SdTarget[]>, port: number, names: Map<number, string>, prefix: string): Promise<boolean> {
  const project = new Label<number | null>();
  const type = new Label<string>();
  const v4Suffix = `:${port}"`;
  const v6Suffix = `]:${port}"`;
  let started = false;
  for await (const batch of batches) {
    let chunk = started ? ',' : `${prefix}{"targets":[`;
    for (let i = 0; i < batch.length; i++) {
      const t = batch[i]!;
      if (!project.mixed) project.see(t.projectId);
      if (!type.mixed) type.see(t.type);
      chunk += t.version === 6 ? `${i ? ',' : ''}"[${t.address}${v6Suffix}` : `${i ? ',' : ''}"${t.address}${v4Suffix}`;
    }
    started = true;
    if (!(await write(res, chunk))) return false;
  }
  if (!started) return false;
  const projectId = project.get();
  const labels = {
    project: project.mixed ? 'multiple' : projectId == null ? 'unassigned' : (names.get(projectId) ?? 'unassigned'),
    type: type.mixed ? 'multiple' : String(type.get()),
  };
  return write(res, `],"labels":${JSON.stringify(labels)}}`);
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
    async handler(req, res, ctx) {
      checkToken(ctx.deps.config.sdToken, req.get('x-sd-token'));
      const q = parseInput(SdQuerySchema, req.query, 'query');
      const filter: SdFilter = { onlyAssigned: q.only_assigned, projects: q.project ?? [], types: q.type ?? [] };
      const { db } = ctx.deps;
      const { names, ids } = await sdProjects(db, filter);
      res.status(200).setHeader('Content-Type', 'application/json');
      res.write('[');
      if (q.group_by === 'none') {
        await writeGroup(res, sdTargetBatches(db, filter, ids), q.port, names, '');
      } else {
        const present = await sdProjectIdsPresent(db, filter, ids);
        const groups = present
          .map((id) => ({ id, key: id === null ? 'unassigned' : (names.get(id) ?? 'unassigned') }))
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        let wrote = false;
        for (const g of groups) {
          if (res.destroyed) return;
          if (await writeGroup(res, sdTargetBatches(db, filter, ids, { projectId: g.id }), q.port, names, wrote ? ',' : '')) wrote = true;
        }
      }
      res.end(']');
    },
  },
];
