import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { DEVICE_SEARCH_EXPRESSION, deviceTextMatches } from '../../db/helpers/device-search.js';
import { isPostgres } from '../../db/helpers/dialect.js';
import { containsPattern } from '../../db/helpers/text.js';
import { formatTimestamp } from '../../domain/time.js';
import { tryParseAddress } from '../../domain/ip/address.js';
import { normalizeMac } from '../../domain/devices/mac.js';
import { countableByCounters, deviceCountFromCounters } from '../../db/queries/device-counts.js';
import { countOf } from '../rows.js';
import { customFilterValues } from './custom-fields.js';
import { parseInput } from '../validate.js';
import { DeviceListQuerySchema, type DeviceListQuery } from './schemas.js';
import { toSummary } from './summary.js';
import type { DeviceSummary } from './wire.js';

type Query = ReturnType<typeof parseQuery>;
const parseQuery = (q: DeviceListQuery) => parseInput(DeviceListQuerySchema, q, 'query');

/**
 * The free-text match: contains on name/hostname/serial/asset tag/UUID (a trigram index lookup),
 * and the exact MAC or IP when the text is one, as one union of ids the page is then read from.
 * Walking (a text most devices contain, as the first letters typed in a live search), each device
 * of the list index is tested instead: reading 100k ids to sort them took 240-700 ms.
 */
