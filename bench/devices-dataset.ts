/**
 * The device dataset (issue 14): N devices (default 100k) with 10 IPs each (1M), their MACs,
 * NICs, one source's facts, tags, owners and a few history rows per device, written straight
 * into the tables with set-based inserts (SQLite prepared multi-row, PostgreSQL unnest arrays)
 * in one transaction: the service path would write history and audit for each row and take
 * minutes. Deterministic for a given N, so figures compare across runs and databases.
 */
import type { Knex } from 'knex';
import { bulkInsert } from '../src/db/helpers/bulk-write.js';
import { isPostgres } from '../src/db/helpers/dialect.js';
import { formatTimestamp } from '../src/domain/time.js';
import { prng } from './dataset.js';

export interface DeviceShape {
  devices: number;
  ipsPerDevice: number;
  owners: number;
  changesPerDevice: number;
}

export function deviceShapeFor(devices: number, ipsPerDevice = 10): DeviceShape {
  return { devices, ipsPerDevice, owners: Math.max(10, Math.floor(devices / 500)), changesPerDevice: 5 };
}

const KINDS = ['vm', 'vm', 'vm', 'vm', 'vm', 'vm', 'server', 'hypervisor', 'laptop', 'desktop', 'switch', 'router', 'wap', 'smart_tv', 'storage', 'other'];
const PLATFORMS: Record<string, string> = { vm: 'vmware', hypervisor: 'vmware', server: 'physical', storage: 'physical' };
const OS = [['Ubuntu Linux (64-bit)', 'linux'], ['Microsoft Windows Server 2022 (64-bit)', 'windows'], ['Red Hat Enterprise Linux 9', 'linux'], ['FreeBSD 14', 'other']] as const;
const POWER = ['on', 'on', 'on', 'off', 'suspended'];
const NETWORKS = Array.from({ length: 50 }, (_, i) => `vlan-${100 + i}`);
const ROOMS = ['2265', '2266', 'dc-a', 'dc-b'];

