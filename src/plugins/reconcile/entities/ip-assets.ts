import { normalizeAssetType, type AssetType } from '../../../domain/asset-types.js';
import { describeChanges, type FieldChange, type FieldValue } from '../../../domain/changes.js';
import { parseAddressFast } from '../../../domain/ip/address-fast.js';
import type { ParsedAddress } from '../../../domain/ip/address.js';
import { parseTagList } from '../../../domain/tags.js';
import { fieldLoc, type AssetPolicy } from '../../batch.js';
import { defineEntity } from '../core/contract.js';
import { diffRecord, mergeField, mergeTags } from '../core/diff.js';
import { MAX_HOST_NAME, MAX_NAME, MAX_NOTES, MESSAGES, stamp, text } from '../core/prepare.js';
import { badReferences, reportBadReferences } from '../core/references.js';
import { loadAssetChunk, type StoredAsset } from '../store/state.js';
import type { AssetValues, AssetWrites } from '../store/types.js';
import { writeAssetsSeen } from '../store/sightings.js';
import type { Db } from '../../../db/connection.js';
import { toBool } from '../../../services/context.js';
import { anyHold, heldByReservationError, holdsAt, type HoldingReservation, type KeyRef } from '../../../services/pools/holders.js';
import type { HostLink } from './hosts.js';

/** The parsed address is inline (no nested object per record: 100k of them are 5 MB). */
export interface AssetRecord {
  loc: string;
  /** Canonical text. */
  address: string;
  version: ParsedAddress['version'];
  /** 32 hex digits (see ParsedAddress). */
  key: string;
  type?: AssetType;
  project_name?: string | null;
  host_name?: string | null;
  notes?: string | null;
  archived?: boolean;
  tags?: string[];
  created_at?: string;
  updated_at?: string;
  last_seen_at?: string | null;
  policy: AssetPolicy;
}

/** Prepared tag arrays are shared between records and never mutated (the plan copies before merging). */
const NO_TAGS: string[] = [];
const MAX_TAG_LISTS = 10_000;

/**
 * IP assets: the large entity, matched by address key and planned chunk by chunk. The records
 * come from the batch's address records and from the hosts' OS/BMC addresses (handed over by the
 * hosts entity); an address's own record wins over a host's link.
 */
