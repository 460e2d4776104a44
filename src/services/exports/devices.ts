import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { DevicesService } from '../devices/index.js';
import { DeviceListQuerySchema, type DeviceListQuery } from '../devices/schemas.js';
import type { DeviceSummary } from '../devices/wire.js';
import type { ServiceContext } from '../context.js';
import { parseInput } from '../validate.js';
import { safeCell } from './streams.js';

/** The device list's columns in a CSV, in the order the panel's list shows them. */
export const DEVICE_EXPORT_COLUMNS = [
  'id', 'name', 'kind', 'platform', 'hostname', 'serial', 'asset_tag', 'macs', 'model', 'vendor', 'uuid', 'os_type', 'os_family', 'os_version',
  'firmware_version', 'power_state', 'vcpus', 'memory_mb', 'disk_count', 'disk_total_gb', 'nic_count', 'cluster', 'hypervisor', 'room_location',
  'sub_location', 'project_id', 'environment', 'business_owner_id', 'technical_owner_id', 'tags', 'sources', 'notes', 'archived', 'first_seen_at',
  'last_seen_at', 'created_at', 'updated_at',
] as const satisfies readonly (keyof DeviceSummary)[];

const PAGE = 1000;

/** Every device the filter matches (paging parameters ignored), page by page in the list's order. */
async function* pages(ctx: ServiceContext, filter: DeviceListQuery): AsyncGenerator<DeviceSummary[]> {
  const devices = new DevicesService(ctx);
  for (let offset = 0; ; offset += PAGE) {
    const { items } = await devices.list({ ...filter, limit: PAGE, offset });
    yield items;
    if (items.length < PAGE) return;
  }
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return safeCell(v.join(', '));
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return safeCell(String(v));
}

/** Exactly the filtered device list as CSV (the list's filters and sort, every page). */
function devicesCsv(ctx: ServiceContext, filter: DeviceListQuery): Readable {
  async function* lines(): AsyncGenerator<Buffer> {
    yield Buffer.from(stringify([[...DEVICE_EXPORT_COLUMNS]]), 'utf8');
    for await (const page of pages(ctx, filter)) if (page.length) yield Buffer.from(stringify(page.map((d) => DEVICE_EXPORT_COLUMNS.map((c) => cell(d[c])))), 'utf8');
  }
  return Readable.from(lines());
}

/** The same list as a JSON array of device records. */
function devicesJson(ctx: ServiceContext, filter: DeviceListQuery): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    let first = true;
    yield Buffer.from('[');
    for await (const page of pages(ctx, filter)) {
      for (const d of page) {
        yield Buffer.from((first ? '' : ',') + JSON.stringify(d), 'utf8');
        first = false;
      }
    }
    yield Buffer.from(']');
  }
  return Readable.from(chunks());
}

/**
 * The filtered device list as a file. The filter is parsed before the first byte, so a bad one
 * is a 422 rather than a cut download.
 */
export class DeviceExportsService {
  constructor(private readonly ctx: ServiceContext) {}

  stream(format: 'csv' | 'json', filter: DeviceListQuery): Readable {
    const f = parseInput(DeviceListQuerySchema, filter, 'query');
    return format === 'csv' ? devicesCsv(this.ctx, f) : devicesJson(this.ctx, f);
  }
}
