import { timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';
import { z } from 'zod';
import { UnauthorizedError } from '../../domain/errors.js';
import { formatHostPort } from '../../domain/ip/address.js';
import { assetTypeField, queryFlag } from '../../services/schemas/assets.js';
import { sdProjectIdsPresent, sdProjects, sdTargetBatches, type SdFilter, type SdTarget } from '../../services/sd-targets.js';
import { parseInput } from '../../services/validate.js';
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
  if (!res.write(chunk)) await new Promise<void>((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
  return !res.destroyed;
}

/** Tracks whether a group has one value or several ("multiple"). */
class Label {
  value: string | null = null;
  mixed = false;
  see(v: string): void {
    if (this.value === null) this.value = v;
    else if (this.value !== v) this.mixed = true;
  }
  toString(): string {
    return this.mixed ? 'multiple' : (this.value ?? '');
  }
}

/**
 * Streams one target group: `{"targets":[...],"labels":{...}}`. Returns false when there were no
 * targets (nothing written) or the client left.
 */
async function writeGroup(res: Response, batches: AsyncIterable<SdTarget[]>, port: number, names: Map<number, string>, prefix: string): Promise<boolean> {
  const project = new Label();
  const type = new Label();
  let started = false;
  for await (const batch of batches) {
    let chunk = started ? ',' : `${prefix}{"targets":[`;
    for (let i = 0; i < batch.length; i++) {
      const t = batch[i]!;
      project.see(t.projectId === null ? 'unassigned' : (names.get(t.projectId) ?? 'unassigned'));
      type.see(t.type);
      chunk += (i ? ',"' : '"') + formatHostPort(t, port) + '"';
    }
    started = true;
    if (!(await write(res, chunk))) return false;
  }
  if (!started) return false;
  return write(res, `],"labels":${JSON.stringify({ project: project.toString(), type: type.toString() })}}`);
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
