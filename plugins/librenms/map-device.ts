import { asArray, asRecord, toCount, toFlag, toText, uniqueAddresses } from '../../src/domain/coerce.js';
import { normalizeMac } from '../../src/domain/devices/mac.js';
import { detectDeviceKind } from '../../src/domain/devices/type-detection.js';
import { tryParseAddress } from '../../src/domain/ip/address.js';
import type { BatchDevice } from '../../src/plugins/batch.js';

export interface LibrenmsMapOptions {
  project?: string;
  tags: readonly string[];
  keepRaw: boolean;
}

/**
 * LibreNMS has no vendor column: LAIM parses it from `hardware`. The OS name (LibreNMS' own
 * short names) is the surer sign, the first word of the hardware string the fallback.
 */
const VENDOR_BY_OS: Readonly<Record<string, string>> = {
  ios: 'Cisco', iosxe: 'Cisco', iosxr: 'Cisco', nxos: 'Cisco', asa: 'Cisco', ciscowlc: 'Cisco', ciscosb: 'Cisco',
  junos: 'Juniper', arubaos: 'Aruba', 'arubaos-cx': 'Aruba', procurve: 'HPE', comware: 'HPE', routeros: 'MikroTik',
  unifi: 'Ubiquiti', airos: 'Ubiquiti', edgeos: 'Ubiquiti', edgeswitch: 'Ubiquiti', fortigate: 'Fortinet', panos: 'Palo Alto Networks',
  dnos: 'Dell', 'dell-os10': 'Dell', eos: 'Arista', vyos: 'VyOS', pfsense: 'Netgate', opnsense: 'Deciso', mikrotik: 'MikroTik',
  drac: 'Dell', ilo: 'HPE', windows: 'Microsoft',
};
const VENDOR_WORDS = ['Cisco', 'Juniper', 'Aruba', 'HPE', 'HP', 'Dell', 'Ubiquiti', 'MikroTik', 'Fortinet', 'Arista', 'Netgear', 'TP-Link', 'Supermicro', 'Lenovo', 'Samsung', 'LG', 'Apple', 'Synology', 'QNAP', 'Brocade', 'Extreme', 'Huawei', 'Zyxel', 'Meraki'];

export function vendorOf(os: string | null, hardware: string | null): string | null {
  const byOs = os && Object.hasOwn(VENDOR_BY_OS, os.toLowerCase()) ? VENDOR_BY_OS[os.toLowerCase()] : undefined;
  if (byOs) return byOs;
  const first = hardware?.trim().split(/[\s,]+/)[0]?.toLowerCase();
  return (first && VENDOR_WORDS.find((v) => v.toLowerCase() === first)) || null;
}


/**
 * A LibreNMS `devices` row with its ports and IP addresses → a device. Numbers may arrive as
 * strings (`"device_id":"1"`); the id is the source id, `sysName` (else `hostname`) the name.
 * MACs are the ports' `ifPhysAddress` (LAIM takes the first; every one is kept here, so a
 * device matches another source by any of its interfaces).
 */
export function mapDevice(row: unknown, ports: unknown, ips: unknown, loc: string, opts: LibrenmsMapOptions): BatchDevice | null {
  const d = asRecord(row);
  const id = toCount(d.device_id);
  if (id === null) return null;
  const hostname = toText(d.hostname);
  const sysName = toText(d.sysName);
  const os = toText(d.os);
  const hardware = toText(d.hardware);
  const macs = [...new Set(asArray(ports).map((p) => normalizeMac(toText(asRecord(p).ifPhysAddress) ?? '')).filter((m): m is string => m !== null))];
  const primary = tryParseAddress(toText(d.ip, 100) ?? '')?.address ?? tryParseAddress(hostname ?? '')?.address;
  const vendor = vendorOf(os, hardware);
  const detected = detectDeviceKind({ vendor, model: hardware, os, description: toText(d.sysDescr, 1000), sourceType: toText(d.type) });
  return {
    loc,
    source: 'librenms',
    source_id: String(id),
    name: sysName ?? toText(d.display) ?? hostname ?? String(id),
    hostname: sysName ?? hostname,
    // 'other' is no verdict: left unknown so another source (or a person) may say what it is.
    kind: detected.rule === null ? null : detected.kind,
    serial: toText(d.serial),
    model: hardware,
    vendor,
    os_type: os,
    firmware_version: toText(d.version, 100),
    platform: 'physical',
    macs,
    ips: uniqueAddresses([primary, ...asArray(ips).map((a) => asRecord(a).ipv4_address ?? asRecord(a).ipv6_address)]),
    location: toText(d.location, 100),
    project: opts.project ?? null,
    tags: [...opts.tags, ...(toFlag(d.disabled) ? ['disabled'] : [])],
    ...(opts.keepRaw ? { raw: row } : {}),
  };
}
