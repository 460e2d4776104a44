import { normalizeAssetType, type AssetType } from '../../domain/asset-types.js';
import { normalizeHexColor } from '../../domain/colors.js';
import { tryParseAddress, type ParsedAddress } from '../../domain/ip/address.js';
import { tryParseCidr, type ParsedCidr } from '../../domain/ip/cidr.js';
import { normalizeTagName, parseTagList } from '../../domain/tags.js';
import { formatTimestamp, parseTimestamp } from '../../domain/time.js';
import { DEFAULT_POLICY, type AssetPolicy, type Batch, type BatchIssue, type CatalogPolicy, type HostPolicy } from '../batch.js';
import { fieldLoc } from './diff.js';

/** A batch validated and normalised: canonical addresses, known types, clean names. Bad records are dropped with an error. */
export interface PreparedBatch {
  source: string;
  issues: BatchIssue[];
  vendors: { loc: string; name: string }[];
  projects: { loc: string; name: string; description?: string | null; color?: string }[];
  tags: { loc: string; name: string; color?: string }[];
  ranges: { loc: string; name?: string; notes?: string | null; cidr: ParsedCidr }[];
  hosts: { loc: string; name: string; notes?: string | null; vendor_name?: string | null; project_name?: string | null; policy: HostPolicy }[];
  assets: PreparedAsset[];
  /**
   * The references of records left out for other errors: still checked by the plan, so every
   * problem of a record is reported at once (as the original does).
   */
  droppedRefs: { loc: string; project_name?: string | null; host_name?: string | null; vendor_name?: string | null }[];
  /** A host's vendor must be listed or stored (the original's bundle rule) instead of created on demand. */
  vendorsMustExist: boolean;
  catalogPolicy: CatalogPolicy;
}

/** The original's messages, which its clients show and match on. */
export const MESSAGES = {
  vendorName: 'Vendor name is required.',
  projectName: 'Project name is required.',
  hostName: 'Host name is required.',
  color: 'Color must be a hex value like #1a2b3c.',
  ipRequired: 'IP address is required.',
  ip: 'Invalid IP address.',
  type: 'Invalid asset type. Use OS, BMC, VM, VIP, OTHER.',
  vendorMissing: 'Vendor does not exist.',
  projectMissing: 'Project does not exist.',
  hostMissing: 'Host does not exist.',
} as const;

/** The parsed address is inline (no nested object per record: 100k of them are 5 MB). */
export interface PreparedAsset {
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

const MAX_NAME = 128;
const MAX_HOST_NAME = 255;
const MAX_NOTES = 10_000;
/** Prepared tag arrays are shared between records and never mutated (the plan copies before merging). */
const NO_TAGS: string[] = [];
const MAX_TAG_LISTS = 10_000;

/** Trims text; '' and null become null; undefined stays undefined (unknown). */
function text(v: string | null | undefined): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  const t = String(v).trim();
  return t === '' ? null : t;
}

const CANONICAL_STAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

function stamp(v: string | null | undefined): string | undefined {
  if (!v) return undefined;
  const text = String(v);
  // Most inputs (our own exports) are already canonical: skip the Date round-trip.
  if (CANONICAL_STAMP.test(text)) return text;
  const d = parseTimestamp(text);
  return d ? formatTimestamp(d) : undefined;
}

const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const V4_PREFIX = '00000000000000000000ffff';

/**
 * tryParseAddress with a fast path for plain dotted quads (the bulk of any import): the same
 * strict rules (no leading zeros) and the same canonical text and key, without ipaddr.js objects.
 */
export function parseAddressFast(input: string): ParsedAddress | null {
  const m = DOTTED_QUAD.exec(input);
  // join() builds one flat string; a template literal would keep a rope of four nodes per key (8 MB per 100k).
  if (m) return { address: input, version: 4, key: [V4_PREFIX, HEX[+m[1]!], HEX[+m[2]!], HEX[+m[3]!], HEX[+m[4]!]].join('') };
  const ip = tryParseAddress(input);
  // ipaddr.js builds the compressed IPv6 text from substrings: a rope over slices of a longer
  // string. Splitting at ':' copies the short groups, and join() gives one flat string.
  return ip && ip.version === 6 ? { address: ip.address.split(':').join(':'), version: 6, key: ip.key } : ip;
}

/**
 * Validates every record of a batch. Cost: linear in the batch, no I/O. Consumes the batch's
 * IP asset records: `batch.ip_assets` is empty afterwards (the prepared batch carries them).
 */
