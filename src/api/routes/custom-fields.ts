import { z } from 'zod';
import { DEVICE_KINDS } from '../../domain/devices/kinds.js';
import { CustomFieldCreateSchema, CustomFieldUpdateSchema } from '../../services/devices/custom-fields.js';
import { parseInput } from '../../services/validate.js';
import { idParam } from '../http.js';
import type { RouteSpec } from '../route-table.js';

const idParams = z.object({ id: z.string() });
const ListQuerySchema = z.object({ device_kind: z.enum(DEVICE_KINDS).optional() }).strict();

/**
 * /custom-fields: the definitions a superuser makes per device kind (text, number, boolean, date,
 * URL, select); devices carry their values (PATCH /devices/{id} custom_fields) and filter by them.
 */
export const customFieldRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/custom-fields',
    access: 'read',
    tag: 'custom-fields',
    summary: 'Custom field definitions (array), by key; device_kind lists those that apply to that kind (its own and the ones for every kind).',
    query: ListQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(ListQuerySchema, req.query, 'query');
      res.json(await ctx.services(req).customFields.list(q.device_kind));
    },
  },
  {
    method: 'post',
    path: '/custom-fields',
    access: 'superuser',
    tag: 'custom-fields',
    summary: 'Defines a custom field (key unique; a select needs options; device_kind null applies to every kind).',
    body: CustomFieldCreateSchema,
    status: 201,
    errors: [409, 422],
    async handler(req, res, ctx) {
      res.status(201).json(await ctx.services(req).customFields.create(req.body));
    },
  },
  {
    method: 'get',
    path: '/custom-fields/:id',
    access: 'read',
    tag: 'custom-fields',
    summary: 'One custom field definition.',
    params: idParams,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).customFields.get(idParam(req)));
    },
  },
  {
    method: 'patch',
    path: '/custom-fields/:id',
    access: 'superuser',
    tag: 'custom-fields',
    summary: 'Changes label, device_kind, options or required (key and type stay as created).',
    params: idParams,
    body: CustomFieldUpdateSchema,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).customFields.update(idParam(req), req.body));
    },
  },
  {
    method: 'delete',
    path: '/custom-fields/:id',
    access: 'superuser',
    tag: 'custom-fields',
    summary: 'Deletes a definition and every device\'s value of it.',
    params: idParams,
    status: 204,
    errors: [404, 422],
    async handler(req, res, ctx) {
      await ctx.services(req).customFields.delete(idParam(req));
      res.status(204).end();
    },
  },
];
