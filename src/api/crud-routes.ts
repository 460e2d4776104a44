import type { z } from 'zod';
import { idParam } from './http.js';
import type { Access, ApiContext, RouteSpec } from './route-table.js';

type Services = ReturnType<ApiContext['services']>;
/** The services that offer list/get/create/update/delete by numeric id. */
type CrudKey = 'projects' | 'vendors' | 'tags' | 'ranges' | 'users';

export interface CrudOptions {
  /** Service name, URL segment and OpenAPI tag ("/ranges", "/ranges/{id}"). */
  key: CrudKey;
  read: Access;
  write: Access;
  create: z.ZodType;
  update: z.ZodType;
  summaries: { list: string; create: string; get: string; update: string; delete: string };
  /** Error statuses of create and update besides 404/422 (a taken name: 409). */
  conflicts?: boolean;
  /** DELETE can be refused with 409 (something still links to it, the last superuser…). */
  deleteConflicts?: boolean;
}

/** GET/POST /<key> and GET/PATCH/DELETE /<key>/{id}, each a thin call into the service of that name. */
export function crudRoutes(o: CrudOptions): RouteSpec[] {
  const svc = (req: Parameters<ApiContext['services']>[0], ctx: ApiContext): Services[CrudKey] => ctx.services(req)[o.key];
  const conflict = o.conflicts === false ? [] : [409];
  return [
    {
      method: 'get',
      path: `/${o.key}`,
      access: o.read,
      tag: o.key,
      summary: o.summaries.list,
      async handler(req, res, ctx) {
        res.json(await svc(req, ctx).list());
      },
    },
    {
      method: 'post',
      path: `/${o.key}`,
      access: o.write,
      tag: o.key,
      summary: o.summaries.create,
      body: o.create,
      errors: [...conflict, 422],
      async handler(req, res, ctx) {
        res.json(await svc(req, ctx).create(req.body));
      },
    },
    {
      method: 'get',
      path: `/${o.key}/:id`,
      access: o.read,
      tag: o.key,
      summary: o.summaries.get,
      errors: [404, 422],
      async handler(req, res, ctx) {
        res.json(await svc(req, ctx).get(idParam(req)));
      },
    },
    {
      method: 'patch',
      path: `/${o.key}/:id`,
      access: o.write,
      tag: o.key,
      summary: o.summaries.update,
      body: o.update,
      errors: [404, ...conflict, 422],
      async handler(req, res, ctx) {
        res.json(await svc(req, ctx).update(idParam(req), req.body));
      },
    },
    {
      method: 'delete',
      path: `/${o.key}/:id`,
      access: o.write,
      tag: o.key,
      summary: o.summaries.delete,
      status: 204,
      errors: o.deleteConflicts ? [404, 409, 422] : [404, 422],
      async handler(req, res, ctx) {
        await svc(req, ctx).delete(idParam(req));
        res.status(204).end();
      },
    },
  ];
}
