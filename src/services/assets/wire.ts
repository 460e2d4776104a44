import type { AssetType } from '../../domain/asset-types.js';

// No imports beyond src/domain: the panel's components import this type (type-only) too.
/** The wire shape of an IP asset (as the original's API returns it). */
export interface Asset {
  id: number;
  ip_address: string;
  type: AssetType;
  project_id: number | null;
  host_id: number | null;
  notes: string | null;
  archived: boolean;
  created_at: string;
  updated_at: string;
  tags: string[];
  /** When a scan or connector last saw the address (an extra key beside the original's). */
  last_seen_at: string | null;
}

/** One source that reports an address (GET /ip-assets/{ip} `seen_by`, the panel's "Seen by" table). */
export interface AssetSeenBy {
  /** The plugin (nmap, vcenter, prometheus, push, csv, bundle, …). */
  source: string;
  /** The saved configuration's name, `push:<source>`, or "manual import" / "manual run". */
  config: string;
  /** The saved configuration of the last sighting (null: a manual run or a push). */
  config_id: number | null;
  first_seen_at: string;
  /** Re-stamped at most hourly per source (an unchanged re-sync within the hour writes nothing). */
  last_seen_at: string;
  first_run_id: number | null;
  /** The run that last stamped last_seen_at. */
  run_id: number | null;
}