export const ipAssets = defineEntity({
  entity: 'ip_assets',
  chunked: true,
  matchKeys: [{ name: 'address', incoming: (r: AssetRecord) => r.key, stored: (s: StoredAsset) => s.ip_key }],

  prepare(batch, ctx) {
    const out: AssetRecord[] = [];
    const assetDefaults = ctx.assetDefaults;
    const byKey = new Map<string, AssetRecord>();
    const tagLists = new Map<string, string[]>();
    const records = batch.ip_assets;
    for (let i = 0; i < records.length; i++) {
      const a = records[i]!;
      // Each raw record is released once read (its strings live on in the prepared one): a
      // 100k-record run never holds both forms whole.
      records[i] = undefined as never;
      // Every problem of the record is reported, then the record is left out.
      let bad = false;
      const fail = (location: string, message: string): void => {
        ctx.error(location, message);
        bad = true;
      };
      const ip = parseAddressFast(String(a.ip_address ?? '').trim());
      if (!ip) fail(a.ip_address ? fieldLoc(a.loc, 'ip_address') : a.loc, a.ip_address ? MESSAGES.ip : MESSAGES.ipRequired);
      let type: AssetType | undefined;
      if (a.type !== undefined && a.type !== null && String(a.type).trim() !== '') {
        type = normalizeAssetType(String(a.type)) ?? undefined;
        if (!type) fail(fieldLoc(a.loc, 'type'), MESSAGES.type);
      }
      let tags: string[] | undefined;
      if (a.tags !== undefined && a.tags.length === 0) tags = NO_TAGS;
      else if (a.tags !== undefined) {
        // Records mostly share a few tag lists (a connector's tags): one normalised array per distinct list.
        // Keyed with the count: valid names hold no NUL, so equal keys mean equal lists.
        const raw = `${a.tags.length}:${a.tags.join('\u0000')}`;
        tags = tagLists.get(raw);
        if (!tags) {
          const { names, problem } = parseTagList(a.tags);
          if (problem) fail(fieldLoc(a.loc, 'tags'), problem);
          else {
            tags = names;
            if (tagLists.size < MAX_TAG_LISTS) tagLists.set(raw, tags);
          }
        }
      }
      const notes = text(a.notes);
      if (notes && notes.length > MAX_NOTES) fail(fieldLoc(a.loc, 'notes'), `must be at most ${MAX_NOTES} characters`);
      const projectName = ctx.checkName(a.loc, 'project_name', a.project_name, MAX_NAME);
      const hostName = ctx.checkName(a.loc, 'host_name', a.host_name, MAX_HOST_NAME);
      if (bad || !ip) {
        ctx.droppedRefs.push({ loc: a.loc, project_name: projectName, host_name: hostName });
        continue;
      }
      // Duplicates by key (one per canonical address): byKey doubles as the "first seen" map.
      const prior = byKey.get(ip.key);
      if (prior) {
        ctx.error(a.loc, `duplicate IP address "${ip.address}" (first at ${prior.loc})`);
        continue;
      }
      const asset: AssetRecord = {
        loc: a.loc,
        address: ip.address,
        version: ip.version,
        key: ip.key,
        type,
        // The original's rule: a record changes an asset's project or host only when it names one
        // (an empty cell or null keeps the stored link; unlinking is an edit, not an import).
        project_name: projectName ?? undefined,
        host_name: hostName ?? undefined,
        notes,
        archived: a.archived,
        tags,
        created_at: stamp(a.created_at),
        updated_at: stamp(a.updated_at),
        last_seen_at: a.last_seen_at === undefined ? undefined : (stamp(a.last_seen_at) ?? null),
        // Records without their own flags share the batch's policy object (100k copies add up).
        policy: a.policy && Object.keys(a.policy).length > 0 ? { ...assetDefaults, ...a.policy } : assetDefaults,
      };
      byKey.set(ip.key, asset);
      out.push(asset);
    }
    records.length = 0;

    for (const link of ctx.handedTo<HostLink>('ip_assets')) {
      const asset = byKey.get(link.ip.key);
      if (!asset) {
        const created: AssetRecord = { loc: link.loc, address: link.ip.address, version: link.ip.version, key: link.ip.key, type: link.type, host_name: link.host, project_name: link.project_name, policy: { ...assetDefaults, type: 'overwrite', host: 'overwrite' } };
        byKey.set(link.ip.key, created);
        out.push(created);
        continue;
      }
      if (asset.host_name === undefined) asset.host_name = link.host;
      else if (asset.host_name !== link.host) ctx.warn(link.loc, `${link.ip.address} belongs to host "${asset.host_name ?? '(none)'}" in its own record (${asset.loc}); that record wins`);
      if (asset.type === undefined) asset.type = link.type;
    }
    return out;
  },

  // `v6`: which keys are IPv6 addresses (reservation holds are looked up by family and key).
  keysToLoad: (records) => ({ address: records.map((a) => a.key), v6: records.filter((a) => a.version === 6).map((a) => a.key) }),
  async load(db, keys, ctx) {
    const loaded = await loadAssetChunk(db, keys.address ?? [], ctx.ids('tags').byId, ctx.ids('hosts').byId);
    const v6 = new Set(keys.v6 ?? []);
    return { ...loaded, holds: await holdsOf(db, (keys.address ?? []).map((key) => ({ version: v6.has(key) ? 6 : 4, key }))) };
  },

  // Reference errors, and addresses held by a reservation, are reported in record order by plan;
  // knowing before the first write that one exists lets an apply write nothing at all.
  async willFail(records, ctx, db) {
    if (records.some((a) => badReferences(ctx, a).length > 0)) return true;
    return (await heldRecords(db, records)) > 0;
  },

  plan(items, loaded, ctx): AssetWrites {
    const hostIds = ctx.ids('hosts');
    // Hosts the chunk's stored rows link to that the batch never names: kept links must resolve.
    for (const h of loaded.hosts) hostIds.add(h.id, h.name);
    const projects = ctx.ids('projects').byId;
    const usedTags = ctx.uses('tags');
    const writes: AssetWrites = { create: [], update: [], seen: [] };
    for (const { record: a, stored: cur } of items) {
      if (reportBadReferences(ctx, a)) continue;
      // A live asset over an address a reservation holds (or keeps in quarantine) would count it
      // twice and hand it out twice: an error naming the holder, as REST create's 409.
      const holder = heldConflict(a, cur, loaded.holds);
      if (holder) {
        ctx.error(fieldLoc(a.loc, 'ip_address'), heldByReservationError(a.address, holder).message);
        continue;
      }
      if (!cur) {
        const values: AssetValues = {
          type: a.type ?? 'OTHER',
          project_name: a.project_name ?? null,
          host_name: a.host_name ?? null,
          notes: a.notes ?? null,
          archived: a.archived ?? false,
          last_seen_at: a.last_seen_at ?? null,
          tags: a.tags ?? [],
        };
        for (const t of values.tags) usedTags.add(t);
        const created = a.created_at ?? ctx.now;
        const seenAt = a.archived === true ? null : sightingTime(a, ctx.now);
        writes.create.push({ ip_address: a.address, ip_version: a.version, ip_key: a.key, ...values, created_at: created, updated_at: a.updated_at ?? created, seenAt, history: () => describeChanges(diffRecord({}, view(values))) });
        ctx.record('ip_assets', a.address, a.loc, 'CREATE', () => diffRecord({}, view(values)));
        continue;
      }
      const before = currentValues(cur, projects, hostIds.byId);
      const after: AssetValues = {
        type: mergeField(a.policy.type, before.type, a.type),
        project_name: mergeField(a.policy.project, before.project_name, a.project_name),
        host_name: mergeField(a.policy.host, before.host_name, a.host_name),
        notes: mergeField(a.policy.notes, before.notes, a.notes),
        archived: mergeField(a.policy.archived, before.archived, a.archived),
        last_seen_at: a.last_seen_at === undefined ? before.last_seen_at : a.last_seen_at,
        tags: mergeTags(a.policy.tags, before.tags, a.tags),
      };
      if (a.archived !== true) writes.seen.push({ id: cur.id, at: sightingTime(a, ctx.now) });
      const diff = diffRecord(view(before), view(after));
      if (diff.length > 0) {
        const tagsChanged = diff.some((d) => d.field === 'tags');
        if (tagsChanged) for (const t of after.tags) usedTags.add(t);
        writes.update.push({ id: cur.id, ip_address: cur.ip_address, ...after, tagsChanged, history: () => historyOf(diff) });
      }
      ctx.record('ip_assets', a.address, a.loc, diff.length ? 'UPDATE' : 'SKIP', diff);
    }
    return writes;
  },

  write: writeAssetsSeen,
});