/** The serial of device i (the bench searches for these): unique, 12 characters. */
export const serialOf = (i: number): string => `SN${(i * 2654435761 % 0xffffffffff).toString(16).padStart(10, '0').toUpperCase()}`;
/** The MAC of NIC `nic` of device i: 00:50:56 (VMware's OUI; the third byte counts the NIC) and i in the low 24 bits. */
export const macOf = (i: number, nic = 0): string =>
  [0x00, 0x50, 0x56 + nic, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(':');
/** The k-th IP of device i: 10.0.0.0/8 filled from the bottom, unique below 16M addresses. */
export const ipOf = (i: number, k: number, perDevice: number): string => {
  const n = i * perDevice + k + 1;
  return `10.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
};

/** Rows of devices [from, to) for every device table, built in memory one chunk at a time. */
function chunkRows(shape: DeviceShape, from: number, to: number, rnd: () => number, base: Date) {
  const hosts: Record<string, unknown>[] = [];
  const macs: Record<string, unknown>[] = [];
  const nics: Record<string, unknown>[] = [];
  const ips: Record<string, unknown>[] = [];
  const facts: Record<string, unknown>[] = [];
  const tags: Record<string, unknown>[] = [];
  const changes: Record<string, unknown>[] = [];
  const now = formatTimestamp(base);
  for (let i = from; i < to; i++) {
    const id = i + 1;
    const kind = KINDS[i % KINDS.length]!;
    const [osType, osFamily] = OS[i % OS.length]!;
    const seen = formatTimestamp(new Date(base.getTime() - Math.floor(rnd() * 60) * 86_400_000));
    const fields = { hostname: `dev-${id}.lab.example`, kind, platform: PLATFORMS[kind] ?? 'physical', serial: serialOf(i), os_type: osType, os_family: osFamily, power_state: POWER[i % POWER.length]!, vcpus: 1 + (i % 32), memory_mb: 1024 * (1 + (i % 64)) };
    hosts.push({
      id, name: `dev-${String(id).padStart(7, '0')}`, notes: null, vendor_id: null, created_at: now, updated_at: now, ...fields,
      uuid: `${(i * 7919).toString(16).padStart(8, '0')}-0000-4000-8000-${id.toString(16).padStart(12, '0')}`, cluster: `cluster-${i % 40}`,
      room_location: ROOMS[i % ROOMS.length], asset_tag: `AT-${String(id).padStart(7, '0')}`, nic_count: 2,
      technical_owner_id: 1 + (i % shape.owners), business_owner_id: rnd() < 0.5 ? 1 + ((i * 7) % shape.owners) : null,
      first_seen_at: now, last_seen_at: seen,
      // Every 50th device is archived (2%), so the archived list and the live counts have something to tell apart.
      archived_at: i % 50 === 49 ? now : null, archived_by: i % 50 === 49 ? 'bench' : null, archive_reason: i % 50 === 49 ? 'decommissioned' : null,
    });
    macs.push({ device_id: id, mac: macOf(i), source: 'vcenter' }, { device_id: id, mac: macOf(i, 1), source: 'vcenter' });
    for (let n = 0; n < 2; n++) nics.push({ device_id: id, source: 'vcenter', position: n, mac: macOf(i, n), network_name: NETWORKS[(i + n) % NETWORKS.length], vlan: String(100 + ((i + n) % 50)), connected: true });
    for (let k = 0; k < shape.ipsPerDevice; k++) ips.push({ device_id: id, source: 'vcenter', ip_address: ipOf(i, k, shape.ipsPerDevice), nic_position: k % 2, label: null, is_primary: k === 0 });
    facts.push({ device_id: id, source: 'vcenter', external_id: `vm-${id}`, fields: JSON.stringify(fields), raw: null, run_id: null, first_seen_at: now, last_seen_at: seen });
    tags.push({ device_id: id, tag: i % 3 === 0 ? 'prod' : 'dev', created_by: 'bench' });
    for (let c = 0; c < shape.changesPerDevice; c++) {
      const at = formatTimestamp(new Date(base.getTime() - (shape.changesPerDevice - c) * 3_600_000 * (1 + (i % 24))));
      changes.push({ device_id: id, run_id: null, source: 'vcenter', field: c % 2 ? 'power_state' : 'memory_mb', old_value: String(c), new_value: String(c + 1), changed_at: at, changed_by: null });
    }
  }
  return { hosts, device_macs: macs, device_nics: nics, device_ips: ips, device_facts: facts, device_tags: tags, device_changes: changes };
}

/** "Now" of the dataset: last seen dates fall in the 60 days before it. */
export const DATASET_BASE = new Date('2026-01-01T00:00:00Z');

/** Devices written per chunk: bounded memory (about 25 rows per device in flight). */
const CHUNK = 5_000;

/** Writes the dataset into an empty, migrated database; returns the seconds it took. */
export async function generateDevices(db: Knex, shape: DeviceShape, onProgress?: (done: number) => void): Promise<number> {
  const started = Date.now();
  const rnd = prng(shape.devices);
  const base = DATASET_BASE;
  await db.transaction(async (trx) => {
    const now = formatTimestamp(base);
    const owners = Array.from({ length: shape.owners }, (_, o) => ({ id: o + 1, full_name: `Owner ${o + 1}`, email: `owner${o + 1}@example.com`, designation: null, department: `dept-${o % 12}`, user_id: null, created_at: now, updated_at: now }));
    await bulkInsert(trx, 'owners', owners);
    for (let from = 0; from < shape.devices; from += CHUNK) {
      const rows = chunkRows(shape, from, Math.min(shape.devices, from + CHUNK), rnd, base);
      // Parents first: every other table references hosts.
      for (const [table, list] of Object.entries(rows)) await bulkInsert(trx, table, list);
      onProgress?.(Math.min(shape.devices, from + CHUNK));
    }
    // Explicit ids leave PostgreSQL's sequences behind: the next device a test creates must not collide.
    if (isPostgres(trx)) for (const table of ['hosts', 'owners']) await trx.raw(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM ${table}))`);
  });
  // PostgreSQL: VACUUM as autovacuum would after a load, so index-only scans find the visibility map set.
  await db.raw(isPostgres(db) ? 'VACUUM ANALYZE' : 'ANALYZE');
  return (Date.now() - started) / 1000;
}
