import type { z } from 'zod';
import { ProjectCreateSchema, ProjectUpdateSchema, TagCreateSchema, TagUpdateSchema, VendorCreateSchema, VendorUpdateSchema } from '../../services/schemas/catalog.js';
import { idParam } from '../http.js';
import type { ApiContext, RouteSpec } from '../route-table.js';

type CatalogKey = 'projects' | 'vendors' | 'tags';

/** GET/POST /<name>, GET/PATCH/DELETE /<name>/{id} for a named catalog; DELETE answers 409 with the reason while something links to it. */
function catalogRoutes(key: CatalogKey, entity: string, create: z.ZodType, update: z.ZodType, deleteNote: string): RouteSpec[] {
  const svc = (req: Parameters<ApiContext['services']>[0], ctx: ApiContext) => ctx.services(req)[key];
  return [
    {
      method: 'get',
      path: `/${key}`,
      access: 'read',
      tag: key,
      summary: `Every ${entity.toLowerCase()} by name (array).`,
      async handler(req, res, ctx) {
        res.json(await svc(req, ctx).list());
      },
    },
    {
      method: 'post',
      path: `/${key}`,
      access: 'editor',
      tag: key,
      summary: `Creates a ${entity.toLowerCase()}; a taken name answers 409.`,
      body: create,
      errors: [409, 422],
      async handler(req, res, ctx) {
        res.json(await svc(req, ctx).create(req.body));
      },
    },
    {
      method: 'get',
      path: `/${key}/:id`,
      access: 'read',
      tag: key,
      summary: `One ${entity.toLowerCase()}.`,
      errors: [404, 422],
      async handler(req, res, ctx) {
        res.json(await svc(req, ctx).get(idParam(req)));
      },
    },
    {
      method: 'patch',
      path: `/${key}/:id`,
      access: 'editor',
      tag: key,
      summary: `Changes the fields sent of a ${entity.toLowerCase()}.`,
      body: update,
      errors: [404, 409, 422],
      async handler(req, res, ctx) {
        res.json(await svc(req, ctx).update(idParam(req), req.body));
      },
    },
    {
      method: 'delete',
      path: `/${key}/:id`,
      access: 'editor',
      tag: key,
      summary: `Deletes a ${entity.toLowerCase()}. ${deleteNote}`,
      status: 204,
      errors: [404, 409, 422],
      async handler(req, res, ctx) {
        await svc(req, ctx).delete(idParam(req));
        res.status(204).end();
      },
    },
  ];
}

export const catalogRouteSpecs: RouteSpec[] = [
  ...catalogRoutes('projects', 'Project', ProjectCreateSchema, ProjectUpdateSchema, '409 while IP assets are assigned to it.'),
  ...catalogRoutes('vendors', 'Vendor', VendorCreateSchema, VendorUpdateSchema, '409 while hosts use it.'),
  ...catalogRoutes('tags', 'Tag', TagCreateSchema, TagUpdateSchema, 'It is removed from every asset.'),
];