/**
 * When the run saw the address: the record's own time (an Nmap scan's start) when it carries one
 * that is not in the future, else the run's. A record that says its address is archived (a bundle's
 * retired row) is no sighting; a source reporting an archived address is one (the report's unknown).
 */
function sightingTime(a: AssetRecord, now: string): string {
  return a.last_seen_at && a.last_seen_at < now ? a.last_seen_at : now;
}

/** The holding reservation a record runs into: when it would create a live asset, or restore an archived one, on a held address. */
function heldConflict(a: AssetRecord, cur: { archived: boolean } | undefined, holds: ReadonlyMap<string, HoldingReservation>): HoldingReservation | null {
  const holder = holds.get(`${a.version}:${a.key}`);
  if (!holder) return null;
  // A stored live asset cannot share its key with a hold (each side refuses the other): no change here.
  if (cur && !cur.archived) return null;
  const archivedAfter = cur ? mergeField(a.policy.archived, cur.archived, a.archived) : (a.archived ?? false);
  return archivedAfter ? null : holder;
}

/** Holds of the keys, skipping the look-ups when no reservation holds anything. */
async function holdsOf(db: Db, refs: readonly KeyRef[]): Promise<Map<string, HoldingReservation>> {
  if (refs.length === 0 || !(await anyHold(db))) return new Map();
  return holdsAt(db, refs);
}

/** How many records will be a hold error (what willFail asks before anything is written): the few held keys' stored rows decide. */
async function heldRecords(db: Db, records: readonly AssetRecord[]): Promise<number> {
  const holds = await holdsOf(db, records.filter((a) => a.archived !== true).map((a) => ({ version: a.version, key: a.key })));
  if (holds.size === 0) return 0;
  const candidates = records.filter((a) => holds.has(`${a.version}:${a.key}`));
  const stored = new Map<string, { archived: boolean }>();
  const keys = candidates.map((a) => a.key);
  for (let i = 0; i < keys.length; i += 900) {
    const rows = (await db('ip_assets').select('ip_version', 'ip_key', 'archived').whereIn('ip_key', keys.slice(i, i + 900))) as { ip_version: number; ip_key: string; archived: unknown }[];
    for (const r of rows) stored.set(`${Number(r.ip_version)}:${r.ip_key}`, { archived: toBool(r.archived) });
  }
  return candidates.filter((a) => heldConflict(a, stored.get(`${a.version}:${a.key}`), holds) !== null).length;
}

function currentValues(a: StoredAsset, projects: ReadonlyMap<number, string>, hosts: ReadonlyMap<number, string>): AssetValues {
  return {
    type: a.type,
    project_name: a.project_id === null ? null : (projects.get(a.project_id) ?? null),
    host_name: a.host_id === null ? null : (hosts.get(a.host_id) ?? null),
    notes: a.notes,
    archived: a.archived,
    last_seen_at: a.last_seen_at,
    tags: a.tags,
  };
}

/** An update's history line; a sighting alone (last_seen_at) is not an edit and writes none. */
function historyOf(diff: FieldChange[]): string | null {
  return diff.some((d) => d.field !== 'last_seen_at') ? describeChanges(diff) : null;
}

/** The fields a diff shows, named as operators know them. */
function view(v: AssetValues): Record<string, FieldValue> {
  return { type: v.type, project: v.project_name, host: v.host_name, notes: v.notes, archived: v.archived, tags: v.tags, last_seen_at: v.last_seen_at };
}