function whereText(db: Db, q: Knex.QueryBuilder, text: string, walk: boolean): void {
  const mac = normalizeMac(text);
  const ip = tryParseAddress(text);
  const exact: Knex.QueryBuilder[] = [];
  if (mac) exact.push(db('device_macs').select('device_id').where('mac', mac));
  if (ip) {
    exact.push(db('device_ips').select('device_id').where('ip_address', ip.address));
    exact.push(db('ip_assets').select('host_id').where({ ip_address: ip.address, archived: false }).whereNotNull('host_id'));
  }
  if (walk) {
    const like = isPostgres(db) ? 'ILIKE' : 'LIKE';
    const expression = DEVICE_SEARCH_EXPRESSION.replace(/coalesce\((\w+)/g, 'coalesce(h.$1');
    q.where((b) => {
      b.whereRaw(`(${expression}) ${like} ? ESCAPE '\\'`, [containsPattern(text)]);
      for (const ids of exact) b.orWhereIn('h.id', ids);
    });
    return;
  }
  const ids = db.select('id').from(db.raw('(?) AS t', [deviceTextMatches(db, text)]));
  for (const more of exact) ids.union(more);
  q.whereIn('h.id', ids);
}

/** The archived condition on a hosts query: every list index starts with archived_at, so every branch states it. */
function archivedScope(q: Knex.QueryBuilder, f: Query, column: string): Knex.QueryBuilder {
  if (f.archived === 'exclude') q.whereNull(column);
  if (f.archived === 'only') q.whereNotNull(column);
  return q;
}

/** The filtered devices; `walk` when the page walks a list index in order rather than starting from the filters' ids. */
function filtered(db: Db, f: Query, walk = false): Knex.QueryBuilder {
  const q = archivedScope(db('hosts as h'), f, 'h.archived_at');
  if (f.q) whereText(db, q, f.q, walk);
  if (f.kind?.length) q.whereIn('h.kind', f.kind);
  if (f.platform?.length) q.whereIn('h.platform', f.platform);
  if (f.power_state?.length) q.whereIn('h.power_state', f.power_state);
  for (const key of ['os_type', 'os_family', 'project_id', 'environment', 'room_location', 'business_owner_id', 'technical_owner_id', 'serial', 'cluster', 'hypervisor_device_id'] as const) {
    if (f[key] !== undefined) q.where(`h.${key}`, f[key]);
  }
  // Either owner: two searches of the (archived_at, owner, name) indexes, unioned (an OR made SQLite scan).
  if (f.owner_id) {
    const by = (column: string) => archivedScope(db('hosts').select('id').where(column, f.owner_id!), f, 'archived_at');
    q.whereIn('h.id', by('business_owner_id').union(by('technical_owner_id')));
  }
  if (f.mac) q.whereIn('h.id', db('device_macs').select('device_id').where('mac', f.mac));
  for (const key of LISTED) {
    if (f[key] === undefined) continue;
    // Walking the list's index in page order, each device is tested (EXISTS on the child's
    // (device_id, value) index); as IN, SQLite reads every id of the value first and sorts them.
    if (walk) q.whereExists(idsWith(db, key, f[key]).whereRaw('device_id = h.id'));
    else q.whereIn('h.id', idsWith(db, key, f[key]));
  }
  for (const [key, value] of Object.entries(f.custom ?? {})) {
    q.whereIn('h.id', db('device_custom_values as v').join('custom_fields as cf', 'cf.id', 'v.field_id').select('v.device_id').where('cf.key', key).where('v.value_text', value));
  }
  // On the (archived_at, missing_since, id) index of migration 290.
  if (f.missing === 'only') q.whereNotNull('h.missing_since');
  if (f.missing === 'exclude') q.whereNull('h.missing_since');
  if (f.not_seen_days !== undefined) {
    const cutoff = formatTimestamp(new Date(Date.now() - f.not_seen_days * 86_400_000));
    q.where((b) => b.where('h.last_seen_at', '<', cutoff).orWhereNull('h.last_seen_at'));
  }
  return q;
}

/** Filters that are a short list of ids (a subquery) rather than a range of the list's indexes. */
const SELECTIVE = ['mac', 'owner_id', 'custom'] as const;

/** Filters on a child table that may be a short list of ids or most of the table (a common tag, the one sync source). */
const LISTED = ['tag', 'network', 'source'] as const;
type Listed = (typeof LISTED)[number];
const LISTS: Record<Listed, readonly [table: string, column: string]> = { tag: ['device_tags', 'tag'], network: ['device_nics', 'network_name'], source: ['device_facts', 'source'] };
const idsWith = (db: Db, key: Listed, value: string): Knex.QueryBuilder => db(LISTS[key][0]).select('device_id').where(LISTS[key][1], value);

/**
 * Devices a listed filter may match before reading its ids and sorting them costs more than
 * walking the list's index in page order and testing each device: ~sqrt(50 × 100k). Measured on
 * 100k devices, tag=prod (33k devices) sorted its matches in 170 ms (SQLite); walking, ~1 ms.
 */
export const BROAD = 2_000;

/** Whether the page should start from the filters' ids: any selective filter, or a listed one that matches few devices. */
async function drivenByIds(db: Db, f: Query): Promise<boolean> {
  if (SELECTIVE.some((k) => f[k] !== undefined)) return true;
  if (f.q !== undefined && (await countOf(db.from(db.raw('(?) AS probe', [db.select('id').from(db.raw('(?) AS t', [deviceTextMatches(db, f.q)])).limit(BROAD)])))) < BROAD) return true;
  for (const key of LISTED) {
    if (f[key] === undefined) continue;
    // An index-only count that stops at BROAD: under a millisecond however common the value is.
    if ((await countOf(db.from(idsWith(db, key, f[key]).limit(BROAD).as('probe')))) < BROAD) return true;
  }
  return false;
}
const NUMERIC_SORTS = new Set(['vcpus', 'memory_mb']);

/**
 * From this offset on, the page first skips over ids alone (an index-only scan: SQLite's indexes
 * carry the rowid, PostgreSQL's live name index includes id, migration 232), then reads the 50
 * rows it keeps. Skipping whole rows read 50k heap rows for offset 50k (65-105 ms on PostgreSQL).
 */
export const DEEP = 1_000;

/** The rows of these ids, in the ids' order. */
async function rowsOf(db: Db, ids: { id: number }[]): Promise<Record<string, unknown>[]> {
  const found = ids.length === 0 ? [] : ((await db('hosts').whereIn('id', ids.map((r) => r.id))) as Record<string, unknown>[]);
  const byId = new Map(found.map((r) => [Number(r.id), r]));
  return ids.map((r) => byId.get(Number(r.id))).filter((r): r is Record<string, unknown> => r !== undefined);
}

/** One page of devices (effective values), filtered and sorted in SQL; the name breaks ties. */
export async function listDevices(db: Db, query: DeviceListQuery): Promise<{ items: DeviceSummary[]; total: number; total_exact: boolean }> {
  const f = parseQuery(query);
  if (f.custom) f.custom = await customFilterValues(db, f.custom);
  const desc = f.sort.startsWith('-');
  const column = f.sort.replace(/^-/, '');
  const dir = desc ? 'DESC' : 'ASC';
  const byIds = await drivenByIds(db, f);
  const page = filtered(db, f, !byIds);
  // A selective id filter (MAC, text, network, tag, owner…) should drive the query and sort its few
  // rows; ordered by the bare column, SQLite walks the whole name index testing each row instead
  // (60-100 ms on 100k devices). An expression in ORDER BY keeps the index out of the order.
  const term = (c: string) => (!byIds ? `h.${c}` : NUMERIC_SORTS.has(c) ? `(h.${c} + 0)` : `(h.${c} || '')`);
  // No value sorts as the largest (last ascending, first descending) on both databases: the order
  // both read straight from a (column, name) index; name in the same direction for the same reason.
  if (column !== 'name') page.orderByRaw(`${term(column)} ${dir} NULLS ${desc ? 'FIRST' : 'LAST'}`);
  page.orderByRaw(`${term('name')} ${dir}`);
  page.limit(f.limit).offset(f.offset);
  const rows = f.offset < DEEP ? ((await page.select('h.*')) as Record<string, unknown>[]) : await rowsOf(db, (await page.select('h.id')) as { id: number }[]);
  const items = await summaries(db, rows);
  return { items, ...(await countDevices(db, f, rows.length, !byIds)) };
}

/**
 * Counting stops this many rows past the page's offset when the counters cannot answer (as the IP
 * list's text and tag counts do): an exact count of a common tag over 100k devices took 500 ms on
 * PostgreSQL, 1,000 rows take a few. The total is then a lower bound, `total_exact: false`.
 */
export const COUNT_CAP = 1_000;

/** Filters the trigger-kept device_counts answer (with the archived scope, always stated). */
const COUNTER_FILTERS = new Set(['kind', 'platform']);

/**
 * The total. From the counters (exact, a SUM over a few dozen rows) for the plain list and the
 * kind/platform chips; from the page itself when it is the last one; else counted up to
 * COUNT_CAP rows past the offset, `total_exact: false` saying the total is "at least".
 */
async function countDevices(db: Db, f: Query, shown: number, walk: boolean): Promise<{ total: number; total_exact: boolean }> {
  const used = Object.entries(f).filter(([k, v]) => !['archived', 'sort', 'limit', 'offset'].includes(k) && v !== undefined && !(Array.isArray(v) && v.length === 0)).map(([k]) => k);
  if (used.every((k) => COUNTER_FILTERS.has(k)) && countableByCounters(f.platform)) {
    return { total: await deviceCountFromCounters(db, f), total_exact: true };
  }
  if (shown < f.limit && (shown > 0 || f.offset === 0)) return { total: f.offset + shown, total_exact: true };
  const cap = f.offset + COUNT_CAP;
  const capped = filtered(db, f, walk).select(db.raw('1')).limit(cap + 1);
  const n = await countOf(db.from(capped.as('capped')));
  return n > cap ? { total: cap, total_exact: false } : { total: n, total_exact: true };
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
