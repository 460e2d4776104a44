import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { containsSql, containsPattern } from '../../db/helpers/text.js';
import { formatTimestamp } from '../../domain/time.js';
import { tryParseAddress } from '../../domain/ip/address.js';
import { normalizeMac } from '../../domain/devices/mac.js';
import { countOf } from '../rows.js';
import { parseInput } from '../validate.js';
import { DeviceListQuerySchema, type DeviceListQuery } from './schemas.js';
import { toSummary } from './summary.js';
import type { DeviceSummary } from './wire.js';

type Query = ReturnType<typeof parseQuery>;
const parseQuery = (q: DeviceListQuery) => parseInput(DeviceListQuerySchema, q, 'query');

/**
 * The free-text match: contains on name/hostname/serial/asset tag/UUID, and the exact MAC or IP
 * when the text is one (an index lookup in device_macs / device_ips / ip_assets, not a scan).
 */
function whereText(db: Db, q: Knex.QueryBuilder, text: string): void {
  const p = containsPattern(text);
  const mac = normalizeMac(text);
  const ip = tryParseAddress(text);
  q.where((b) => {
    for (const column of ['h.name', 'h.hostname', 'h.serial', 'h.asset_tag', 'h.uuid']) b.orWhereRaw(containsSql(db, column), [p]);
    if (mac) b.orWhereIn('h.id', db('device_macs').select('device_id').where('mac', mac));
    if (ip) {
      b.orWhereIn('h.id', db('device_ips').select('device_id').where('ip_address', ip.address));
      b.orWhereIn('h.id', db('ip_assets').select('host_id').where({ ip_address: ip.address, archived: false }).whereNotNull('host_id'));
    }
  });
}

function filtered(db: Db, f: Query): Knex.QueryBuilder {
  const q = db('hosts as h');
  if (f.archived === 'exclude') q.whereNull('h.archived_at');
  if (f.archived === 'only') q.whereNotNull('h.archived_at');
  if (f.q) whereText(db, q, f.q);
  if (f.kind?.length) q.whereIn('h.kind', f.kind);
  if (f.platform?.length) q.whereIn('h.platform', f.platform);
  if (f.power_state?.length) q.whereIn('h.power_state', f.power_state);
  for (const key of ['os_type', 'os_family', 'project_id', 'environment', 'room_location', 'business_owner_id', 'technical_owner_id', 'serial', 'cluster', 'hypervisor_device_id'] as const) {
    if (f[key] !== undefined) q.where(`h.${key}`, f[key]);
  }
  if (f.owner_id) q.where((b) => b.where('h.business_owner_id', f.owner_id!).orWhere('h.technical_owner_id', f.owner_id!));
  if (f.mac) q.whereIn('h.id', db('device_macs').select('device_id').where('mac', f.mac));
  if (f.network) q.whereIn('h.id', db('device_nics').select('device_id').where('network_name', f.network));
  if (f.tag) q.whereIn('h.id', db('device_tags').select('device_id').where('tag', f.tag));
  if (f.source) q.whereIn('h.id', db('device_facts').select('device_id').where('source', f.source));
  for (const [key, value] of Object.entries(f.custom ?? {})) {
    q.whereIn('h.id', db('device_custom_values as v').join('custom_fields as cf', 'cf.id', 'v.field_id').select('v.device_id').where('cf.key', key).where('v.value_text', value));
  }
  if (f.not_seen_days !== undefined) {
    const cutoff = formatTimestamp(new Date(Date.now() - f.not_seen_days * 86_400_000));
    q.where((b) => b.where('h.last_seen_at', '<', cutoff).orWhereNull('h.last_seen_at'));
  }
  return q;
}

/** One page of devices (effective values), filtered and sorted in SQL; the name breaks ties. */
export async function listDevices(db: Db, query: DeviceListQuery): Promise<{ items: DeviceSummary[]; total: number }> {
  const f = parseQuery(query);
  const desc = f.sort.startsWith('-');
  const column = f.sort.replace(/^-/, '');
  const page = filtered(db, f).select('h.*');
  if (column !== 'name') page.orderByRaw(`CASE WHEN h.${column} IS NULL THEN 1 ELSE 0 END`).orderBy(`h.${column}`, desc ? 'desc' : 'asc');
  page.orderBy('h.name', column === 'name' && desc ? 'desc' : 'asc');
  const rows = (await page.limit(f.limit).offset(f.offset)) as Record<string, unknown>[];
  const items = await summaries(db, rows);
  return { items, total: await countOf(filtered(db, f)) };
}

/** Device rows with their tags, MACs and sources (three grouped queries for the page). */
export async function summaries(db: Db, rows: Record<string, unknown>[]): Promise<DeviceSummary[]> {
  const ids = rows.map((r) => Number(r.id));
  const group = async (table: string, column: string): Promise<Map<number, string[]>> => {
    const out = new Map<number, string[]>();
    if (ids.length === 0) return out;
    const found = (await db(table).distinct('device_id', column).whereIn('device_id', ids).orderBy(column)) as Record<string, unknown>[];
    for (const r of found) {
      const list = out.get(Number(r.device_id)) ?? [];
      list.push(String(r[column]));
      out.set(Number(r.device_id), list);
    }
    return out;
  };
  const [tags, macs, sources] = [await group('device_tags', 'tag'), await group('device_macs', 'mac'), await group('device_facts', 'source')];
  return rows.map((r) => toSummary(r, { tags: tags.get(Number(r.id)) ?? [], macs: macs.get(Number(r.id)) ?? [], sources: sources.get(Number(r.id)) ?? [] }));
}
