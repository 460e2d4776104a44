import { z } from 'zod';
import { OwnerCreateSchema, OwnerListQuerySchema, OwnerUpdateSchema } from '../../services/devices/owners.js';
import { parseInput } from '../../services/validate.js';
import { idParam } from '../http.js';
import type { RouteSpec } from '../route-table.js';
import { sendPage } from './devices-query.js';

const idParams = z.object({ id: z.string() });

/** /owners: the business and technical owners of devices (VMI's owners). Editors write. */
export const ownerRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/owners',
    access: 'read',
    tag: 'owners',
    summary: 'Owners by name ({items, total}; X-Total-Count, Link), each with device_count; q matches name, email and department (contains), department filters exactly.',
    query: OwnerListQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(OwnerListQuerySchema, req.query, 'query');
      const page = await ctx.services(req).owners.list(q);
      sendPage(req, res, page, q);
    },
  },
  {
    method: 'post',
    path: '/owners',
    access: 'editor',
    tag: 'owners',
    summary: 'Creates an owner (full_name, email unique whatever its case, designation, department, optional user_id).',
    body: OwnerCreateSchema,
    status: 201,
    errors: [409, 422],
    async handler(req, res, ctx) {
      res.status(201).json(await ctx.services(req).owners.create(req.body));
    },
  },
  {
    method: 'get',
    path: '/owners/:id',
    access: 'read',
    tag: 'owners',
    summary: 'One owner.',
    params: idParams,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).owners.get(idParam(req)));
    },
  },
  {
    method: 'patch',
    path: '/owners/:id',
    access: 'editor',
    tag: 'owners',
    summary: 'Changes the fields sent.',
    params: idParams,
    body: OwnerUpdateSchema,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).owners.update(idParam(req), req.body));
    },
  },
  {
    method: 'delete',
    path: '/owners/:id',
    access: 'editor',
    tag: 'owners',
    summary: 'Deletes an owner; the devices it owned keep no owner in that role.',
    params: idParams,
    status: 204,
    errors: [404, 422],
    async handler(req, res, ctx) {
      await ctx.services(req).owners.delete(idParam(req));
      res.status(204).end();
    },
  },
];
