import { asArray, asRecord, toText, uniqueAddresses } from '../../src/domain/coerce.js';
import { normalizeMac } from '../../src/domain/devices/mac.js';
import { detectDeviceKind } from '../../src/domain/devices/type-detection.js';
import { tryParseAddress } from '../../src/domain/ip/address.js';
import type { BatchDevice } from '../../src/plugins/batch.js';

export interface NetdiscoMapOptions {
  project?: string;
  tags: readonly string[];
  keepRaw: boolean;
}


/**
 * A Netdisco device row (`/api/v1/object/device/{ip}` or a search row) with its `device_ips`
 * and `nodes` → a device. The device's IP is Netdisco's key for it, hence the source id. Its
 * MAC is the row's `mac` (the chassis MAC); LAIM takes `nodes[0].mac` — a MAC seen on one of its
 * ports — and so does this, but only when the device reports none of its own, since a node's
 * MAC belongs to whatever is plugged in and would merge the switch with that machine.
 */
export function mapDevice(row: unknown, deviceIps: unknown, nodes: unknown, loc: string, opts: NetdiscoMapOptions): BatchDevice | null {
  const d = asRecord(row);
  const ip = tryParseAddress(toText(d.ip, 100) ?? '')?.address;
  if (!ip) return null;
  const own = [normalizeMac(toText(d.mac) ?? ''), normalizeMac(toText(d.chassis_id) ?? '')].filter((m): m is string => m !== null);
  const firstNode = asArray(nodes)
    .map((n) => normalizeMac(toText(asRecord(n).mac) ?? ''))
    .find((m): m is string => m !== null);
  const macs = [...new Set(own.length > 0 ? own : firstNode ? [firstNode] : [])];
  const dns = toText(d.dns);
  const detected = detectDeviceKind({ vendor: toText(d.vendor), model: toText(d.model), os: toText(d.os), description: toText(d.description, 1000) });
  return {
    loc,
    source: 'netdisco',
    source_id: ip,
    name: toText(d.name) ?? dns ?? ip,
    hostname: dns ?? toText(d.name),
    // 'other' is no verdict: left unknown so another source (or a person) may say what it is.
    kind: detected.rule === null ? null : detected.kind,
    serial: toText(d.serial),
    model: toText(d.model),
    vendor: toText(d.vendor),
    os_type: toText(d.os),
    firmware_version: toText(d.os_ver, 100),
    platform: 'physical',
    macs,
    ips: uniqueAddresses([ip, ...asArray(deviceIps).map((r) => asRecord(r).ip)]),
    location: toText(d.location, 100),
    project: opts.project ?? null,
    tags: [...opts.tags],
    ...(opts.keepRaw ? { raw: row } : {}),
  };
}
