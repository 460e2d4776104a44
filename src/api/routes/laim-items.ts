import type { Request } from 'express';
import { z } from 'zod';
import { LAIM_ITEM_TYPES, LAIM_KINDS, LaimItemCreateSchema, LaimItemListQuerySchema, LaimItemUpdateSchema, laimItemType, laimSource, laimToDevice } from '../../domain/devices/laim.js';
import { NotFoundError } from '../../domain/errors.js';
import type { DeviceDetail } from '../../services/devices/wire.js';
import type { Services } from '../../services/index.js';
import { parseInput } from '../../services/validate.js';
import { idParam, setPageHeaders } from '../http.js';
import type { ApiContext, RouteSpec } from '../route-table.js';

/** A device as LAIM shows an inventory item: its field names, its category names, its one MAC and IP. */
export function laimItem(d: DeviceDetail): Record<string, unknown> {
  return {
    id: d.id,
    hostname: d.name,
    serial_number: d.serial,
    mac_address: d.macs[0] ?? null,
    asset_tag: d.asset_tag,
    item_type: laimItemType(d.kind),
    room_location: d.room_location,
    sub_location: d.sub_location,
    notes: d.notes,
    source: laimSource(d.sources),
    ip_address: d.ips.find((ip) => ip.is_primary)?.ip_address ?? d.ips[0]?.ip_address ?? d.ip_assets[0]?.ip_address ?? null,
    model: d.model,
    vendor: d.vendor,
    firmware_version: d.firmware_version ?? d.os_version,
    last_synced_at: d.last_seen_at,
    created_at: d.created_at,
    updated_at: d.updated_at,
  };
}

/** The device behind a LAIM item id: 404 when it is gone (soft-deleted) or is no lab hardware (a VM). */
async function itemDevice(s: Services, id: number): Promise<DeviceDetail> {
  const d = await s.devices.get(id);
  if (d.archived || !(LAIM_KINDS as readonly string[]).includes(d.kind)) throw new NotFoundError('Item', id);
  return d;
}

const svc = (req: Request, ctx: ApiContext): Services => ctx.services(req);
const idParams = z.object({ id: z.string() });

/** LAIM's own routes (seed 004) on the device services, with LAIM's field and category names. */
export const laimRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/items',
    access: 'read',
    tag: 'laim',
    summary: `LAIM: inventory items (array; X-Total-Count, Link), by hostname. search matches hostname, serial, asset tag (contains), MAC and IP; item_type (${Object.keys(LAIM_ITEM_TYPES).join(', ')}) and room_location filter; limit/offset page.`,
    query: LaimItemListQuerySchema,
    errors: [422],
    async handler(req, res, ctx) {
      const q = parseInput(LaimItemListQuerySchema, req.query, 'query');
      const s = svc(req, ctx);
      const page = await s.devices.list({ q: q.search, kind: q.item_type ? [q.item_type] : [...LAIM_KINDS], room_location: q.room_location, limit: q.limit, offset: q.offset });
      // The page's devices read set-based: the same few statements for a page of 5 or of 200.
      const items = (await s.devices.getMany(page.items.map((d) => d.id))).map(laimItem);
      setPageHeaders(req, res, { total: page.total, limit: q.limit, offset: q.offset });
      res.json(items);
    },
  },
  {
    method: 'post',
    path: '/api/items',
    access: 'editor',
    tag: 'laim',
    summary: 'LAIM: creates an item (hostname and item_type required); its serial, model, vendor and firmware are kept as facts typed in by hand.',
    body: LaimItemCreateSchema,
    status: 201,
    errors: [409, 422],
    async handler(req, res, ctx) {
      const { manual, facts } = laimToDevice(parseInput(LaimItemCreateSchema, req.body));
      const d = await svc(req, ctx).devices.create({ ...manual, ...facts, name: manual.name! });
      res.status(201).json(laimItem(d));
    },
  },
  {
    method: 'get',
    path: '/api/items/:id',
    access: 'read',
    tag: 'laim',
    summary: 'LAIM: one item (404 once deleted).',
    params: idParams,
    errors: [404, 422],
    async handler(req, res, ctx) {
      res.json(laimItem(await itemDevice(svc(req, ctx), idParam(req))));
    },
  },
  {
    method: 'put',
    path: '/api/items/:id',
    access: 'editor',
    tag: 'laim',
    summary: 'LAIM: changes the fields sent in one transaction; item_type, serial_number, model, vendor and firmware_version become overrides a later sync does not undo (an emptied one stays empty).',
    params: idParams,
    body: LaimItemUpdateSchema,
    errors: [404, 409, 422],
    async handler(req, res, ctx) {
      const id = idParam(req);
      const s = svc(req, ctx);
      const { manual, facts } = laimToDevice(parseInput(LaimItemUpdateSchema, req.body));
      await itemDevice(s, id);
      res.json(laimItem(await s.devices.edit(id, { ...manual, overrides: facts }, { nullMeans: 'blank' })));
    },
  },
  {
    method: 'delete',
    path: '/api/items/:id',
    access: 'editor',
    tag: 'laim',
    summary: 'LAIM: soft-deletes an item (the device is archived, with who and when; its history stays).',
    params: idParams,
    status: 204,
    errors: [404, 422],
    async handler(req, res, ctx) {
      const id = idParam(req);
      const s = svc(req, ctx);
      await itemDevice(s, id);
      await s.devices.archive(id, { reason: 'deleted through LAIM DELETE /api/items' });
      res.status(204).end();
    },
  },
  {
    method: 'get',
    path: '/api/stats',
    access: 'read',
    tag: 'laim',
    summary: 'LAIM: dashboard statistics of live items: total_items, by_type (every category, 0 included), by_room, by_source (manual, netdisco, librenms, merged).',
    async handler(req, res, ctx) {
      const stats = svc(req, ctx).devices;
      const [kinds, rooms, sources] = await Promise.all([stats.countBy('kind', LAIM_KINDS), stats.countBy('room_location', LAIM_KINDS), stats.laimSources(LAIM_KINDS)]);
      const byType = Object.fromEntries(Object.entries(LAIM_ITEM_TYPES).map(([type, kind]) => [type, kinds.find((k) => k.value === kind)?.count ?? 0]));
      const byRoom = Object.fromEntries(rooms.map((r) => [r.value ?? 'unassigned', r.count]));
      res.json({ total_items: kinds.reduce((n, k) => n + k.count, 0), by_type: byType, by_room: byRoom, by_source: sources });
    },
  },
];
