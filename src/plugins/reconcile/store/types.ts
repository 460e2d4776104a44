import type { FieldChange } from '../../../domain/changes.js';
import type { AssetType } from '../../../domain/asset-types.js';
import type { ParsedCidr } from '../../../domain/ip/cidr.js';

/*
 * The writes a reconcile plan decided, per entity, with every value final (merge policies already
 * applied). References are by name; the writers resolve them to ids after creating what is new.
 */

export interface VendorWrites {
  create: string[];
}

export interface ProjectWrites {
  create: { name: string; description: string | null; color: string }[];
  update: { id: number; description: string | null; color: string }[];
}

export interface TagWrites {
  create: { name: string; color: string }[];
  update: { id: number; color: string }[];
}

export interface RangeWrites {
  create: { name: string; notes: string | null; cidr: ParsedCidr }[];
  update: { id: number; name: string; notes: string | null }[];
}

export interface HostWrite {
  name: string;
  notes: string | null;
  vendor_name: string | null;
}

export interface HostWrites {
  create: HostWrite[];
  /** `changes`: what the plan showed for the host, written to its device history. */
  update: (HostWrite & { id: number; changes: FieldChange[] })[];
}

/** One chunk's asset writes (a large run plans and writes its assets chunk by chunk). */
export interface AssetWrites {
  create: AssetCreateWrite[];
  update: AssetUpdateWrite[];
  /** The chunk's stored rows the run reports (changed or not): their per-source sightings. */
  seen: Sighting[];
}

export interface AssetValues {
  type: AssetType;
  project_name: string | null;
  host_name: string | null;
  notes: string | null;
  archived: boolean;
  last_seen_at: string | null;
  /** Sorted, normalised names. */
  tags: string[];
}

/**
 * What the address's history records for this write, built only when the write happens (a dry
 * run never renders it); null: nothing worth an entry (a sighting alone only moves last seen).
 */
export interface AssetHistory {
  history: () => string | null;
}

export interface AssetCreateWrite extends AssetValues, AssetHistory {
  ip_address: string;
  ip_version: number;
  ip_key: string;
  created_at: string;
  updated_at: string;
  /** When the run saw it (null: the record is archived, which is no sighting). */
  seenAt: string | null;
}

export interface AssetUpdateWrite extends AssetValues, AssetHistory {
  id: number;
  ip_address: string;
  tagsChanged: boolean;
}

/** Who a run's sightings are recorded as: the plugin, and the configuration (or push source, or manual run) it ran for. */
export interface SeenAs {
  /** The plugin's name (nmap, vcenter, push, csv, …). */
  source: string;
  /** The saved configuration's name, `push:<source>`, or "manual import" / "manual run". */
  scope: string;
  configId: number | null;
  runId: number | null;
}

/** One address a run reported, and when it was seen (the record's own time, e.g. the scan's, else the run's). */
export interface Sighting {
  id: number;
  at: string;
}
