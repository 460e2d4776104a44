import type { Request } from 'express';
import { z } from 'zod';
import { countAssets, streamAssets } from '../../services/assets/stream.js';
import { AssetBulkUpdateSchema, AssetCreateSchema, AssetListQuerySchema, AssetUpdateSchema, type AssetListQuery } from '../../services/schemas/assets.js';
import { parseInput } from '../../services/validate.js';
import { hasQuery, setPageHeaders, streamJsonArray, textParam } from '../http.js';
import type { RouteSpec } from '../route-table.js';

const FLAG_ON = new Set(['', '1', 'true', 'yes', 'on']);

/**
 * The list's query string: the panel's filters plus the original's spellings
 * (`unassigned-only`, `archived-only`, `archived=1`).
 */
function listQuery(req: Request): AssetListQuery {
  const raw: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  if ('unassigned-only' in raw) {
    raw.unassigned_only = raw['unassigned-only'];
    delete raw['unassigned-only'];
  }
  if ('archived-only' in raw) {
    if (typeof raw['archived-only'] === 'string' && FLAG_ON.has(raw['archived-only'].toLowerCase())) raw.archived = 'archived';
    delete raw['archived-only'];
  }
  if (typeof raw.archived === 'string') {
    const a = raw.archived.toLowerCase();
    if (FLAG_ON.has(a) || a === 'only') raw.archived = 'archived';
    else if (['0', 'false', 'no', 'off'].includes(a)) raw.archived = 'active';
  }
  return raw as AssetListQuery;
}

/** Documented list parameters (the compat spellings included). */
const ListQueryDoc = AssetListQuerySchema.extend({
  'unassigned-only': z.enum(['1', '0', 'true', 'false']).optional().describe('Original spelling of unassigned_only'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('Page size; without it the whole list is streamed'),
});

/** The original's /ip-assets endpoints plus bulk edit and pagination. */
export const assetRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/ip-assets',
    access: 'read',
    tag: 'ip-assets',
    summary:
      'Active IP assets (array). Filters: q (an address, a CIDR like 10.20.0.0/24 or the start of an address like 10.20. — key ranges of the address index — else text in address, notes and host name), project_id (id or "unassigned"), project (name), type (repeatable or comma-separated), host_id, unassigned-only, archived (active|archived|all), tags + tag_match (any|all|not), not_seen_days (last seen more than N days ago). With limit/offset: one page; without limit the whole list is streamed. X-Total-Count and Link headers.',
    query: ListQueryDoc,
    errors: [422],
    async handler(req, res, ctx) {
      const query = listQuery(req);
      const { db } = ctx.deps;
      const parsed = parseInput(AssetListQuerySchema, query, 'query');
      if (hasQuery(req, 'limit')) {
        const page = await ctx.services(req).assets.list(query);
        setPageHeaders(req, res, { total: page.total, limit: parsed.limit, offset: parsed.offset, exact: page.total_exact });
        res.json(page.items);
        return;
      }
      const total = await countAssets(db, query);
      res.setHeader('X-Total-Count', String(total));
      await streamJsonArray(res, streamAssets(db, query));
    },
  },
  {
    method: 'post',
    path: '/ip-assets',
    access: 'editor',
    tag: 'ip-assets',
    summary:
      'Creates an IP asset (or restores the archived row of that address, overwriting it with what was sent; `if_archived: "conflict"` answers 409 with `archived_asset` instead). A BMC without host is linked to server_<ip>.',
    body: AssetCreateSchema,
    errors: [400, 409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).assets.create(req.body));
    },
  },
  {
    method: 'post',
    path: '/ip-assets/bulk',
    access: 'editor',
    tag: 'ip-assets',
    summary: 'Applies one change (type, project, tags added/removed, notes, archived: false restores) to many assets in one transaction.',
    body: AssetBulkUpdateSchema,
    errors: [422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).assets.bulkUpdate(req.body));
    },
  },
  {
    method: 'get',
    path: '/ip-assets/:ip',
    access: 'read',
    tag: 'ip-assets',
    summary:
      'One active IP asset by address (any spelling of it), with `seen_by` (an extra key): each source and configuration that reports it — source, config, config_id, first_seen_at, last_seen_at (re-stamped at most hourly), first_run_id, run_id — most recently seen first.',
    errors: [400, 404],
    async handler(req, res, ctx) {
      const { asset, seen_by } = await ctx.services(req).assets.seenBy(textParam(req, 'ip'), { activeOnly: true });
      res.json({ ...asset, seen_by });
    },
  },
  {
    method: 'get',
    path: '/ip-assets/:ip/seen-by',
    access: 'read',
    tag: 'ip-assets',
    summary: 'The sources that report an IP asset, archived or not (the `seen_by` list of GET /ip-assets/{ip}); 404 when the address is unknown.',
    errors: [400, 404],
    async handler(req, res, ctx) {
      res.json((await ctx.services(req).assets.seenBy(textParam(req, 'ip'))).seen_by);
    },
  },
  {
    method: 'patch',
    path: '/ip-assets/:ip',
    access: 'editor',
    tag: 'ip-assets',
    summary: 'Changes only the fields sent; null clears project, host or notes; tags replace the set.',
    body: AssetUpdateSchema,
    errors: [400, 404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).assets.update(textParam(req, 'ip'), req.body));
    },
  },
  {
    method: 'delete',
    path: '/ip-assets/:ip',
    access: 'editor',
    tag: 'ip-assets',
    summary: 'Deletes the IP asset permanently (archived or not).',
    status: 204,
    errors: [400, 404],
    async handler(req, res, ctx) {
      await ctx.services(req).assets.delete(textParam(req, 'ip'));
      res.status(204).end();
    },
  },
  {
    method: 'post',
    path: '/ip-assets/:ip/archive',
    access: 'editor',
    tag: 'ip-assets',
    summary: 'Archives (soft-deletes) the IP asset; idempotent.',
    status: 204,
    errors: [400, 404],
    async handler(req, res, ctx) {
      await ctx.services(req).assets.archive(textParam(req, 'ip'));
      res.status(204).end();
    },
  },
  {
    method: 'post',
    path: '/ip-assets/:ip/restore',
    access: 'editor',
    tag: 'ip-assets',
    summary: 'Restores an archived IP asset as it was (project, host, tags, notes, history); 409 when it is not archived.',
    errors: [400, 404, 409],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).assets.restore(textParam(req, 'ip')));
    },
  },
];
