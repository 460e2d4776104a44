/** Wire shape of the devices' dashboard charts, with no imports so the panel's components can import it type-only. */

/** The devices part of the panel dashboard (components/dashboard/device-summary.tsx reads it). */
export interface DeviceDashboardData {
  total: number;
  platforms: { value: string | null; count: number }[];
  power_states: { value: string | null; count: number }[];
  kinds: { value: string | null; count: number }[];
  /** Networks named by the devices' NICs: in use when a live device has a connected NIC on it. */
  networks: { total: number; in_use: number; not_in_use: number };
  /** History rows of the last 24 h, and per hour (oldest first, 24 slots `YYYY-MM-DD HH`). */
  changes_24h: { total: number; devices: number; by_hour: { hour: string; count: number }[] };
}