export function prepareBatch(batch: Batch): PreparedBatch {
  const issues: BatchIssue[] = [...batch.issues];
  const error = (location: string, message: string): void => void issues.push({ level: 'error', location, message });
  const warn = (location: string, message: string): void => void issues.push({ level: 'warning', location, message });
  const assetDefaults: AssetPolicy = { ...DEFAULT_POLICY.asset, ...batch.policy?.asset };
  const hostDefaults: HostPolicy = { ...DEFAULT_POLICY.host, ...batch.policy?.host };
  const out: PreparedBatch = {
    source: batch.source,
    issues,
    vendors: [],
    projects: [],
    tags: [],
    ranges: [],
    hosts: [],
    assets: [],
    droppedRefs: [],
    vendorsMustExist: batch.vendorsMustExist ?? false,
    catalogPolicy: { ...DEFAULT_POLICY.catalog, ...batch.policy?.catalog },
  };
  // The first record of a key wins; a later duplicate is an error naming the first.
  const seen = new Map<string, Map<string, string>>();
  const firstOf = (kind: string, key: string, loc: string): boolean => {
    let keys = seen.get(kind);
    if (!keys) seen.set(kind, (keys = new Map()));
    const prior = keys.get(key);
    if (prior !== undefined) {
      error(loc, `duplicate ${kind} "${key}" (first at ${prior})`);
      return false;
    }
    keys.set(key, loc);
    return true;
  };
  const checkName = (loc: string, field: string, value: string | null | undefined, max: number): string | null | undefined => {
    const t = text(value);
    if (t && t.length > max) {
      error(fieldLoc(loc, field), `must be at most ${max} characters`);
      return undefined;
    }
    return t;
  };

  for (const v of batch.vendors) {
    const name = checkName(v.loc, 'name', v.name, MAX_NAME);
    if (!name) {
      if (name === null) error(v.loc, MESSAGES.vendorName);
      continue;
    }
    if (firstOf('vendor', name, v.loc)) out.vendors.push({ loc: v.loc, name });
  }

  for (const p of batch.projects) {
    const name = checkName(p.loc, 'name', p.name, MAX_NAME);
    if (name === null) error(p.loc, MESSAGES.projectName);
    let color: string | undefined;
    if (p.color) {
      color = normalizeHexColor(p.color) ?? undefined;
      if (!color) error(fieldLoc(p.loc, 'color'), MESSAGES.color);
    }
    if (!name || (p.color && !color)) continue;
    if (firstOf('project', name, p.loc)) out.projects.push({ loc: p.loc, name, description: text(p.description), color });
  }

  for (const t of batch.tags) {
    const name = normalizeTagName(t.name ?? '');
    if (!name) {
      error(fieldLoc(t.loc, 'name'), `invalid tag name "${t.name}" (use letters, digits, "-" and "_")`);
      continue;
    }
    let color: string | undefined;
    if (t.color) {
      const c = normalizeHexColor(t.color);
      if (!c) {
        error(fieldLoc(t.loc, 'color'), MESSAGES.color);
        continue;
      }
      color = c;
    }
    if (firstOf('tag', name, t.loc)) out.tags.push({ loc: t.loc, name, color });
  }

  for (const r of batch.ranges) {
    const cidr = tryParseCidr(String(r.cidr ?? ''));
    if (!cidr) {
      error(fieldLoc(r.loc, 'cidr'), `invalid CIDR "${r.cidr}"`);
      continue;
    }
    const name = checkName(r.loc, 'name', r.name, MAX_NAME);
    if (firstOf('range', cidr.cidr, r.loc)) out.ranges.push({ loc: r.loc, cidr, name: name ?? undefined, notes: text(r.notes) });
  }

  // Hosts; their os_ip/bmc_ip become asset links, merged below with the asset records.
  const hostLinks: { loc: string; ip: ParsedAddress; type: 'OS' | 'BMC'; host: string; project_name?: string | null }[] = [];
  for (const h of batch.hosts) {
    const name = checkName(h.loc, 'name', h.name, MAX_HOST_NAME);
    if (name === null) error(h.loc, MESSAGES.hostName);
    const vendor = checkName(h.loc, 'vendor_name', h.vendor_name, MAX_NAME);
    const project = checkName(h.loc, 'project_name', h.project_name, MAX_NAME);
    if (!name || !firstOf('host', name, h.loc)) {
      out.droppedRefs.push({ loc: h.loc, vendor_name: vendor, project_name: project });
      continue;
    }
    let ok = true;
    for (const [field, type] of [['os_ip', 'OS'], ['bmc_ip', 'BMC']] as const) {
      const raw = text(h[field]);
      if (!raw) continue;
      const ip = parseAddressFast(raw);
      if (!ip) {
        error(fieldLoc(h.loc, field), MESSAGES.ip);
        ok = false;
        continue;
      }
      hostLinks.push({ loc: fieldLoc(h.loc, field), ip, type, host: name, project_name: project ?? undefined });
    }
    if (!ok) {
      out.droppedRefs.push({ loc: h.loc, vendor_name: vendor, project_name: project });
      continue;
    }
    out.hosts.push({ loc: h.loc, name, notes: text(h.notes), vendor_name: vendor, project_name: project, policy: { ...hostDefaults, ...h.policy } });
  }

  const byKey = new Map<string, PreparedAsset>();
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
      error(location, message);
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
    const projectName = checkName(a.loc, 'project_name', a.project_name, MAX_NAME);
    const hostName = checkName(a.loc, 'host_name', a.host_name, MAX_HOST_NAME);
    if (bad || !ip) {
      out.droppedRefs.push({ loc: a.loc, project_name: projectName, host_name: hostName });
      continue;
    }
    // Duplicates by key (one per canonical address): byKey doubles as the "first seen" map.
    const prior = byKey.get(ip.key);
    if (prior) {
      error(a.loc, `duplicate IP address "${ip.address}" (first at ${prior.loc})`);
      continue;
    }
    const asset: PreparedAsset = {
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
    out.assets.push(asset);
  }

  records.length = 0;
  for (const link of hostLinks) {
    const asset = byKey.get(link.ip.key);
    if (!asset) {
      const created: PreparedAsset = { loc: link.loc, address: link.ip.address, version: link.ip.version, key: link.ip.key, type: link.type, host_name: link.host, project_name: link.project_name, policy: { ...assetDefaults, type: 'overwrite', host: 'overwrite' } };
      byKey.set(link.ip.key, created);
      out.assets.push(created);
      continue;
    }
    if (asset.host_name === undefined) asset.host_name = link.host;
    else if (asset.host_name !== link.host) warn(link.loc, `${link.ip.address} belongs to host "${asset.host_name ?? '(none)'}" in its own record (${asset.loc}); that record wins`);
    if (asset.type === undefined) asset.type = link.type;
  }
  return out;
}
