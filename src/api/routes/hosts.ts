import type { Request } from 'express';
import type { Asset } from '../../services/assets/records.js';
import type { HostDetail } from '../../services/hosts.js';
import { HostCreateSchema, HostListQuerySchema, HostUpdateSchema } from '../../services/schemas/hosts.js';
import { parseInput } from '../../services/validate.js';
import { hasQuery, idParam, setPageHeaders, streamJsonArray } from '../http.js';
import type { ApiContext, RouteSpec } from '../route-table.js';

/** The original's host payload: {id, name, notes, vendor} (plus vendor_id). */
function hostPayload(h: HostDetail): Record<string, unknown> {
  return { id: h.id, name: h.name, notes: h.notes, vendor: h.vendor, vendor_id: h.vendor_id };
}

/** A host with its active linked assets as full records, grouped as the original does. */
async function hostWithAssets(req: Request, ctx: ApiContext, id: number): Promise<Record<string, unknown>> {
  const s = ctx.services(req);
  const host = await s.hosts.get(id);
  const linked: { os: Asset[]; bmc: Asset[]; other: Asset[] } = { os: [], bmc: [], other: [] };
  const { items } = await s.assets.list({ host_id: id, limit: 1000 });
  for (const a of items) (a.type === 'OS' ? linked.os : a.type === 'BMC' ? linked.bmc : linked.other).push(a);
  return { ...hostPayload(host), linked_assets: linked };
}

export const hostRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/hosts',
    access: 'read',
    tag: 'hosts',
    summary: 'Hosts by name (array) with their linked OS/BMC addresses. q and vendor_id filter; limit/offset page (X-Total-Count, Link); without limit the whole list.',
    query: HostListQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const hosts = ctx.services(req).hosts;
      const q = parseInput(HostListQuerySchema, req.query, 'query');
      if (hasQuery(req, 'limit')) {
        const page = await hosts.list(req.query as never);
        setPageHeaders(req, res, { total: page.total, limit: q.limit, offset: q.offset });
        res.json(page.items);
        return;
      }
      const first = await hosts.list({ ...q, limit: 1000 });
      res.setHeader('X-Total-Count', String(first.total));
      await streamJsonArray(
        res,
        (async function* () {
          let page = first;
          let offset = q.offset;
          for (;;) {
            yield page.items;
            offset += page.items.length;
            if (page.items.length < 1000) return;
            page = await hosts.list({ ...q, limit: 1000, offset });
          }
        })(),
      );
    },
  },
  {
    method: 'post',
    path: '/hosts',
    access: 'editor',
    tag: 'hosts',
    summary: 'Creates a host; os_ip/bmc_ip link (or create) those assets; project_id assigns its IPs.',
    body: HostCreateSchema,
    errors: [409, 422],
    async handler(req, res, ctx) {
      res.json(hostPayload(await ctx.services(req).hosts.create(req.body)));
    },
  },
  {
    method: 'get',
    path: '/hosts/:id',
    access: 'read',
    tag: 'hosts',
    summary: 'One host with linked_assets {os, bmc, other} (full asset records).',
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await hostWithAssets(req, ctx, idParam(req)));
    },
  },
  {
    method: 'patch',
    path: '/hosts/:id',
    access: 'editor',
    tag: 'hosts',
    summary: 'Changes the fields sent; os_ip/bmc_ip null unlinks (the asset stays).',
    body: HostUpdateSchema,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json(hostPayload(await ctx.services(req).hosts.update(idParam(req), req.body)));
    },
  },
  {
    method: 'delete',
    path: '/hosts/:id',
    access: 'editor',
    tag: 'hosts',
    summary: 'Deletes the host; its IP assets stay and lose the link.',
    status: 204,
    errors: [404, 422],
    async handler(req, res, ctx) {
      await ctx.services(req).hosts.delete(idParam(req));
      res.status(204).end();
    },
  },
];
