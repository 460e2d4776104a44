/**
 * A deterministic lab (LAIM's world: routers, switches, access points, servers, laptops,
 * desktops, smart TVs) seen by two discovery tools. Netdisco sees the first part, LibreNMS the
 * last, and the middle is seen by both with the same serial and MAC but their own spelling of
 * the rest (hostname case, firmware version), so merge priority and dedupe (serial, then MAC)
 * can be tested and benched. Same arguments, same lab.
 */
import { macOf } from './faults.js';

export interface LabDevice {
  n: number;
  hostname: string;
  ip: string;
  vendor: string;
  model: string;
  os: string;
  osVersion: string;
  serial: string;
  mac: string;
  location: string;
  /** What type detection should conclude from vendor/model/os. */
  expectedKind: 'router' | 'switch' | 'wap' | 'server' | 'laptop' | 'desktop' | 'smart_tv';
}

/** One row per kind; the n-th device takes row n % length. */
const CATALOG: Omit<LabDevice, 'n' | 'hostname' | 'ip' | 'serial' | 'mac' | 'location'>[] = [
  { vendor: 'Cisco', model: 'ISR4331/K9', os: 'ios-xe', osVersion: '17.6.5', expectedKind: 'router' },
  { vendor: 'Cisco', model: 'WS-C3850-48P', os: 'ios-xe', osVersion: '16.12.8', expectedKind: 'switch' },
  { vendor: 'Ubiquiti', model: 'UniFi U6-Pro', os: 'unifi', osVersion: '6.5.28', expectedKind: 'wap' },
  { vendor: 'Dell', model: 'PowerEdge R650', os: 'linux', osVersion: 'Ubuntu 22.04', expectedKind: 'server' },
  { vendor: 'Lenovo', model: 'ThinkPad T14 Gen 3', os: 'windows', osVersion: 'Windows 11 Pro', expectedKind: 'laptop' },
  { vendor: 'HP', model: 'EliteDesk 800 G6', os: 'windows', osVersion: 'Windows 10 Enterprise', expectedKind: 'desktop' },
  { vendor: 'Samsung', model: 'QN65Q80B Smart TV', os: 'tizen', osVersion: '6.5', expectedKind: 'smart_tv' },
  { vendor: 'Juniper', model: 'EX4300-48T', os: 'junos', osVersion: '21.4R3', expectedKind: 'switch' },
  { vendor: 'Aruba', model: 'AP-515', os: 'arubaos', osVersion: '8.10.0.2', expectedKind: 'wap' },
];

const PREFIX: Record<LabDevice['expectedKind'], string> = { router: 'RTR', switch: 'SW', wap: 'WAP', server: 'SRV', laptop: 'LAPTOP', desktop: 'DESKTOP', smart_tv: 'TV' };

export function labDevice(n: number): LabDevice {
  const c = CATALOG[n % CATALOG.length]!;
  return {
    ...c,
    n,
    hostname: `LAB-${PREFIX[c.expectedKind]}-${String(n).padStart(5, '0')}`,
    ip: `10.30.${(n >> 8) & 255}.${n & 255}`,
    serial: `${c.vendor.slice(0, 3).toUpperCase()}${(7_000_000 + n * 37).toString(36).toUpperCase()}`,
    mac: macOf(n, [0x02, 0x1a, 0xb0]),
    location: n % 2 === 0 ? 'Room 2265' : 'Room 2266',
  };
}

export interface LabSplit {
  /** Every device of the lab, as it really is. */
  devices: LabDevice[];
  /** Devices Netdisco knows: [0, netdiscoEnd). */
  netdisco: LabDevice[];
  /** Devices LibreNMS knows: [librenmsStart, count). */
  librenms: LabDevice[];
  /** Seen by both: [librenmsStart, netdiscoEnd). */
  both: LabDevice[];
  /** Of `both`, the ones Netdisco reports without a serial (they dedupe by MAC only). */
  macOnly: Set<number>;
}

/**
 * `count` devices; `overlap` (0–1) of them are seen by both tools, the rest split evenly. Every
 * 5th shared device has no serial in Netdisco (as when it cannot read the chassis), so only its
 * MAC matches it to LibreNMS' record.
 */
export function generateLab(count: number, overlap = 0.4): LabSplit {
  const devices = Array.from({ length: count }, (_, n) => labDevice(n));
  const shared = Math.round(count * overlap);
  const librenmsStart = Math.floor((count - shared) / 2);
  const netdiscoEnd = librenmsStart + shared;
  const both = devices.slice(librenmsStart, netdiscoEnd);
  return {
    devices,
    netdisco: devices.slice(0, netdiscoEnd),
    librenms: devices.slice(librenmsStart),
    both,
    macOnly: new Set(both.filter((_, i) => i % 5 === 0).map((d) => d.n)),
  };
}
