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
