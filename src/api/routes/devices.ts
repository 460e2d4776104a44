import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ArchiveSchema, DeviceCreateSchema, DeviceListQuerySchema, HistoryQuerySchema } from '../../services/devices/schemas.js';
import { BulkEditSchema, DeviceEditSchema, TagChangeSchema } from '../../services/devices/schemas.js';
import { parseInput } from '../../services/validate.js';
import { idParam, textParam } from '../http.js';
import type { RouteSpec } from '../route-table.js';
import { deviceListQuery, sendPage } from './devices-query.js';

const ExportQuerySchema = DeviceListQuerySchema.omit({ limit: true, offset: true }).extend({ format: z.enum(['csv', 'json']).default('csv') });
const OverrideBodySchema = z.object({ value: z.unknown() }).strict();
const DeviceHistoryQuerySchema = HistoryQuerySchema.omit({ device_id: true, run_id: true });
const idParams = z.object({ id: z.string() });
const overrideParams = z.object({ id: z.string(), field: z.string() });

/** /devices: the one inventory of servers, VMs, hypervisors and lab hardware (issue 14). */
export const deviceRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/devices',
    access: 'read',
    tag: 'devices',
    summary:
      'A page of devices ({items, total, limit, offset}; X-Total-Count, Link). q matches name, hostname, serial, asset tag and UUID (contains) and a MAC or IP exactly; filters kind, platform, power_state (lists: comma-separated or repeated), os_type, os_family, owner_id, business_owner_id, technical_owner_id, project_id, environment, room_location, network, tag, source, mac, serial, cluster, hypervisor_device_id, custom[<key>]=<value>, not_seen_days, archived=exclude|only|include; sort=<column> or -<column>.',
    query: DeviceListQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(DeviceListQuerySchema, deviceListQuery(req), 'query');
      const page = await ctx.services(req).devices.list(q);
      sendPage(req, res, { ...page, limit: q.limit, offset: q.offset }, q);
    },
  },
  {
    method: 'get',
    path: '/devices/export',
    access: 'login',
    tag: 'devices',
    summary: 'Exactly the filtered device list (the filters and sort of GET /devices, every page) as CSV (format=csv, default) or a JSON array (format=json), streamed.',
    query: ExportQuerySchema,
    produces: ['text/csv', 'application/json'],
    errors: [422],
    stream: true,
    async handler(req, res, ctx) {
      const { format, ...filter } = parseInput(ExportQuerySchema, deviceListQuery(req), 'query');
      const stream = ctx.services(req).deviceExports.stream(format, filter);
      res.status(200).type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json');
      res.setHeader('Content-Disposition', `attachment; filename="devices.${format}"`);
      await pipeline(stream, res);
    },
  },
  {
    method: 'get',
    path: '/device-changes',
    access: 'read',
    tag: 'devices',
    summary: 'Device history across devices, newest first ({items, total}; X-Total-Count, Link): since_hours=24 for "changed in the last 24 h", since, field, run_id, device_id, changed_by (the user).',
    query: HistoryQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(HistoryQuerySchema, req.query, 'query');
      const page = await ctx.services(req).devices.history(q);
      sendPage(req, res, page, q);
    },
  },
  {
    method: 'post',
    path: '/devices',
    access: 'editor',
    tag: 'devices',
    summary: 'Creates a device: manual fields, and the facts a person knows (kept as the `manual` source, which any sync outranks). Answers the device page.',
    body: DeviceCreateSchema,
    status: 201,
    errors: [409, 422],
    async handler(req, res, ctx) {
      res.status(201).json(await ctx.services(req).devices.create(req.body));
    },
  },
  {
    method: 'post',
    path: '/devices/bulk',
    access: 'editor',
    tag: 'devices',
    summary: 'The same edit (manual fields, owners, overrides; not the name) and/or tag change for up to 1000 devices, all or nothing.',
    body: BulkEditSchema,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).devices.bulk(req.body));
    },
  },
  {
    method: 'get',
    path: '/devices/:id',
    access: 'read',
    tag: 'devices',
    summary: 'The device page: effective values (and where each came from), facts per source with raw payloads, overrides, disks, NICs, IPs, owners, custom fields, and the newest 50 history rows (history: {items, total}).',
    params: idParams,
    errors: [404, 422],
    async handler(req, res, ctx) {
      const id = idParam(req);
      const s = ctx.services(req);
      const device = await s.devices.get(id);
      res.json({ ...device, history: await s.devices.history({ device_id: id, limit: 50 }) });
    },
  },
  {
    method: 'get',
    path: '/devices/:id/history',
    access: 'read',
    tag: 'devices',
    summary: 'One device\'s history ({items, total}), newest first: field, old, new, when, who or which run.',
    params: idParams,
    query: DeviceHistoryQuerySchema,
    errors: [404, 422],
    async handler(req, res, ctx) {
      const id = idParam(req);
      const q = parseInput(DeviceHistoryQuerySchema, req.query, 'query');
      const s = ctx.services(req);
      await s.devices.get(id);
      const page = await s.devices.history({ ...q, device_id: id });
      sendPage(req, res, page, q);
    },
  },
  {
    method: 'patch',
    path: '/devices/:id',
    access: 'editor',
    tag: 'devices',
    summary:
      'Changes manual fields (name, notes, location, project or project_name, environment, business/technical owner, tags, manual MACs and IPs, custom_fields) and overrides ({field: value} sets, {field: null} clears), in one transaction. Answers the device page.',
    params: idParams,
    body: DeviceEditSchema,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).devices.edit(idParam(req), req.body));
    },
  },
  {
    method: 'post',
    path: '/devices/:id/tags',
    access: 'editor',
    tag: 'devices',
    summary: 'Adds and removes tags ({add: [...], remove: [...]}); the device\'s other tags stay.',
    params: idParams,
    body: TagChangeSchema,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).devices.changeTags(idParam(req), req.body));
    },
  },
  {
    method: 'put',
    path: '/devices/:id/overrides/:field',
    access: 'editor',
    tag: 'devices',
    summary: 'Sets the operator\'s value of a fact field ({value}): it wins over every source and survives every sync until cleared.',
    params: overrideParams,
    body: OverrideBodySchema,
    errors: [404, 422],
    async handler(req, res, ctx) {
      const { value } = parseInput(OverrideBodySchema, req.body);
      res.json(await ctx.services(req).devices.setOverride(idParam(req), textParam(req, 'field'), value));
    },
  },
  {
    method: 'delete',
    path: '/devices/:id/overrides/:field',
    access: 'editor',
    tag: 'devices',
    summary: 'Clears an override: the field shows the highest-priority source\'s fact again.',
    params: overrideParams,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).devices.clearOverride(idParam(req), textParam(req, 'field')));
    },
  },
  {
    method: 'post',
    path: '/devices/:id/archive',
    access: 'editor',
    tag: 'devices',
    summary: 'Archives (soft-deletes) a device with a reason; it keeps its facts and history and leaves the list unless archived=include|only.',
    params: idParams,
    body: ArchiveSchema,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).devices.archive(idParam(req), req.body));
    },
  },
  {
    method: 'post',
    path: '/devices/:id/restore',
    access: 'editor',
    tag: 'devices',
    summary: 'Brings an archived device back.',
    params: idParams,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(await ctx.services(req).devices.restore(idParam(req)));
    },
  },
];
